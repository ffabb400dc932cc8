// okno ticket tracking on a phone: "N ahead", then "go to window 3".
"use strict";
(function () {
  var d = JSON.parse(document.getElementById("track-data").textContent);
  var T = JSON.parse(document.getElementById("track-texts").textContent);
  var off = document.getElementById("offline");
  var offlineAfter = +off.getAttribute("data-after") || 10000;
  var lastHeard = Date.now(), lastAttempt = 0, es = null, called = d.state === "called";
  function fmt(s, n) { return s.replace(/%d/, String(n)); }
  function render(t) {
    var el = document.getElementById("state");
    el.className = "state state-" + t.state;
    el.textContent = t.state === "waiting" ? fmt(T.ahead, t.ahead) : t.state === "called" ? fmt(T.called, t.window) : t.state === "done" ? T.done : T.unknown;
    if (t.state === "called" && !called && navigator.vibrate) { navigator.vibrate([300, 200, 300]); }
    called = t.state === "called";
  }
  function connect() {
    if (es) es.close();
    lastAttempt = Date.now();
    es = new EventSource(location.pathname + "/events");
    es.addEventListener("ticket", function (ev) { lastHeard = Date.now(); try { render(JSON.parse(ev.data)); } catch (e) {} });
    es.addEventListener("ping", function () { lastHeard = Date.now(); });
    es.onopen = function () { lastHeard = Date.now(); document.body.dataset.live = "1"; };
  }
  setInterval(function () {
    var silent = Date.now() - lastHeard;
    off.hidden = silent < offlineAfter;
    if (silent >= offlineAfter && Date.now() - lastAttempt >= offlineAfter / 2) connect();
  }, Math.min(1000, offlineAfter / 4));
  connect();
})();
