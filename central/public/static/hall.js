// okno hall board: live calls over EventSource, a chime and the call
// spoken in the office's language; "no connection" after 10 s of silence.
"use strict";
(function () {
  var data = JSON.parse(document.getElementById("board-data").textContent);
  var office = data.office;
  var lang = data.lang;
  var seen = {};            // call key -> true: what was announced already
  (data.calls || []).forEach(function (c) { seen[c.key] = true; });
  var skew = new Date(data.at).getTime() - Date.now();
  var lastHeard = Date.now();
  var lastAttempt = 0;
  var offlineAfter = +document.getElementById("offline").getAttribute("data-after") || 10000;
  var es = null;
  var audio = null;
  var queue = [];           // calls to announce, oldest first
  var speaking = false;

  var tz = document.getElementById("clock").getAttribute("data-timezone") || undefined;
  var clockFmt;
  try { clockFmt = new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit", timeZone: tz }); }
  catch (e) { clockFmt = new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit" }); }
  function tick() {
    document.getElementById("clock").textContent = clockFmt.format(new Date(Date.now() + skew));
    var silent = Date.now() - lastHeard;
    document.getElementById("offline").hidden = silent < offlineAfter;
    if (silent >= offlineAfter && Date.now() - lastAttempt >= offlineAfter / 2) { connect(); } // a link gone quiet: start afresh
  }

  function el(tag, cls, txt) { var e = document.createElement(tag); if (cls) e.className = cls; if (txt !== undefined) e.textContent = txt; return e; }

  function render(v) {
    var body = document.querySelector("#calls tbody");
    var rows = [];
    v.calls.forEach(function (c, i) {
      var tr = el("tr", "call" + (i === 0 ? " newest" : "") + (c.current ? "" : " gone"));
      tr.setAttribute("data-key", c.key);
      tr.appendChild(el("td", "num", c.number));
      tr.appendChild(el("td", "arrow", "→"));
      tr.appendChild(el("td", "win", String(c.window)));
      if (!seen[c.key] && c.current) { tr.className += " flash"; }
      rows.push(tr);
    });
    body.replaceChildren.apply(body, rows);
    document.getElementById("no-calls").hidden = v.calls.length > 0;
    var ul = document.getElementById("groups");
    var items = v.groups.map(function (g) {
      var li = el("li");
      li.appendChild(el("span", "group", g.name));
      li.appendChild(el("span", "count", String(g.waiting)));
      return li;
    });
    ul.replaceChildren.apply(ul, items);
    document.getElementById("nobody").hidden = v.groups.length > 0;
    document.getElementById("closed").hidden = v.open;
    document.getElementById("office-name").textContent = v.name;
    skew = new Date(v.at).getTime() - Date.now();
    // Announce new calls and recalls, oldest first.
    v.calls.slice().reverse().forEach(function (c) {
      if (!seen[c.key]) {
        seen[c.key] = true;
        if (c.current) { queue.push(c); }
      }
    });
    announce();
  }

  function chime(done) {
    try {
      if (!audio) { audio = new (window.AudioContext || window.webkitAudioContext)(); }
      if (audio.state === "suspended") { document.getElementById("sound").hidden = false; }
      var t = audio.currentTime;
      [[880, 0], [660, 0.35]].forEach(function (n) {
        var o = audio.createOscillator(), g = audio.createGain();
        o.frequency.value = n[0]; o.type = "sine";
        g.gain.setValueAtTime(0.0001, t + n[1]);
        g.gain.exponentialRampToValueAtTime(0.4, t + n[1] + 0.03);
        g.gain.exponentialRampToValueAtTime(0.0001, t + n[1] + 0.6);
        o.connect(g); g.connect(audio.destination);
        o.start(t + n[1]); o.stop(t + n[1] + 0.65);
      });
    } catch (e) { /* no audio: the screen still shows the call */ }
    setTimeout(done, 1000);
  }

  function voice() {
    if (!window.speechSynthesis) return null;
    var vs = speechSynthesis.getVoices();
    for (var i = 0; i < vs.length; i++) { if (vs[i].lang && vs[i].lang.toLowerCase().indexOf(lang) === 0) return vs[i]; }
    return null;
  }

  function announce() {
    if (speaking || queue.length === 0) return;
    speaking = true;
    var c = queue.shift();
    document.body.setAttribute("data-last-spoken", c.speech);
    chime(function () {
      var v = voice();
      if (!v) { speaking = false; announce(); return; }
      var u = new SpeechSynthesisUtterance(c.speech);
      u.voice = v; u.lang = v.lang; u.rate = 0.9;
      u.onend = u.onerror = function () { speaking = false; announce(); };
      speechSynthesis.speak(u);
    });
  }

  document.getElementById("sound").addEventListener("click", function () {
    if (audio) { audio.resume(); }
    document.getElementById("sound").hidden = true;
  });

  function connect() {
    if (es) { es.close(); }
    lastAttempt = Date.now();
    es = new EventSource("/hall/" + encodeURIComponent(office) + "/events");
    es.addEventListener("board", function (ev) {
      lastHeard = Date.now();
      try { render(JSON.parse(ev.data)); } catch (e) { /* a bad message: wait for the next */ }
    });
    es.addEventListener("ping", function () { lastHeard = Date.now(); });
    es.onopen = function () { lastHeard = Date.now(); document.body.dataset.live = "1"; };
    es.onerror = function () { document.body.dataset.live = "0"; };
  }
  connect();
  tick();
  setInterval(tick, Math.min(1000, offlineAfter / 4));
})();
