// Tanya Kota web chat. Plain JS, no libraries; every text goes into the page as text nodes
// (never as HTML), and **bold** becomes <b> elements, so nothing a resident or an FAQ
// writes can run as code.
"use strict";

(function () {
  const USER_KEY = "tanyakota.user";
  const LOG_KEY = "tanyakota.log";
  const POLL_MS = 10000;
  const KEEP = 60; // messages kept across page reloads

  const log = document.getElementById("log");
  const choices = document.getElementById("choices");
  const form = document.getElementById("form");
  const input = document.getElementById("text");
  const send = document.getElementById("send");
  const extras = document.getElementById("extras");
  const locButton = document.getElementById("share-location");
  const photoLabel = document.getElementById("photo-label");
  const photoInput = document.getElementById("photo");
  let history = [];

  function clientId() {
    let id = null;
    try { id = localStorage.getItem(USER_KEY); } catch (e) { /* private mode */ }
    if (!id) {
      const bytes = new Uint8Array(16);
      crypto.getRandomValues(bytes);
      id = "web-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
      try { localStorage.setItem(USER_KEY, id); } catch (e) { /* keeps working for this visit */ }
    }
    return id;
  }
  const user = clientId();

  // "**bold**" -> <b>, URLs -> links; everything else stays text.
  function appendInline(parent, text) {
    const parts = text.split("**");
    parts.forEach((part, i) => {
      const target = i % 2 === 1 && i < parts.length - 1 ? parent.appendChild(document.createElement("b")) : parent;
      if (i % 2 === 1 && i === parts.length - 1) part = "**" + part; // an unpaired marker stays as typed
      const urls = /(https?:\/\/[^\s<>"]+)/g;
      let last = 0, m;
      while ((m = urls.exec(part)) !== null) {
        target.appendChild(document.createTextNode(part.slice(last, m.index)));
        const a = document.createElement("a");
        a.href = m[1]; a.textContent = m[1]; a.rel = "noopener noreferrer"; a.target = "_blank";
        target.appendChild(a);
        last = m.index + m[1].length;
      }
      target.appendChild(document.createTextNode(part.slice(last)));
    });
  }

  function bubble(text, who, kind, remember) {
    const div = document.createElement("div");
    div.className = "msg " + who + (kind === "notice" || kind === "error" ? " " + kind : "");
    text.split("\n").forEach((line) => {
      const p = document.createElement("div");
      p.className = "line";
      appendInline(p, line);
      div.appendChild(p);
    });
    log.appendChild(div);
    log.scrollTop = log.scrollHeight;
    if (remember) {
      history.push({ text: text, who: who, kind: kind || "" });
      history = history.slice(-KEEP);
      try { localStorage.setItem(LOG_KEY, JSON.stringify(history)); } catch (e) { /* ignore */ }
    }
  }

  function showChoices(options) {
    choices.replaceChildren();
    options.forEach((label, i) => {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = label;
      b.title = "Pilihan " + (i + 1);
      b.addEventListener("click", () => say(label));
      choices.appendChild(b);
    });
  }

  function showExtras(request) {
    locButton.hidden = request !== "location" || !navigator.geolocation;
    photoLabel.hidden = request !== "photo";
    extras.hidden = locButton.hidden && photoLabel.hidden;
  }

  function render(replies, kind) {
    let options = [], request = null;
    replies.forEach((r) => {
      bubble(r.text || "", "bot", kind || r.kind, true);
      if (r.options && r.options.length) options = r.options;
      if (r.request) request = r.request;
    });
    if (replies.length) { showChoices(options); showExtras(request); }
    log.scrollTop = log.scrollHeight; // after the choices took their room
  }

  async function post(url, body, isForm) {
    send.disabled = true;
    try {
      const res = await fetch(url, isForm ? { method: "POST", body: body }
        : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
      const data = await res.json().catch(() => ({}));
      if (!res.ok) {
        bubble(data.error === "the photo is larger than 5 MB" ? "Foto terlalu besar (maksimal 5 MB)."
          : res.status === 415 ? "Hanya foto JPEG atau PNG yang dapat dikirim."
          : "Maaf, pesan tidak terkirim. Silakan coba lagi.", "bot", "error", false);
        return;
      }
      render(data.replies || []);
    } catch (e) {
      bubble("Tidak ada koneksi. Periksa internet Anda lalu coba lagi.", "bot", "error", false);
    } finally {
      send.disabled = false;
      input.focus();
    }
  }

  function say(text) {
    text = text.trim();
    if (!text) return;
    bubble(text, "me", "", true);
    choices.replaceChildren();
    showExtras(null);
    log.scrollTop = log.scrollHeight;
    return post("/api/chat", { user: user, text: text });
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const text = input.value;
    input.value = "";
    say(text);
  });

  locButton.addEventListener("click", () => {
    navigator.geolocation.getCurrentPosition((pos) => {
      bubble("📍 Lokasi dibagikan", "me", "", true);
      showExtras(null);
      post("/api/chat", { user: user, location: { latitude: pos.coords.latitude, longitude: pos.coords.longitude } });
    }, () => bubble("Lokasi tidak dapat dibaca. Ketik alamat atau patokan saja.", "bot", "error", false),
    { enableHighAccuracy: true, timeout: 15000 });
  });

  photoInput.addEventListener("change", () => {
    const file = photoInput.files && photoInput.files[0];
    if (!file) return;
    const data = new FormData();
    data.append("user", user);
    data.append("photo", file);
    bubble("📷 " + file.name, "me", "", true);
    showExtras(null);
    photoInput.value = "";
    post("/api/chat/photo", data, true);
  });

  async function poll() {
    try {
      const res = await fetch("/api/chat/updates?user=" + encodeURIComponent(user));
      if (res.ok) {
        const data = await res.json();
        if (data.replies && data.replies.length) render(data.replies, "notice");
      }
    } catch (e) { /* offline: try again later */ }
  }

  try { history = JSON.parse(localStorage.getItem(LOG_KEY) || "[]"); } catch (e) { history = []; }
  if (history.length) {
    history.forEach((m) => bubble(m.text, m.who, m.kind, false));
  } else {
    post("/api/chat", { user: user, text: "/start" });
  }
  poll();
  setInterval(poll, POLL_MS);
})();
