// okno ticket kiosk: section → service → privileged category → ticket.
"use strict";
(function () {
  var data = JSON.parse(document.getElementById("kiosk-data").textContent);
  var T = JSON.parse(document.getElementById("kiosk-texts").textContent);
  var office = data.office;
  var service = null;
  var idle = null;

  function fmt(s) { var a = arguments, i = 1; return s.replace(/%[sd]/g, function () { return String(a[i++]); }); }
  function show(id) {
    document.querySelectorAll(".step").forEach(function (s) { s.hidden = true; });
    if (id) { id.hidden = false; }
    document.getElementById("error").hidden = true;
    clearTimeout(idle);
    idle = setTimeout(home, 60000); // walked away: start again
  }
  function home() { show(data.open ? document.getElementById("step-groups") : null); }

  document.querySelectorAll("button.group").forEach(function (b) {
    b.addEventListener("click", function () {
      show(document.querySelector("section.services[data-group='" + b.getAttribute("data-group") + "']"));
    });
  });
  document.querySelectorAll("button.service").forEach(function (b) {
    b.addEventListener("click", function () {
      service = b.getAttribute("data-service");
      if (data.categories.length === 0) { issue(""); return; }
      show(document.getElementById("step-category"));
    });
  });
  document.querySelectorAll("button.category").forEach(function (b) {
    b.addEventListener("click", function () { issue(b.getAttribute("data-category")); });
  });
  document.querySelectorAll("button.back").forEach(function (b) { b.addEventListener("click", home); });
  // A booking: its code gives a ticket marked booked (the check-in API).
  document.getElementById("have-booking").addEventListener("click", function () {
    show(document.getElementById("step-booking"));
    document.getElementById("booking-code").value = "";
    document.getElementById("booking-code").focus();
  });
  document.getElementById("checkin-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (busy) return;
    busy = true;
    var code = document.getElementById("booking-code").value.replace(/[\s-]/g, "").toUpperCase();
    // The ticket API with the code: the booking's ticket, printed on this
    // kiosk's printer like any other when the page has ?printer=.
    var body = { booking_code: code };
    var printer = new URLSearchParams(location.search).get("printer");
    if (printer) body.printer = printer;
    fetch("/v1/public/offices/" + encodeURIComponent(office) + "/tickets", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body)
    })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, j: j }; }); })
      .then(function (res) {
        busy = false;
        if (!res.ok) { fail(fmt(T.error, res.j.error ? res.j.error.message : "?")); return; }
        var t = res.j;
        t.category = "";
        ticket(t);
        var c = document.getElementById("t-category");
        c.hidden = false;
        c.textContent = fmt(T.booked, new Date(t.slot).toLocaleTimeString(document.documentElement.lang, { hour: "2-digit", minute: "2-digit" }));
        document.getElementById("t-wait").textContent = "";
      }).catch(function () { busy = false; fail(T.offline); });
  });
  document.getElementById("done").addEventListener("click", home);
  document.getElementById("print").addEventListener("click", function () { window.print(); });

  var busy = false;
  function issue(category) {
    if (busy) return;
    busy = true;
    var body = { service: service };
    if (category) body.category = category;
    var printer = new URLSearchParams(location.search).get("printer");
    if (printer) body.printer = printer; // the central prints it on this kiosk's printer
    fetch("/v1/public/offices/" + encodeURIComponent(office) + "/tickets", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().then(function (j) { return { ok: r.ok, j: j }; });
    }).then(function (res) {
      busy = false;
      if (!res.ok) { fail(fmt(T.error, res.j.error ? res.j.error.message : "?")); return; }
      ticket(res.j);
    }).catch(function () { busy = false; fail(T.offline); });
  }
  function fail(msg) {
    home();
    var e = document.getElementById("error");
    e.textContent = msg; e.hidden = false;
  }
  function ticket(t) {
    show(document.getElementById("step-ticket"));
    document.getElementById("t-number").textContent = t.number;
    document.getElementById("t-service").textContent = t.service_name;
    var c = document.getElementById("t-category");
    c.hidden = !t.category;
    c.textContent = t.category ? fmt(T.proof_note, t.category_name, t.proof) : "";
    var at = new Date(t.issued_at);
    document.getElementById("t-time").textContent = fmt(T.issued_at, at.toLocaleTimeString(document.documentElement.lang, { hour: "2-digit", minute: "2-digit" }));
    document.getElementById("t-ahead").textContent = fmt(T.ahead, t.ahead);
    document.getElementById("t-wait").textContent = fmt(T.wait, Math.max(1, Math.round(t.expected_wait_s / 60)));
    document.getElementById("t-link").textContent = location.host + t.follow_url;
    document.getElementById("t-qr").src = t.follow_url + "/qr.png";
    var rc = document.getElementById("t-rating");
    rc.hidden = !t.rating_code;
    rc.textContent = t.rating_code ? fmt(T.rating_code, t.rating_code) : "";
    document.body.setAttribute("data-ticket", t.number);
    var p = document.getElementById("t-printed");
    p.hidden = !(t.printed || t.print_error);
    p.textContent = t.printed ? T.printed : t.print_error ? T.print_failed : "";
    clearTimeout(idle);
    idle = setTimeout(home, 30000);
  }
  home();
})();
