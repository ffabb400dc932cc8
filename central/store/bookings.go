package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/figures"
	"github.com/okno-mfc/okno/domain"
)

// Pre-booking (domain/booking.go): free slots, bookings, cancellation, the
// check-in that turns a booking into a ticket of the shared queue, and the
// housekeeping that marks no-shows. A booking is written under the
// office's write lock (PostgreSQL: its advisory lock; SQLite: the one
// writer), after counting the slot's places in the same transaction, so
// two requests never both take a slot's last place.

// Booking states.
const (
	bookingBooked    = "booked"
	bookingCheckedIn = "checked_in"
	bookingCancelled = "cancelled"
	bookingNoShow    = "no_show"
)

// codeAlphabet has no letters or digits that read alike (0/O, 1/I/L).
const codeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// newBookingCode is 6 random characters of codeAlphabet.
func newBookingCode() string {
	b := make([]byte, 6)
	rand.Read(b)
	for i := range b {
		b[i] = codeAlphabet[int(b[i])%len(codeAlphabet)]
	}
	return string(b)
}

// NormalizeBookingCode reads a code as typed: upper case, no spaces or
// dashes; "" when it cannot be one.
func NormalizeBookingCode(s string) string {
	s = strings.ToUpper(strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(s)))
	if len(s) != 6 || strings.Trim(s, codeAlphabet) != "" {
		return ""
	}
	return s
}

// dayBounds is the office-local day of t: its start and the next's.
func dayBounds(t time.Time, loc *time.Location) (time.Time, time.Time) {
	t = t.In(loc)
	start := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	return start, start.AddDate(0, 0, 1)
}

// bookable checks that o books service at all.
func bookable(o *domain.Office, cat *domain.Catalog, service string) error {
	if cat != nil {
		if _, ok := cat.Service(service); !ok {
			return invalidf("service %q: not in the catalogue; GET /v1/public/offices/%s/services lists them", clip(service, 40), o.Code)
		}
	}
	if o.SlotCapacity(service) <= 0 {
		return invalidf("service %q is not booked at office %s: take a ticket at the kiosk", clip(service, 40), o.Code)
	}
	return nil
}

// Slots lists the free slots of service at office o on day (a date in
// the office's zone): those still ahead, with the places left.
func (s *Store) Slots(ctx context.Context, o *domain.Office, cat *domain.Catalog, service string, day time.Time) (api.SlotsResponse, error) {
	resp := api.SlotsResponse{Office: o.Code, Service: service, Date: day.Format(time.DateOnly),
		SlotMinutes: int(o.SlotLength(service) / time.Minute), Slots: []api.Slot{}}
	if err := bookable(o, cat, service); err != nil {
		return resp, err
	}
	loc, err := o.Location()
	if err != nil {
		return resp, err
	}
	now := s.now()
	today, _ := dayBounds(now, loc)
	if last := today.AddDate(0, 0, o.DaysAhead()); !day.Before(last) {
		return resp, invalidf("date: slots are booked at most %d days ahead (until %s)", o.DaysAhead(), last.AddDate(0, 0, -1).Format(time.DateOnly))
	}
	var holidays, workdays []string
	if cat != nil {
		holidays, workdays = cat.Holidays, cat.Workdays
	}
	starts := o.SlotsOn(service, day, holidays, workdays)
	if len(starts) == 0 {
		return resp, nil
	}
	taken := map[int64]int{}
	rows, err := s.rdb.QueryContext(ctx, s.d.q(`SELECT slot, COUNT(*) FROM bookings WHERE office = ? AND service = ? AND slot >= ? AND slot <= ?
		AND state IN ('booked', 'checked_in') GROUP BY slot`), o.Code, service, starts[0].UnixNano(), starts[len(starts)-1].UnixNano())
	if err != nil {
		return resp, err
	}
	defer rows.Close()
	for rows.Next() {
		var at int64
		var n int
		if err := rows.Scan(&at, &n); err != nil {
			return resp, err
		}
		taken[at] = n
	}
	if err := rows.Err(); err != nil {
		return resp, err
	}
	capacity := o.SlotCapacity(service)
	for _, at := range starts {
		if !at.After(now) {
			continue
		}
		if free := capacity - taken[at.UnixNano()]; free > 0 {
			resp.Slots = append(resp.Slots, api.Slot{At: at.UTC(), Free: free})
		}
	}
	return resp, nil
}

