package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/domain"
)

// bookingOffice is Irkutsk's office: weekdays 09:00–18:00, Saturday
// 10:00–14:00, the Russian calendar; advertising permits in 30-minute
// slots at two windows, other services 15 minutes at one.
var bookingOffice = domain.Office{Code: "IRK", Name: "МФЦ Иркутск", Lang: "ru", Calendar: "ru", TimeZone: "Asia/Irkutsk",
	Hours:   map[string]string{"mon": "09:00-18:00", "tue": "09:00-18:00", "wed": "09:00-18:00", "thu": "09:00-18:00", "fri": "09:00-18:00", "sat": "10:00-14:00"},
	Booking: &domain.BookingRules{SlotMinutes: map[string]int{"advertising_permit": 30}, Windows: map[string]int{"advertising_permit": 2}}}

// clockAt is a settable clock for the central.
type clockAt struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clockAt) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clockAt) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func irkutskAt(s string) time.Time {
	loc, _ := time.LoadLocation("Asia/Irkutsk")
	t, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		panic(err)
	}
	return t
}

func startBooking(t *testing.T, opt centraltest.Option, clock *clockAt) *centraltest.Server {
	t.Helper()
	srv := centraltest.Start(t, opt, centraltest.Clock(clock.now))
	if err := srv.Store.PutOffice(context.Background(), bookingOffice); err != nil {
		t.Fatal(err)
	}
	return srv
}

func slotsOf(t *testing.T, srv *centraltest.Server, service, date string) api.SlotsResponse {
	t.Helper()
	st, b, _ := call(t, srv, http.MethodGet, "/v1/public/offices/IRK/slots?service="+service+"&date="+date, "", nil)
	if st != http.StatusOK {
		t.Fatalf("slots of %s on %s: %d %s", service, date, st, b)
	}
	return decode[api.SlotsResponse](t, b)
}

func bookBody(t testing.TB, service string, slot time.Time, phone string) []byte {
	return mustJSON(t, api.BookingRequest{Office: "IRK", Service: service, Slot: slot, Name: "Мар'яна", Phone: phone})
}

// TestBookingRace: 50 requests at once for a slot's last place: exactly
// one 201, the other 49 a 409, and the slot then full — on SQLite and on
// PostgreSQL.
func TestBookingRace(t *testing.T) {
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		clock := &clockAt{t: irkutskAt("2026-03-10 08:00")} // a Tuesday
		srv := startBooking(t, opt, clock)
		slot := irkutskAt("2026-03-11 17:30") // the last slot of Wednesday
		if st, b, _ := call(t, srv, http.MethodPost, "/v1/public/bookings", "", bookBody(t, "advertising_permit", slot, "+7 914 000-00-01")); st != http.StatusCreated {
			t.Fatalf("the first place: %d %s", st, b)
		}
		var wg sync.WaitGroup
		statuses := make([]int, 50)
		start := make(chan struct{})
		for i := range statuses {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				statuses[i], _, _ = call(t, srv, http.MethodPost, "/v1/public/bookings", "", bookBody(t, "advertising_permit", slot, fmt.Sprintf("+7 914 100-%02d-%02d", i/100, i%100)))
			}()
		}
		close(start)
		wg.Wait()
		count := map[int]int{}
		for _, s := range statuses {
			count[s]++
		}
		if count[http.StatusCreated] != 1 || count[http.StatusConflict] != 49 {
			t.Fatalf("50 requests for the last place: %v", count)
		}
		for _, s := range slotsOf(t, srv, "advertising_permit", "2026-03-11").Slots {
			if s.At.Equal(slot) {
				t.Fatalf("the full slot is still listed: %+v", s)
			}
		}
		if n := srv.Count(t, "SELECT COUNT(*) FROM bookings WHERE slot = "+fmt.Sprint(slot.UnixNano())); n != 2 {
			t.Fatalf("%d bookings of the slot, want 2", n)
		}
		t.Logf("booking race on %s: 50 requests for the last place → %d × 201, %d × 409", srv.Kind, count[http.StatusCreated], count[http.StatusConflict])
	})
}

