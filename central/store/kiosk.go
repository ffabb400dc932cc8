package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/internal/ratingcode"
)

// KioskTicket is a ticket the central issued itself (the hall's kiosk).
type KioskTicket struct {
	ID       string
	Number   string
	Service  string
	Category string
	IssuedAt time.Time
	// RatingCode rates the ticket once it is served (canonical form,
	// internal/ratingcode); only its hash is kept.
	RatingCode string
}

// ErrServiceFull says a service has had its daily limit of tickets.
type ErrServiceFull struct {
	Service string
	Limit   int
}

func (e *ErrServiceFull) Error() string {
	return fmt.Sprintf("service %s has had its %d tickets for today; come another day", e.Service, e.Limit)
}

// IssueKioskTicket gives a visitor at the kiosk a ticket of office for a
// service, in a privileged category or the ordinary queue (""): the same
// ticket.issued fact as a clerk's walk-in ticket, recorded in the office's
// central stream (window 0, signed with the central's key), so every
// window gets it through the feed and the shared queue calls it once.
// limit caps the service's tickets of the day that began at dayStart (0:
// no cap; *ErrServiceFull past it). Numbers restart every day and are the
// central's (domain.IssuerNumber of window 0: A-001 … A-999), apart from
// every window's.
func (t *Tx) IssueKioskTicket(office string, cat *domain.Catalog, service, category string, limit int, dayStart time.Time) (KioskTicket, error) {
	t.cat = cat
	svc, ok := cat.Service(service)
	if !ok {
		return KioskTicket{}, &domain.InvalidError{Field: "service", Problem: domain.ProblemUnknown, Message: fmt.Sprintf("no service %q in the catalogue", clip(service, 40))}
	}
	if category != "" {
		if _, ok := cat.Category(category); !ok {
			return KioskTicket{}, &domain.InvalidError{Field: "category", Problem: domain.ProblemUnknown, Message: fmt.Sprintf("no privileged category %q in the catalogue", clip(category, 40))}
		}
	}
	if err := t.lock(office); err != nil {
		return KioskTicket{}, err
	}
	if err := t.flushTickets(); err != nil {
		return KioskTicket{}, err
	}
	day := dayStart.UnixNano()
	if limit > 0 {
		var n int
		if _, err := t.scan(`SELECT COUNT(*) FROM tickets WHERE office = ? AND service = ? AND issued_at >= ?`, []any{office, service, day}, &n); err != nil {
			return KioskTicket{}, err
		}
		if n >= limit {
			return KioskTicket{}, &ErrServiceFull{Service: service, Limit: limit}
		}
	}
	number, err := t.centralNumber(office, dayStart, svc.Prefix)
	if err != nil {
		return KioskTicket{}, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return KioskTicket{}, err
	}
	p := domain.TicketIssuedPayload{Number: number, Service: service, Category: category}
	e, err := t.newCentral(office, domain.EvTicketIssued, "kiosk", p)
	if err != nil {
		return KioskTicket{}, err
	}
	e.TicketID = id.String()
	if reason, err := t.applyTicket(e, &p); err != nil || reason != "" {
		if err == nil {
			err = fmt.Errorf("kiosk ticket: %s", reason)
		}
		return KioskTicket{}, err
	}
	if err := t.recordCentral(e); err != nil {
		return KioskTicket{}, err
	}
	rating, err := ratingcode.New(nil)
	if err != nil {
		return KioskTicket{}, err
	}
	if err := t.addRatingCode(ratingcode.Hash(rating), office, e.TicketID, ""); err != nil {
		return KioskTicket{}, err
	}
	return KioskTicket{ID: e.TicketID, Number: number, Service: service, Category: category, IssuedAt: e.At, RatingCode: rating}, nil
}

// centralNumber is the number of the central's next ticket of prefix in
// office on the day that began at dayStart (the kiosk's and bookings'
// check-ins alike): counted in kiosk_numbers under the office's write
// lock (the caller holds it), numbered in the central's thousand
// (domain.IssuerNumber of window 0).
func (t *Tx) centralNumber(office string, dayStart time.Time, prefix string) (string, error) {
	var issued int64
	dayKey := dayStart.Format(time.DateOnly)
	if _, err := t.scan(`SELECT n FROM kiosk_numbers WHERE office = ? AND day = ? AND prefix = ?`, []any{office, dayKey, prefix}, &issued); err != nil {
		return "", err
	}
	if err := t.upsert("kiosk_numbers", []string{"office", "day", "prefix"}, nil, 1, func(int) []any {
		return []any{office, dayKey, prefix, issued + 1}
	}, "n"); err != nil {
		return "", err
	}
	return domain.TicketNumber{Prefix: prefix, N: domain.IssuerNumber(0, issued+1)}.String(), nil
}

// IssuedSince counts the office's tickets issued since since, by service.
func (s *Store) IssuedSince(ctx context.Context, office string, since time.Time) (map[string]int, error) {
	rows, err := s.rdb.QueryContext(ctx, s.d.q(`SELECT service, COUNT(*) FROM tickets WHERE office = ? AND issued_at >= ? GROUP BY service`), office, since.UnixNano())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var svc string
		var n int
		if err := rows.Scan(&svc, &n); err != nil {
			return nil, err
		}
		out[svc] = n
	}
	return out, rows.Err()
}