// contactKey checks the phone or e-mail of a booking and returns it as
// kept and its key (SHA-256 of the normalised form).
func contactKey(req *api.BookingRequest) (contact, key string, err error) {
	phone, email := strings.TrimSpace(req.Phone), strings.TrimSpace(req.Email)
	switch {
	case phone == "" && email == "":
		return "", "", invalidf("phone or email: give one, so the office can reach you")
	case phone != "" && email != "":
		return "", "", invalidf("phone or email: give one of them, not both")
	case phone != "":
		var digits strings.Builder
		for _, r := range phone {
			switch {
			case r >= '0' && r <= '9':
				digits.WriteRune(r)
			case r == '+' || r == ' ' || r == '-' || r == '(' || r == ')':
			default:
				return "", "", invalidf("phone: digits only, e.g. +7 914 123-45-67")
			}
		}
		d := digits.String()
		if len(d) == 11 && d[0] == '8' {
			d = "7" + d[1:] // a Russian number written 8 …
		}
		if len(d) < 10 || len(d) > 15 {
			return "", "", invalidf("phone: 10 to 15 digits with the country code, e.g. +7 914 123-45-67")
		}
		contact = "+" + d
	default:
		a, perr := mail.ParseAddress(email)
		if perr != nil || a.Name != "" || len(email) > 200 || !strings.Contains(a.Address, ".") {
			return "", "", invalidf("email: an address such as name@example.ru")
		}
		contact = strings.ToLower(a.Address)
	}
	sum := sha256.Sum256([]byte(contact))
	return contact, hex.EncodeToString(sum[:]), nil
}

// checkName says what is wrong with a booking's name.
func checkName(name string) error {
	n := strings.TrimSpace(name)
	if n == "" {
		return invalidf("name: say how the office may call you")
	}
	if len([]rune(n)) > 200 {
		return invalidf("name: at most 200 characters")
	}
	for _, r := range n {
		if unicode.IsControl(r) {
			return invalidf("name: letters, spaces, hyphens and apostrophes only")
		}
	}
	return nil
}

