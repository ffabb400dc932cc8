package public_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/central/public"
	"github.com/okno-mfc/okno/central/public/browsertest"
	"github.com/okno-mfc/okno/domain"
)

func post(t *testing.T, u, body string) (int, []byte) {
	t.Helper()
	resp, err := http.Post(u, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	return resp.StatusCode, b.Bytes()
}

// TestKioskAPI: a kiosk ticket is a window-0 ticket.issued in the feed,
// signed by the central, in the shared queue, called once; privileged
// tickets go first; closed offices and full services say so.
func TestKioskAPI(t *testing.T) {
	t.Parallel()
	for _, kind := range centraltest.Kinds() {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			kioskAPI(t, centraltest.Kind(t, kind))
		})
	}
}

func kioskAPI(t *testing.T, kind centraltest.Option) {
	srv, _, _ := start(t, kind)
	ctx := context.Background()
	st, body := get(t, srv.URL+"/v1/public/offices/IRK/services")
	var list public.ServiceList
	if st != http.StatusOK || json.Unmarshal([]byte(body), &list) != nil || !list.Open || len(list.Groups) == 0 || len(list.Categories) == 0 {
		t.Fatalf("services: %d %s", st, body)
	}
	issue := func(body string) (int, public.TicketResponse, []byte) {
		st, b := post(t, srv.URL+"/v1/public/offices/IRK/tickets", body)
		var r public.TicketResponse
		json.Unmarshal(b, &r)
		return st, r, b
	}
	st, t1, b := issue(`{"service":"advertising_permit"}`)
	if st != http.StatusCreated || t1.Number == "" || t1.Ahead != 0 || t1.FollowURL != "/hall/IRK/t/"+t1.Number || t1.ExpectedWaitS != 0 {
		t.Fatalf("first ticket: %d %s", st, b)
	}
	st, t2, b := issue(`{"service":"advertising_permit"}`)
	if st != http.StatusCreated || t2.Number == t1.Number || t2.Ahead != 1 || t2.ExpectedWaitS <= 0 {
		t.Fatalf("second ticket: %d %s (first %s)", st, b, t1.Number)
	}
	st, t3, b := issue(`{"service":"advertising_permit","category":"wwii_veteran"}`)
	if st != http.StatusCreated || t3.Ahead != 0 || t3.Proof == "" || t3.CategoryName == "" {
		t.Fatalf("privileged ticket: %d %s", st, b)
	}
	for body, want := range map[string]int{
		`{"service":"no_such"}`: 422, `{"service":"advertising_permit","category":"nope"}`: 422,
		`{"service":1}`: 400, `{"service":"advertising_permit","name":"Иванов"}`: 400, `not json`: 400,
	} {
		if st, _, b := issue(body); st != want {
			t.Errorf("%s: %d %s, want %d", body, st, b, want)
		}
	}
	if st, _ := post(t, srv.URL+"/v1/public/offices/MSK/tickets", `{"service":"advertising_permit"}`); st != http.StatusNotFound {
		t.Errorf("an office without a profile: %d", st)
	}

	// The feed: three window-0 ticket.issued events, signed.
	ws := srv.Enrol(t, "IRK", 4)
	cl := srv.Client(t, ws.Token)
	page, err := cl.Feed(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var kiosk int
	for _, e := range page.Events {
		if e.Kind == domain.EvTicketIssued && e.Window == 0 {
			kiosk++
			if e.Sig == "" || e.Actor != "kiosk" {
				t.Errorf("kiosk event unsigned or not the kiosk's: %+v", e)
			}
		}
	}
	if kiosk != 3 {
		t.Errorf("%d kiosk tickets in the feed, want 3", kiosk)
	}
	// The shared queue calls the privileged one first, then the others, each once.
	var called []string
	for range 3 {
		res, err := cl.CallNext(ctx, "IRK", api.CallNextRequest{Window: 4})
		if err != nil {
			t.Fatal(err)
		}
		called = append(called, res.Ticket.Number)
	}
	if want := []string{t3.Number, t1.Number, t2.Number}; strings.Join(called, " ") != strings.Join(want, " ") {
		t.Errorf("called %v, want %v", called, want)
	}
	if _, err := cl.CallNext(ctx, "IRK", api.CallNextRequest{Window: 4}); err == nil {
		t.Error("a fourth call found a ticket: one was called twice")
	}

	// A daily limit, and a closed office.
	full := office
	full.DailyLimits = map[string]int{"advertising_permit": 3}
	if err := srv.Store.PutOffice(ctx, full); err != nil {
		t.Fatal(err)
	}
	if st, _, b := issue(`{"service":"advertising_permit"}`); st != http.StatusConflict || !strings.Contains(string(b), "3 tickets") {
		t.Errorf("past the daily limit: %d %s", st, b)
	}
	_, body = get(t, srv.URL+"/v1/public/offices/IRK/services")
	if !strings.Contains(body, `"code":"advertising_permit","name":`) || !strings.Contains(body, `"full":true`) {
		t.Errorf("the full service is not marked: %s", body)
	}
	closed := office
	closed.AlwaysOpen, closed.Hours = false, nil // no hours: never open
	if err := srv.Store.PutOffice(ctx, closed); err != nil {
		t.Fatal(err)
	}
	if st, _, b := issue(`{"service":"advertising_permit"}`); st != http.StatusConflict || !strings.Contains(string(b), "closed") {
		t.Errorf("a closed office: %d %s", st, b)
	}
	if st, body := get(t, srv.URL+"/kiosk/IRK"); st != http.StatusOK || !strings.Contains(body, "Отделение сейчас закрыто") {
		t.Errorf("the kiosk of a closed office: %d", st)
	}
}

// TestKioskBrowser: at the kiosk in a real browser a visitor takes a
// privileged ticket; a window calls it through the shared queue; the
// visitor's phone page says "go to window 4".
func TestKioskBrowser(t *testing.T) {
	t.Parallel()
	srv, _, _ := start(t)
	b := browsertest.New(t, 1280, 1024)
	b.Do(t, chromedp.Navigate(srv.URL+"/kiosk/IRK"), chromedp.WaitVisible("#step-groups"))
	// The advertising permit's group, the service, the veterans' category.
	b.Do(t, chromedp.Evaluate[chromedp.Void](`(function(){var s=document.querySelector('button.service[data-service="advertising_permit"]').closest("section");document.querySelector('button.group[data-group="'+s.getAttribute("data-group")+'"]').click();})()`),
		chromedp.WaitVisible(`button.service[data-service="advertising_permit"]`),
		chromedp.Click(`button.service[data-service="advertising_permit"]`),
		chromedp.WaitVisible(`#step-category`),
		chromedp.Click(`button.category[data-category="wwii_veteran"]`),
		chromedp.WaitVisible(`#step-ticket`),
	)
	number := browsertest.Eval[string](t, b, `document.getElementById("t-number").textContent`)
	if number == "" {
		t.Fatal("no ticket number on the kiosk")
	}
	for sel, want := range map[string]string{"#t-ahead": "Перед вами: 0", "#t-category": "Покажите документ в окне"} {
		if got := browsertest.Eval[string](t, b, `document.querySelector("`+sel+`").textContent`); !strings.Contains(got, want) {
			t.Errorf("%s: %q, want %q", sel, got, want)
		}
	}
	b.Do(t, chromedp.Poll[chromedp.Void](`document.getElementById("t-qr").naturalWidth > 0`)) // the QR code loaded
	// The visitor's phone.
	b.Do(t, chromedp.Navigate(srv.URL+"/hall/IRK/t/"+number), chromedp.WaitVisible("#state"),
		chromedp.Poll[chromedp.Void](`document.body.dataset.live === "1"`))
	if got := browsertest.Eval[string](t, b, `document.getElementById("state").textContent`); got != "Перед вами: 0" {
		t.Errorf("tracking before the call: %q", got)
	}
	// Window 4 calls from the shared queue: the kiosk's ticket.
	ws := srv.Enrol(t, "IRK", 4)
	res, err := srv.Client(t, ws.Token).CallNext(context.Background(), "IRK", api.CallNextRequest{Window: 4})
	if err != nil || res.Ticket.Number != number {
		t.Fatalf("window 4 called %+v (%v), want %s", res.Ticket, err, number)
	}
	if err := b.DoErr(10*time.Second, chromedp.Poll[chromedp.Void](`document.getElementById("state").textContent === "Пройдите к окну 4"`)); err != nil {
		t.Errorf("the phone never said go to window 4: %v (%q)", err, browsertest.Eval[string](t, b, `document.getElementById("state").textContent`))
	}
}

// TestKioskPrints: with a kiosk's printer in the office's profile the
// central prints the ticket there (ESC/POS over TCP, as to port 9100).
func TestKioskPrints(t *testing.T) {
	t.Parallel()
	srv, _, _ := start(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan []byte, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		b, _ := io.ReadAll(c)
		got <- b
	}()
	o := office
	o.KioskPrinters = map[string]string{"hall-1": ln.Addr().String()}
	if err := srv.Store.PutOffice(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	st, b := post(t, srv.URL+"/v1/public/offices/IRK/tickets", `{"service":"advertising_permit","printer":"hall-1"}`)
	var r public.TicketResponse
	if err := json.Unmarshal(b, &r); err != nil || st != http.StatusCreated || r.Printed != ln.Addr().String() || r.PrintError != "" {
		t.Fatalf("ticket: %d %s", st, b)
	}
	select {
	case data := <-got:
		if !bytes.Contains(data, []byte("\x1d!\x33"+r.Number+"\n")) || !bytes.Contains(data, []byte("/hall/IRK/t/"+r.Number)) {
			t.Errorf("the printer got %q", data)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("nothing reached the printer")
	}
	st, b = post(t, srv.URL+"/v1/public/offices/IRK/tickets", `{"service":"advertising_permit","printer":"hall-9"}`)
	r = public.TicketResponse{}
	if err := json.Unmarshal(b, &r); err != nil || st != http.StatusCreated || r.Printed != "" || !strings.Contains(r.PrintError, "hall-9") {
		t.Errorf("an unknown kiosk printer: %d %s", st, b)
	}
}
