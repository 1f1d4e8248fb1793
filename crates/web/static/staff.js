// Progressive enhancement for the staff console: live countdowns and a queue that updates
// itself when tips arrive (server-sent events). Everything works without it.
(function () {
  "use strict";
  function fmt(ms) {
    var late = ms < 0, a = Math.abs(ms), t;
    if (a < 60000) t = Math.floor(a / 1000) + " s";
    else if (a < 3600000) t = Math.floor(a / 60000) + " min " + Math.floor((a % 60000) / 1000) + " s";
    else if (a < 172800000) t = Math.floor(a / 3600000) + " h " + Math.floor((a % 3600000) / 60000) + " min";
    else t = Math.floor(a / 86400000) + " days";
    return late ? t + " overdue" : t + " left";
  }
  var loadedAt = Date.now();
  function tick() {
    document.querySelectorAll(".countdown[data-due-ms]").forEach(function (el) {
      var due = Number(el.getAttribute("data-due-ms"));
      // On a tip page the value is relative (ms left when the page was rendered).
      var left = el.hasAttribute("data-relative") ? due - (Date.now() - loadedAt) : due - Date.now();
      el.textContent = fmt(left);
      var row = el.closest("tr");
      if (row && left < 0) row.classList.add("overdue");
    });
  }
  setInterval(tick, 1000);
  tick();

  var rows = document.getElementById("queue-rows");
  if (!window.EventSource || !document.body.classList.contains("staff")) return;
  var source = new EventSource("/staff/events");
  // The session ended (idle, signed out elsewhere): say so plainly and stop, rather than
  // follow the redirect and show the sign-in page inside the queue.
  function ended() {
    source.close();
    var alert = document.getElementById("alert");
    if (!alert) return;
    alert.textContent = "Your session has ended, so this page no longer updates. ";
    var link = document.createElement("a");
    link.href = "/staff/login";
    link.textContent = "Sign in again";
    alert.appendChild(link);
    alert.hidden = false;
    document.title = "Signed out · Sightline";
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
    if (data.kind === "new" && data.tier === "life_safety") {
      var alert = document.getElementById("alert");
      if (alert) {
        alert.textContent = "";
        var link = document.createElement("a");
        link.href = "/staff/tips/" + data.tip_id;
        link.textContent = "New LIFE-SAFETY tip — open it now";
        alert.appendChild(link);
        alert.hidden = false;
      }
    }
    if (rows) {
      probe().then(function (html) { if (html !== null) { rows.innerHTML = html; tick(); } });
    }
  });
})();
