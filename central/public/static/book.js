// okno booking page: service → day → free slot → name and phone → code.
"use strict";
(function () {
  var data = JSON.parse(document.getElementById("book-data").textContent);
  var T = JSON.parse(document.getElementById("book-texts").textContent);
  var office = data.office;
  var slot = null;
  var lang = document.documentElement.lang;

  function $(id) { return document.getElementById(id); }
  function fmt(s) { var a = arguments, i = 1; return s.replace(/%[sd]/g, function () { return String(a[i++]); }); }
  function fail(msg) { var e = $("error"); e.textContent = msg; e.hidden = false; }
  function answer(r) { return r.text().then(function (t) { var j = {}; try { j = t ? JSON.parse(t) : {}; } catch (e) {} return { ok: r.ok, status: r.status, j: j }; }); }
  function message(res) { return res.j.error ? res.j.error.message : String(res.status); }
  function time(at) { return new Date(at).toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" }); }
  function day(at) { return new Date(at).toLocaleDateString(lang, { weekday: "long", day: "numeric", month: "long" }); }

  function showSlots() {
    $("error").hidden = true;
    $("contact-box").hidden = true;
    slot = null;
    var q = "service=" + encodeURIComponent($("service").value) + "&date=" + encodeURIComponent($("date").value);
    fetch("/v1/public/offices/" + encodeURIComponent(office) + "/slots?" + q).then(answer).then(function (res) {
      if (!res.ok) { fail(fmt(T.error, message(res))); return; }
      var box = $("slots");
      box.textContent = "";
      res.j.slots.forEach(function (s) {
        var b = document.createElement("button");
        b.type = "button"; b.className = "choice slot"; b.textContent = time(s.at);
        b.setAttribute("data-at", s.at);
        b.addEventListener("click", function () {
          slot = s.at;
          $("chosen").textContent = fmt(T.chosen, day(s.at), time(s.at));
          $("contact-box").hidden = false;
          $("name").focus();
        });
        box.appendChild(b);
      });
      $("no-slots").hidden = res.j.slots.length > 0;
      $("slots-box").hidden = false;
    }).catch(function () { fail(T.offline); });
  }
  $("show-slots").addEventListener("click", showSlots);
  $("service").addEventListener("change", showSlots);
  $("date").addEventListener("change", showSlots);

  var booked = null;
  $("book-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (!slot) { fail(T.pick_slot); return; }
    var body = { office: office, service: $("service").value, slot: slot, name: $("name").value };
    if ($("phone").value.trim()) body.phone = $("phone").value;
    if ($("email").value.trim()) body.email = $("email").value;
    $("submit").disabled = true;
    fetch("/v1/public/bookings", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
      .then(answer).then(function (res) {
        $("submit").disabled = false;
        if (!res.ok) { fail(fmt(T.error, message(res))); if (res.status === 409) showSlots(); return; }
        booked = res.j.code;
        $("book-form").hidden = true;
        $("error").hidden = true;
        $("code").textContent = res.j.code;
        $("when").textContent = fmt(T.when, day(res.j.slot), time(res.j.slot));
        $("done").hidden = false;
        document.body.setAttribute("data-code", res.j.code);
      }).catch(function () { $("submit").disabled = false; fail(T.offline); });
  });
  $("cancel").addEventListener("click", function () {
    if (!booked) return;
    fetch("/v1/public/bookings/" + encodeURIComponent(booked), { method: "DELETE" }).then(answer).then(function (res) {
      if (!res.ok) { fail(fmt(T.error, message(res))); return; }
      $("cancel").hidden = true; $("cancelled").hidden = false;
    }).catch(function () { fail(T.offline); });
  });
  if (data.services.length > 0) showSlots();
})();
