// Small progressive enhancements for the admin page; every page works without this file.
"use strict";

document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

document.addEventListener("click", function (event) {
  var target = event.target;
  if (target && target.hasAttribute && target.hasAttribute("data-print")) {
    window.print();
  }
});
