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

// Text typed into a form is not lost when the session ended before it was sent. A form marked
// data-draft keeps what it sends in this tab's sessionStorage until the next page loads. If that
// page is the login form, the session had ended: the text waits there, and after login (which
// returns to the form's page) it is put back into the form. Any other page means it was received,
// and the copy is dropped at once.
(function () {
  var KEY = "tanyakota.admin.draft";
  var KEPT = ["textarea", "select", "input:not([type])", "input[type=text]", "input[type=email]",
              "input[type=date]", "input[type=url]",
              "input[name=version]"].join(",");  // the version edited: a change made meanwhile is still caught

  function read() {
    try {
      return JSON.parse(window.sessionStorage.getItem(KEY) || "null");
    } catch (e) {
      return null;
    }
  }

  function write(draft) {
    try {
      if (draft) {
        window.sessionStorage.setItem(KEY, JSON.stringify(draft));
      } else {
        window.sessionStorage.removeItem(KEY);
      }
    } catch (e) { /* storage off or full: nothing is kept */ }
  }

  function notice(form, text) {
    var p = document.createElement("p");
    p.className = "notice";
    p.setAttribute("role", "status");
    p.textContent = text;
    form.parentNode.insertBefore(p, form);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !form.hasAttribute || !form.hasAttribute("data-draft")) {
      return;
    }
    var fields = {};
    Array.prototype.forEach.call(form.querySelectorAll(KEPT), function (el) {
      if (el.name) {
        fields[el.name] = el.value;
      }
    });
    write({action: form.getAttribute("action"), fields: fields, waiting: false});
  });

  document.addEventListener("DOMContentLoaded", function () {
    var draft = read();
    if (!draft) {
      return;
    }
    var login = document.querySelector("form[data-login]");
    if (login) {
      draft.waiting = true;
      write(draft);
      notice(login, "Sesi Anda sudah berakhir, jadi isian terakhir belum tersimpan. Setelah masuk, " +
                    "isian itu dikembalikan ke formulirnya untuk dikirim lagi.");
      return;
    }
    write(null);
    if (!draft.waiting) {
      return;  // the form was received
    }
    var form = Array.prototype.filter.call(document.querySelectorAll("form[data-draft]"), function (f) {
      return f.getAttribute("action") === draft.action;
    })[0];
    if (!form) {
      return;
    }
    Array.prototype.forEach.call(form.querySelectorAll(KEPT), function (el) {
      if (el.name && Object.prototype.hasOwnProperty.call(draft.fields, el.name)) {
        el.value = draft.fields[el.name];
      }
    });
    notice(form, "Isian yang belum tersimpan karena sesi berakhir sudah dikembalikan. Periksa lalu kirim lagi.");
  });
}());
