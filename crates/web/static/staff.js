// Progressive enhancement for the staff console: live countdowns on the server's clock, a
// queue that updates itself when tips arrive (server-sent events), and alerts a desk hears —
// the page title, a sound and a desktop notification for a new life-safety tip, each turned on
// by the person at the desk. Everything works without it.
(function () {
  "use strict";
  var spanish = /^es\b/i.test(navigator.language || "");
  var words = spanish ? {
    left: "restantes", overdue: "de retraso", days: "días",
    lifeSafety: "Nuevo reporte de SEGURIDAD DE VIDA: ábralo ahora",
    title: "Reporte de SEGURIDAD DE VIDA",
    notifyTitle: "Nuevo reporte de seguridad de vida",
    notifyBody: "Ábralo ahora: una persona debe acusar recibo.",
    sound: "Sonido para reportes de seguridad de vida", desktop: "Avisos de escritorio",
    on: "activado", off: "desactivado", blocked: "bloqueados por el navegador",
    ended: "Su sesión terminó, así que esta página ya no se actualiza. ", signIn: "Iniciar sesión de nuevo",
    signedOut: "Sesión cerrada"
  } : {
    left: "left", overdue: "overdue", days: "days",
    lifeSafety: "New LIFE-SAFETY tip — open it now",
    title: "LIFE-SAFETY tip",
    notifyTitle: "New life-safety tip",
    notifyBody: "Open it now: a person must acknowledge it.",
    sound: "Sound for life-safety tips", desktop: "Desktop alerts",
    on: "on", off: "off", blocked: "blocked by the browser",
    ended: "Your session has ended, so this page no longer updates. ", signIn: "Sign in again",
    signedOut: "Signed out"
  };

  function fmt(ms) {
    var late = ms < 0, a = Math.abs(ms), t;
    if (a < 60000) t = Math.floor(a / 1000) + " s";
    else if (a < 3600000) t = Math.floor(a / 60000) + " min " + Math.floor((a % 60000) / 1000) + " s";
    else if (a < 172800000) t = Math.floor(a / 3600000) + " h " + Math.floor((a % 3600000) / 60000) + " min";
    else t = Math.floor(a / 86400000) + " " + words.days;
    return t + " " + (late ? words.overdue : words.left);
  }
  // Deadlines are the server's: this computer's clock may be wrong by minutes or hours, so
  // time is counted from the server's clock as the page was rendered.
  var loadedAt = Date.now();
  var serverNow = Number(document.body.getAttribute("data-server-now"));
  var offset = isFinite(serverNow) && serverNow > 0 ? serverNow - loadedAt : 0;
  function now() { return Date.now() + offset; }
  function tick() {
    document.querySelectorAll(".countdown[data-due-ms]").forEach(function (el) {
      var due = Number(el.getAttribute("data-due-ms"));
      // On a tip page the value is relative (ms left when the page was rendered).
      var left = el.hasAttribute("data-relative") ? due - (Date.now() - loadedAt) : due - now();
      el.textContent = fmt(left);
      var row = el.closest("tr");
      if (row && left < 0) row.classList.add("overdue");
    });
  }
  setInterval(tick, 1000);
  tick();

  // The desk's own choices, kept in this browser.
  var prefs = {
    sound: localStorage.getItem("sightline-sound") === "on",
    desktop: localStorage.getItem("sightline-desktop") === "on"
  };
  var audio = null;
  function beep() {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var o = audio.createOscillator(), g = audio.createGain();
      o.frequency.value = 880;
      g.gain.setValueAtTime(0.25, audio.currentTime);
      o.connect(g); g.connect(audio.destination);
      o.start(); o.stop(audio.currentTime + 0.5);
    } catch (e) { /* no sound on this browser */ }
  }
  var settings = document.getElementById("alert-settings");
  var soundButton = document.getElementById("alert-sound");
  var desktopButton = document.getElementById("alert-desktop");
  function show() {
    if (!settings) return;
    settings.hidden = false;
    soundButton.textContent = words.sound + ": " + (prefs.sound ? words.on : words.off);
    soundButton.setAttribute("aria-pressed", String(prefs.sound));
    var blocked = window.Notification && Notification.permission === "denied";
    desktopButton.textContent = words.desktop + ": " + (blocked ? words.blocked : prefs.desktop ? words.on : words.off);
    desktopButton.setAttribute("aria-pressed", String(prefs.desktop));
    desktopButton.disabled = !window.Notification || blocked;
  }
  if (settings) {
    soundButton.addEventListener("click", function () {
      prefs.sound = !prefs.sound;
      localStorage.setItem("sightline-sound", prefs.sound ? "on" : "off");
      if (prefs.sound) beep(); // a first sound now, which also lets the browser play later ones
      show();
    });
    desktopButton.addEventListener("click", function () {
      if (prefs.desktop) {
        prefs.desktop = false;
        localStorage.setItem("sightline-desktop", "off");
        show();
        return;
      }
      Notification.requestPermission().then(function (p) {
        prefs.desktop = p === "granted";
        localStorage.setItem("sightline-desktop", prefs.desktop ? "on" : "off");
        show();
      });
    });
    show();
  }
  var baseTitle = document.title, unseen = 0;
  window.addEventListener("focus", function () { unseen = 0; document.title = baseTitle; });
  function lifeSafety(data) {
    var alert = document.getElementById("alert");
    if (alert) {
      alert.textContent = "";
      var link = document.createElement("a");
      link.href = "/staff/tips/" + data.tip_id;
      link.textContent = words.lifeSafety;
      alert.appendChild(link);
      alert.hidden = false;
    }
    unseen += 1;
    document.title = "(" + unseen + ") " + words.title + " · " + baseTitle;
    if (prefs.sound) { beep(); setTimeout(beep, 700); }
    if (prefs.desktop && window.Notification && Notification.permission === "granted") {
      var note = new Notification(words.notifyTitle, { body: words.notifyBody, tag: "tip-" + data.tip_id, requireInteraction: true });
      note.onclick = function () { window.focus(); location.href = "/staff/tips/" + data.tip_id; };
    }
  }

  // A wall display: the queue again every 20 seconds, in place (no sign-in, no events).
  if (document.body.classList.contains("wall")) {
    setInterval(function () {
      fetch("/wall", { credentials: "same-origin" }).then(function (r) {
        // Revoked or ended: the page itself says so, and the queue leaves the screen.
        if (r.status === 401) { location.reload(); return null; }
        return r.ok ? r.text() : null;
      }).then(function (html) {
        if (html === null) return;
        var fresh = new DOMParser().parseFromString(html, "text/html");
        ["wall-queue", "wall-at"].forEach(function (id) {
          var now = document.getElementById(id), next = fresh.getElementById(id);
          if (now && next) now.innerHTML = next.innerHTML;
        });
      });
    }, 20000);
    return;
  }

  var rows = document.getElementById("queue-rows");
  if (!window.EventSource || !document.body.classList.contains("staff")) return;
  var source = new EventSource("/staff/events");
  // The session ended (idle, signed out elsewhere): say so plainly and stop, rather than
  // follow the redirect and show the sign-in page inside the queue.
  function ended() {
    source.close();
    var alert = document.getElementById("alert");
    if (!alert) return;
    alert.textContent = words.ended;
    var link = document.createElement("a");
    link.href = "/staff/login";
    link.textContent = words.signIn;
    alert.appendChild(link);
    alert.hidden = false;
    document.title = words.signedOut + " · Sightline";
  }
  function probe() {
    // The rows of the filter the page shows.
    var query = rows ? rows.getAttribute("data-query") || "" : "";
    return fetch("/staff/queue/rows?" + query, { credentials: "same-origin", redirect: "manual" }).then(function (r) {
      if (r.type === "opaqueredirect" || r.status === 401 || r.status === 303) { ended(); return null; }
      return r.ok ? r.text() : null;
    });
  }
  source.onerror = function () {
    // The stream ends with the session; the browser retries, but first look why it ended.
    probe();
  };
  source.addEventListener("tip", function (ev) {
    var data = {};
    try { data = JSON.parse(ev.data); } catch (e) { return; }
    if (data.kind === "new" && data.tier === "life_safety") lifeSafety(data);
    if (rows) {
      probe().then(function (html) { if (html !== null) { rows.innerHTML = html; tick(); } });
    }
  });
})();