// TestBookingFlow: the schedule, a booking, the limits, cancelling,
// check-in within its window giving a booked ticket the shared queue
// calls before the ordinary ones, no-shows.
func TestBookingFlow(t *testing.T) {
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		ctx := context.Background()
		clock := &clockAt{t: irkutskAt("2026-03-10 08:00")}
		srv := startBooking(t, opt, clock)

		// The schedule: Tuesday 09:00–18:00 in 30 minutes (18 slots), 15
		// for a one-window service (36); Saturday 10–14; Sunday and 8 March
		// closed; a bad date or service says what to send.
		if got := slotsOf(t, srv, "advertising_permit", "2026-03-10").Slots; len(got) != 18 || got[0].Free != 2 || !got[0].At.Equal(irkutskAt("2026-03-10 09:00")) {
			t.Fatalf("Tuesday's slots: %d, first %+v", len(got), got[0])
		}
		if got := slotsOf(t, srv, "kindergarten_queue", "2026-03-10").Slots; len(got) != 36 {
			t.Fatalf("Tuesday's 15-minute slots: %d", len(got))
		}
		if got := slotsOf(t, srv, "advertising_permit", "2026-03-14").Slots; len(got) != 8 {
			t.Fatalf("Saturday's slots: %d", len(got))
		}
		for _, d := range []string{"2026-03-15", "2026-03-09"} { // Sunday; 9 March 2026, the holiday moved from Sunday 8 March
			if got := slotsOf(t, srv, "advertising_permit", d).Slots; len(got) != 0 {
				t.Errorf("%s: %d slots, want none", d, len(got))
			}
		}
		for path, want := range map[string]int{
			"/v1/public/offices/IRK/slots?service=advertising_permit&date=10.03.2026": 400,
			"/v1/public/offices/IRK/slots?date=2026-03-10":                            400,
			"/v1/public/offices/IRK/slots?service=nope&date=2026-03-10":               422,
			"/v1/public/offices/IRK/slots?service=advertising_permit&date=2026-05-10": 422, // past 14 days ahead
			"/v1/public/offices/MSK/slots?service=advertising_permit&date=2026-03-10": 404,
		} {
			if st, b, _ := call(t, srv, http.MethodGet, path, "", nil); st != want {
				t.Errorf("%s: %d %s, want %d", path, st, b, want)
			}
		}

		// Book 10:00: 201 with a code; the slot has one place left.
		slot := irkutskAt("2026-03-10 10:00")
		st, b, _ := call(t, srv, http.MethodPost, "/v1/public/bookings", "", bookBody(t, "advertising_permit", slot, "8 (914) 000-00-01"))
		if st != http.StatusCreated {
			t.Fatalf("book: %d %s", st, b)
		}
		booked := decode[api.BookingResponse](t, b)
		if len(booked.Code) != 6 || !booked.Slot.Equal(slot) {
			t.Fatalf("booking: %+v", booked)
		}
		// The same phone, written another way, may hold two a day, not three.
		call(t, srv, http.MethodPost, "/v1/public/bookings", "", bookBody(t, "advertising_permit", irkutskAt("2026-03-10 11:00"), "+79140000001"))
		if st, b, _ := call(t, srv, http.MethodPost, "/v1/public/bookings", "", bookBody(t, "advertising_permit", irkutskAt("2026-03-10 12:00"), "+7 914 000 00 01")); st != http.StatusConflict || !strings.Contains(string(b), "holds 2 bookings") {
			t.Fatalf("a third booking of the phone: %d %s", st, b)
		}
		for name, body := range map[string]api.BookingRequest{
			"not a slot":     {Office: "IRK", Service: "advertising_permit", Slot: irkutskAt("2026-03-10 10:10"), Name: "A", Phone: "+79140000002"},
			"closed day":     {Office: "IRK", Service: "advertising_permit", Slot: irkutskAt("2026-03-15 10:00"), Name: "A", Phone: "+79140000002"},
			"both contacts":  {Office: "IRK", Service: "advertising_permit", Slot: slot, Name: "A", Phone: "+79140000002", Email: "a@b.ru"},
			"no contact":     {Office: "IRK", Service: "advertising_permit", Slot: slot, Name: "A"},
			"bad e-mail":     {Office: "IRK", Service: "advertising_permit", Slot: slot, Name: "A", Email: "not an address"},
			"no name":        {Office: "IRK", Service: "advertising_permit", Slot: slot, Phone: "+79140000002"},
			"letters phone":  {Office: "IRK", Service: "advertising_permit", Slot: slot, Name: "A", Phone: "call me"},
			"unknown office": {Office: "MSK", Service: "advertising_permit", Slot: slot, Name: "A", Phone: "+79140000002"},
		} {
			st, b, _ := call(t, srv, http.MethodPost, "/v1/public/bookings", "", mustJSON(t, body))
			if st != http.StatusUnprocessableEntity && !(name == "unknown office" && st == 404) {
				t.Errorf("%s: %d %s", name, st, b)
			}
			if strings.Contains(string(b), "+7914") || strings.Contains(string(b), "a@b.ru") {
				t.Errorf("%s: the answer repeats the contact: %s", name, b)
			}
		}

		// Cancel the 11:00 one: 204, then 409; an unknown code 404.
		other := decode[api.BookingResponse](t, func() []byte {
			_, b, _ := call(t, srv, http.MethodPost, "/v1/public/bookings", "", mustJSON(t, api.BookingRequest{Office: "IRK", Service: "kindergarten_queue",
				Slot: irkutskAt("2026-03-10 11:00"), Name: "Борис", Email: "boris@example.ru"}))
			return b
		}())
		if st, b, _ := call(t, srv, http.MethodDelete, "/v1/public/bookings/"+strings.ToLower(other.Code), "", nil); st != http.StatusNoContent {
			t.Fatalf("cancel: %d %s", st, b)
		}
		if st, _, _ := call(t, srv, http.MethodDelete, "/v1/public/bookings/"+other.Code, "", nil); st != http.StatusConflict {
			t.Fatalf("cancel again: %d", st)
		}
		if st, _, _ := call(t, srv, http.MethodDelete, "/v1/public/bookings/ZZZZZZ", "", nil); st != http.StatusNotFound {
			t.Fatalf("cancel an unknown code: %d", st)
		}

		// Check-in: at 09:30 too early; at 09:50 a ticket marked booked,
		// which window 3 calls before an ordinary ticket issued earlier.
		ws := srv.Enrol(t, "IRK", 3)
		ch := centraltest.NewChain("IRK", 3)
		ch.At = irkutskAt("2026-03-10 08:01")
		ordinary, ordID := ch.Issue("advertising_permit", "")
		if r := push(t, srv, ws.Token, ordinary); r[0].Status != api.IngestAccepted {
			t.Fatalf("the ordinary ticket: %+v", r[0])
		}
		checkin := "/v1/public/offices/IRK/bookings/" + booked.Code + "/checkin"
		clock.set(irkutskAt("2026-03-10 09:30"))
		if st, b, _ := call(t, srv, http.MethodPost, checkin, "", nil); st != http.StatusConflict || !strings.Contains(string(b), "check in from 09:45") {
			t.Fatalf("check-in at 09:30: %d %s", st, b)
		}
		clock.set(irkutskAt("2026-03-10 09:50"))
		st, b, _ = call(t, srv, http.MethodPost, checkin, "", nil)
		if st != http.StatusCreated {
			t.Fatalf("check-in at 09:50: %d %s", st, b)
		}
		ticket := decode[api.CheckInResponse](t, b)
		if !ticket.Booked || ticket.Number != "A-001" || ticket.Ahead != 0 {
			t.Fatalf("the booked ticket: %+v", ticket)
		}
		if st, _, _ := call(t, srv, http.MethodPost, checkin, "", nil); st != http.StatusConflict {
			t.Fatalf("a second check-in: %d", st)
		}
		// The kiosk's ticket API takes a booking code too (the 10:00 slot's
		// second place, booked now).
		st, b, _ = call(t, srv, http.MethodPost, "/v1/public/bookings", "", bookBody(t, "advertising_permit", slot, "+7 914 000-00-09"))
		if st != http.StatusCreated {
			t.Fatalf("the second place: %d %s", st, b)
		}
		second := decode[api.BookingResponse](t, b)
		st, b, _ = call(t, srv, http.MethodPost, "/v1/public/offices/IRK/tickets", "", []byte(`{"booking_code": "`+strings.ToLower(second.Code)+`"}`))
		if st != http.StatusCreated || !strings.Contains(string(b), `"booked":true`) || !strings.Contains(string(b), `"number":"A-002"`) {
			t.Fatalf("the kiosk's ticket with a booking code: %d %s", st, b)
		}
		if st, b, _ := call(t, srv, http.MethodPost, "/v1/public/offices/IRK/tickets", "", []byte(`{"booking_code": "`+second.Code+`"}`)); st != http.StatusConflict {
			t.Fatalf("the same code again at the kiosk: %d %s", st, b)
		}
		r, err := srv.Client(t, ws.Token).CallNext(ctx, "IRK", api.CallNextRequest{Window: 3})
		if err != nil || r.Ticket.Number != "A-001" {
			t.Fatalf("window 3 calls %+v, %v; want the booked ticket before %s", r.Ticket, err, ordID)
		}
		// The workstation's feed brings the ticket marked booked.
		page, err := srv.Client(t, ws.Token).Feed(ctx, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		var prebooked bool
		for _, e := range page.Events {
			if e.Kind == domain.EvTicketIssued && e.Window == 0 {
				prebooked = strings.Contains(string(e.Payload), `"prebooked":true`)
			}
		}
		if !prebooked {
			t.Fatal("the feed has no prebooked ticket.issued")
		}

		// The 11:00 booking of the same phone is not checked in: after
		// 11:10 it is a no-show and no longer holds its place.
		clock.set(irkutskAt("2026-03-10 11:11"))
		n, err := srv.Store.ExpireBookings(ctx)
		if err != nil || n != 1 {
			t.Fatalf("expire: %d, %v", n, err)
		}
		if got := srv.Count(t, "SELECT COUNT(*) FROM bookings WHERE state = 'no_show'"); got != 1 {
			t.Fatalf("no-shows: %d", got)
		}
	})
}