// Book takes a place of a slot. A slot not in the office's schedule or
// past, or a full slot, is refused (422, 409); so is a contact that holds
// the office's bookings per day already (409).
func (s *Store) Book(ctx context.Context, o *domain.Office, cat *domain.Catalog, req api.BookingRequest) (api.BookingResponse, error) {
	if err := bookable(o, cat, req.Service); err != nil {
		return api.BookingResponse{}, err
	}
	if err := checkName(req.Name); err != nil {
		return api.BookingResponse{}, err
	}
	contact, key, err := contactKey(&req)
	if err != nil {
		return api.BookingResponse{}, err
	}
	loc, err := o.Location()
	if err != nil {
		return api.BookingResponse{}, err
	}
	var holidays, workdays []string
	if cat != nil {
		holidays, workdays = cat.Holidays, cat.Workdays
	}
	slot := req.Slot.In(loc)
	found := false
	for _, at := range o.SlotsOn(req.Service, slot, holidays, workdays) {
		found = found || at.Equal(slot)
	}
	if !found {
		return api.BookingResponse{}, invalidf("slot %s is not a slot of %s at office %s: pick one of GET /v1/public/offices/%s/slots",
			slot.Format(time.RFC3339), clip(req.Service, 40), o.Code, o.Code)
	}
	now := s.now()
	today, _ := dayBounds(now, loc)
	if !slot.After(now) {
		return api.BookingResponse{}, conflictf("slot %s has begun: pick a later one", slot.Format("2006-01-02 15:04"))
	}
	if !slot.Before(today.AddDate(0, 0, o.DaysAhead())) {
		return api.BookingResponse{}, invalidf("slots are booked at most %d days ahead", o.DaysAhead())
	}
	day := slot.Format(time.DateOnly)
	resp := api.BookingResponse{Slot: slot.UTC(), Office: o.Code, Service: req.Service}
	err = s.WithTx(ctx, func(t *Tx) error {
		if err := t.lock(o.Code); err != nil {
			return err
		}
		var n int
		if _, err := t.scan(`SELECT COUNT(*) FROM bookings WHERE office = ? AND contact_key = ? AND day = ? AND state IN ('booked', 'checked_in')`,
			[]any{o.Code, key, day}, &n); err != nil {
			return err
		}
		if n >= o.PerContactDay() {
			return conflictf("this phone or e-mail holds %d bookings on %s already, the most one may (cancel one to book another)", n, day)
		}
		if _, err := t.scan(`SELECT COUNT(*) FROM bookings WHERE office = ? AND service = ? AND slot = ? AND state IN ('booked', 'checked_in')`,
			[]any{o.Code, req.Service, slot.UnixNano()}, &n); err != nil {
			return err
		}
		if n >= o.SlotCapacity(req.Service) {
			return conflictf("slot %s is taken: pick another", slot.Format("2006-01-02 15:04"))
		}
		for range 5 {
			code := newBookingCode()
			var m int
			if _, err := t.scan(`SELECT COUNT(*) FROM bookings WHERE code = ?`, []any{code}, &m); err != nil {
				return err
			}
			if m == 0 {
				resp.Code = code
				break
			}
		}
		if resp.Code == "" {
			return fmt.Errorf("no free booking code after 5 tries")
		}
		return t.exec(`INSERT INTO bookings (code, office, service, slot, day, name, contact, contact_key, state, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, resp.Code, o.Code, req.Service, slot.UnixNano(), day,
			strings.TrimSpace(req.Name), contact, key, bookingBooked, t.now)
	})
	return resp, err
}

// CancelBooking frees a booking's place. An unknown code is a 404; one
// checked in, cancelled or past is a 409.
func (s *Store) CancelBooking(ctx context.Context, code string) error {
	return s.WithTx(ctx, func(t *Tx) error {
		var office, state string
		found, err := t.scan(`SELECT office, state FROM bookings WHERE code = ?`, []any{code}, &office, &state)
		if err != nil {
			return err
		}
		if !found {
			return fmt.Errorf("booking %s: %w", code, domain.ErrNotFound)
		}
		if err := t.lock(office); err != nil {
			return err
		}
		if state != bookingBooked {
			return conflictf("booking %s is %s: nothing to cancel", code, strings.ReplaceAll(state, "_", " "))
		}
		return t.exec(`UPDATE bookings SET state = ? WHERE code = ? AND state = ?`, bookingCancelled, code, bookingBooked)
	})
}

// CheckIn turns a booking into a ticket of the office's shared queue, from
// domain.CheckInBefore before its slot to domain.CheckInAfter after: the
// central's ticket.issued (window 0, prebooked) with queue rank
// domain.PrebookedRank, so the next free window serving it calls it
// after the privileged categories and before the ordinary queue.
func (s *Store) CheckIn(ctx context.Context, o *domain.Office, cat *domain.Catalog, code string) (api.CheckInResponse, error) {
	loc, err := o.Location()
	if err != nil {
		return api.CheckInResponse{}, err
	}
	var resp api.CheckInResponse
	err = s.WithTx(ctx, func(t *Tx) error {
		t.cat = cat
		if err := t.lock(o.Code); err != nil {
			return err
		}
		var service, state string
		var slot int64
		found, err := t.scan(`SELECT service, slot, state FROM bookings WHERE code = ? AND office = ?`, []any{code, o.Code}, &service, &slot, &state)
		if err != nil {
			return err
		}
		if !found {
			return fmt.Errorf("no booking %s at office %s: check the code on your confirmation: %w", code, o.Code, domain.ErrNotFound)
		}
		at := time.Unix(0, slot).In(loc)
		now := time.Unix(0, t.now).In(loc)
		switch {
		case state != bookingBooked:
			return conflictf("booking %s is %s: take a ticket at the kiosk", code, strings.ReplaceAll(state, "_", " "))
		case now.Before(at.Add(-domain.CheckInBefore)):
			return conflictf("booking %s is for %s: check in from %s", code, at.Format("2006-01-02 15:04"), at.Add(-domain.CheckInBefore).Format("15:04"))
		case now.After(at.Add(domain.CheckInAfter)):
			return conflictf("booking %s was for %s: check-in closed at %s; take a ticket at the kiosk", code, at.Format("15:04"), at.Add(domain.CheckInAfter).Format("15:04"))
		}
		prefix := "A"
		if cat != nil {
			if svc, ok := cat.Service(service); ok && svc.Prefix != "" {
				prefix = svc.Prefix
			}
		}
		// Numbered as the kiosk's tickets (kiosk.go): the central's
		// thousand, counted per office, day and prefix in kiosk_numbers.
		number, err := t.centralNumber(o.Code, figures.StartOfDay(now, loc), prefix)
		if err != nil {
			return err
		}
		id, err := uuid.NewV7()
		if err != nil {
			return err
		}
		e, err := t.newCentral(o.Code, domain.EvTicketIssued, "booking:"+code, domain.TicketIssuedPayload{Number: number, Service: service, Prebooked: true})
		if err != nil {
			return err
		}
		e.TicketID = id.String()
		t.tickets[e.TicketID] = &ticketRow{id: e.TicketID, office: o.Code, number: number, service: service,
			prio: domain.PrebookedRank, state: string(domain.TicketWaiting), issuedAt: t.now, movedAt: t.now, dirty: true}
		t.changed[o.Code] = true
		if err := t.recordCentral(e); err != nil {
			return err
		}
		if err := t.exec(`UPDATE bookings SET state = ?, ticket_id = ? WHERE code = ?`, bookingCheckedIn, e.TicketID, code); err != nil {
			return err
		}
		if err := t.flushTickets(); err != nil {
			return err
		}
		waiting, err := t.s.waitingIn(t.ctx, t.tx, o.Code)
		if err != nil {
			return err
		}
		for _, q := range waiting {
			if q.TicketID == e.TicketID {
				break
			}
			if q.Service == service {
				resp.Ahead++
			}
		}
		resp.Number, resp.Service, resp.Booked, resp.Slot = number, service, true, at.UTC()
		return nil
	})
	return resp, err
}

// ExpireBookings marks as no-shows the bookings whose check-in window has
// passed: their place no longer counts, nor against the contact's limit.
// It returns how many it marked.
func (s *Store) ExpireBookings(ctx context.Context) (int, error) {
	var n int64
	err := s.WithTx(ctx, func(t *Tx) error {
		var err error
		n, err = t.execResult(`UPDATE bookings SET state = ? WHERE state = ? AND slot < ?`,
			bookingNoShow, bookingBooked, t.now-int64(domain.CheckInAfter))
		return err
	})
	return int(n), err
}
