package public_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/central/public/browsertest"
	"github.com/okno-mfc/okno/domain"
)

// startBooking runs a central whose office IRK books advertising permits
// in 30-minute slots on weekdays 09:00–18:00 (Irkutsk), at a settable
// clock.
func startBooking(t *testing.T, at time.Time) (*centraltest.Server, func(time.Time)) {
	t.Helper()
	var mu sync.Mutex
	now := at
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	srv := centraltest.Start(t, centraltest.Clock(clock))
	o := domain.Office{Code: "IRK", Name: "МФЦ «Мои документы», Иркутск", Lang: "ru", TimeZone: "Asia/Irkutsk",
		Hours:   map[string]string{"mon": "09:00-18:00", "tue": "09:00-18:00", "wed": "09:00-18:00", "thu": "09:00-18:00", "fri": "09:00-18:00"},
		Booking: &domain.BookingRules{SlotMinutes: map[string]int{"advertising_permit": 30}}}
	if err := srv.Store.PutOffice(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	return srv, func(t time.Time) { mu.Lock(); now = t; mu.Unlock() }
}

func irkutsk(s string) time.Time {
	loc, err := time.LoadLocation("Asia/Irkutsk")
	if err != nil {
		panic(err)
	}
	t, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		panic(err)
	}
	return t
}

// TestBookPage: the booking page without a browser: the office's name,
// its bookable services, the day's bounds, nobody's data.
func TestBookPage(t *testing.T) {
	t.Parallel()
	srv, _ := startBooking(t, irkutsk("2026-03-10 09:40"))
	st, body := get(t, srv.URL+"/book/IRK")
	if st != http.StatusOK || !strings.Contains(body, "Предварительная запись") || !strings.Contains(body, `min="2026-03-10"`) ||
		!strings.Contains(body, `max="2026-03-23"`) || !strings.Contains(body, `value="advertising_permit"`) {
		t.Fatalf("the booking page: %d\n%s", st, body)
	}
	if st, _ := get(t, srv.URL+"/book/MSK"); st != http.StatusNotFound {
		t.Errorf("an unknown office's page: %d", st)
	}
}

// TestBookAndCheckInBrowser: in a real browser a visitor books the 10:00
// slot on the page and gets a code; at 09:50 the kiosk checks the code in
// and prints a ticket marked booked, which the shared queue calls before
// an ordinary ticket issued earlier.
func TestBookAndCheckInBrowser(t *testing.T) {
	t.Parallel()
	srv, setClock := startBooking(t, irkutsk("2026-03-10 09:40"))
	b := browsertest.New(t, 1280, 1024)
	b.Do(t, chromedp.Navigate(srv.URL+"/book/IRK"), chromedp.WaitVisible("#slots-box"))
	b.Do(t, chromedp.SetValue("#service", "advertising_permit"),
		chromedp.Click("#show-slots"),
		chromedp.Poll[chromedp.Void](`document.querySelector("#slots button.slot") !== null && document.querySelector("#slots button.slot").getAttribute("data-at") === "2026-03-10T02:00:00Z"`),
		chromedp.Click("#slots button.slot"),
		chromedp.WaitVisible("#contact-box"),
		chromedp.SendKeys("#name", "Мар'яна"),
		chromedp.SendKeys("#phone", "+7 914 000-00-01"),
		chromedp.Click("#submit"),
		chromedp.WaitVisible("#done"),
	)
	code := browsertest.Eval[string](t, b, `document.getElementById("code").textContent`)
	if len(code) != 6 {
		t.Fatalf("the page shows code %q", code)
	}
	if n := srv.Count(t, "SELECT COUNT(*) FROM bookings WHERE state = 'booked' AND code = '"+code+"'"); n != 1 {
		t.Fatalf("booking %s: %d rows", code, n)
	}

	// An ordinary ticket waits already; at 09:50 the kiosk checks in.
	ws := srv.Enrol(t, "IRK", 3)
	ch := centraltest.NewChain("IRK", 3)
	ch.At = irkutsk("2026-03-10 09:41")
	iss, _ := ch.Issue("advertising_permit", "")
	if res, err := srv.Client(t, ws.Token).PushEvents(context.Background(), []domain.Event{iss}); err != nil || res.Results[0].Status != api.IngestAccepted {
		t.Fatalf("push: %+v %v", res, err)
	}
	setClock(irkutsk("2026-03-10 09:50"))
	// The kiosk has a printer (?printer=hall-1, an ESC/POS printer on a
	// TCP port as on 9100): the booking's ticket is printed like any other.
	printed := fakePrinter(t)
	o, err := srv.Store.Office(context.Background(), "IRK")
	if err != nil {
		t.Fatal(err)
	}
	o.KioskPrinters = map[string]string{"hall-1": printed.addr}
	if err := srv.Store.PutOffice(context.Background(), *o); err != nil {
		t.Fatal(err)
	}
	b.Do(t, chromedp.Navigate(srv.URL+"/kiosk/IRK?printer=hall-1"), chromedp.WaitVisible("#step-groups"),
		chromedp.Click("#have-booking"),
		chromedp.WaitVisible("#step-booking"),
		chromedp.SendKeys("#booking-code", strings.ToLower(code)),
		chromedp.Click("#checkin"),
		chromedp.WaitVisible("#step-ticket"),
	)
	number := browsertest.Eval[string](t, b, `document.getElementById("t-number").textContent`)
	if got := browsertest.Eval[string](t, b, `document.getElementById("t-category").textContent`); !strings.Contains(got, "По записи на") {
		t.Errorf("the ticket is not marked booked: %q", got)
	}
	select {
	case data := <-printed.got:
		// The slot, 10:00, in bold where a category would stand (code
		// page 1251: "По записи на").
		booked := []byte("\x1bE\x01\xcf\xee \xe7\xe0\xef\xe8\xf1\xe8 \xed\xe0 10:00")
		if !bytes.Contains(data, []byte("\x1d!\x33"+number+"\n")) || !bytes.Contains(data, []byte("/hall/IRK/t/"+number)) || !bytes.Contains(data, booked) {
			t.Errorf("the printer got %q, not ticket %s", data, number)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the booking's ticket did not reach the kiosk's printer")
	}
	if browsertest.Eval[bool](t, b, `document.getElementById("t-printed").hidden`) {
		t.Error("the kiosk does not say the ticket was printed")
	}
	r, err := srv.Client(t, ws.Token).CallNext(context.Background(), "IRK", api.CallNextRequest{Window: 3})
	if err != nil || r.Ticket.Number != number {
		t.Fatalf("window 3 called %+v (%v); want the booked %s first", r.Ticket, err, number)
	}
}

// printer is a network ESC/POS printer on a loopback port: what it got.
type printer struct {
	addr string
	got  chan []byte
}

func fakePrinter(t *testing.T) printer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	p := printer{addr: ln.Addr().String(), got: make(chan []byte, 1)}
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		b, _ := io.ReadAll(c)
		p.got <- b
	}()
	return p
}
