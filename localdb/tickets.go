package localdb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
)

// Ticket is a ticket as the queue screen shows it.
type Ticket struct {
	ID       string
	Number   string
	Service  string
	Category string
	Rank     int
	Proof    string
	State    domain.TicketState
	Window   int
	IssuedAt time.Time
	CalledAt time.Time
}

// Waited is how long the ticket has waited by now (or until it was called).
func (t Ticket) Waited(now time.Time) time.Duration {
	if !t.CalledAt.IsZero() {
		return t.CalledAt.Sub(t.IssuedAt)
	}
	return now.Sub(t.IssuedAt)
}

// IssueTicket gives a walk-in visitor a ticket for a service, in a
// privileged category (with its proof document) or the ordinary queue ("").
// Numbers restart every day; each window numbers in its own thousand
// (domain.IssuerNumber: window 3 issues A-3001 … A-3999, window 12
// A-12001 …), apart from every other window and from the central's kiosk
// (A-001 … A-999), so no two tickets of an office have the same number
// on a day, windows working offline included. The ticket's identity is
// its id, never its number.
func (s *Store) IssueTicket(ctx context.Context, actor, service, category, proof string) (Ticket, error) {
	svc, ok := s.catalog.Service(service)
	if !ok {
		return Ticket{}, &domain.InvalidError{Field: "service", Problem: domain.ProblemUnknown, Message: fmt.Sprintf("no service %q in the catalogue", service)}
	}
	rank := 0
	if category != "" {
		c, ok := s.catalog.Category(category)
		if !ok {
			return Ticket{}, &domain.InvalidError{Field: "category", Problem: domain.ProblemUnknown, Message: fmt.Sprintf("no privileged category %q in the catalogue", category)}
		}
		if err := domain.CheckProof(proof); err != nil {
			return Ticket{}, fmt.Errorf("%s: %w", c.Proof, err)
		}
		rank = c.Rank
	}
	id, err := uuid.NewV7()
	if err != nil {
		return Ticket{}, err
	}
	t := Ticket{ID: id.String(), Service: service, Category: category, Rank: rank, Proof: proof, State: domain.TicketWaiting}
	err = s.WithTx(ctx, func(tx *Tx) error {
		now := s.Now()
		n, err := s.nextTicket(ctx, tx, now, svc.Prefix)
		if err != nil {
			return err
		}
		t.Number = domain.TicketNumber{Prefix: svc.Prefix, N: domain.IssuerNumber(s.window, n)}.String()
		ev, err := s.record(ctx, tx, draft{At: now, Kind: domain.EvTicketIssued, Actor: actor, TicketID: t.ID,
			Payload: domain.TicketIssuedPayload{Number: t.Number, Service: service, Category: category, Proof: proof}})
		if err != nil {
			return err
		}
		t.IssuedAt = ev.At
		return nil
	})
	return t, err
}

// nextTicket is the count of the tickets with prefix this window will have
// issued on now's day with the next one. The day's counts are kept in
// memory, found once a day from the day's own ticket.issued events (and,
// for a day begun before this version, its row in counters), so a ticket
// writes no counter page. A ticket's number is for the hall's display;
// its identity is its id.
func (s *Store) nextTicket(ctx context.Context, tx *Tx, now time.Time, prefix string) (int64, error) {
	day := now.Format("060102")
	if s.ticketDay != day {
		seqs, err := s.countTickets(ctx, tx, now)
		if err != nil {
			return 0, fmt.Errorf("count the day's tickets: %w", err)
		}
		s.ticketDay, s.ticketSeqs = day, seqs
	}
	n := s.ticketSeqs[prefix] + 1
	tx.afterCommit(func() {
		if s.ticketDay == day {
			s.ticketSeqs[prefix] = n
		}
	})
	return n, nil
}

// countTickets counts the tickets this window issued on now's day, by
// prefix: its local events read back from the newest until the day before,
// or the day's row in counters where an earlier version kept the count.
func (s *Store) countTickets(ctx context.Context, tx *Tx, now time.Time) (map[string]int64, error) {
	day := now.Format("060102")
	seqs := map[string]int64{}
	err := eachRow(ctx, tx, `SELECT at, kind, payload FROM events WHERE n > 0 ORDER BY n DESC`, nil, func(sc scanner) (bool, error) {
		var at, kind string
		var payload []byte
		if err := sc.Scan(&at, &kind, &payload); err != nil {
			return false, err
		}
		t, err := time.Parse(timeFormat, at)
		if err != nil || t.In(now.Location()).Format("060102") < day {
			return false, err
		}
		if domain.EventKind(kind) == domain.EvTicketIssued {
			var p domain.TicketIssuedPayload
			if err := json.Unmarshal(payload, &p); err != nil {
				return false, err
			}
			if num, err := domain.ParseTicketNumber(p.Number); err == nil {
				seqs[num.Prefix]++
			}
		}
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	err = eachRow(ctx, tx, `SELECT substr(name, 15), value FROM counters WHERE name LIKE ?`, []any{"ticket:" + day + ":%"}, func(sc scanner) (bool, error) {
		var prefix string
		var n int64
		err := sc.Scan(&prefix, &n)
		seqs[prefix] = max(seqs[prefix], n)
		return true, err
	})
	return seqs, err
}

// next increments and returns a named counter.
func (s *Store) next(ctx context.Context, tx *Tx, name string) (int64, error) {
	var n int64
	err := tx.QueryRowContext(ctx, `INSERT INTO counters (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value`, name).Scan(&n)
	return n, err
}

const ticketColumns = `id, number, service, category, rank, proof, state, window, issued_at, called_at`

func scanTicket(sc scanner) (Ticket, error) {
	var t Ticket
	var state, issued, called string
	if err := sc.Scan(&t.ID, &t.Number, &t.Service, &t.Category, &t.Rank, &t.Proof, &state, &t.Window, &issued, &called); err != nil {
		return t, err
	}
	t.State = domain.TicketState(state)
	t.IssuedAt, _ = time.Parse(timeFormat, issued)
	if called != "" {
		t.CalledAt, _ = time.Parse(timeFormat, called)
	}
	return t, nil
}

// Waiting lists this window's own queue, in the order it will be called:
// tickets issued here, and tickets sent to this window. It is what the window
// serves when the link is down, so that two windows never call the same
// visitor; online, the office's shared queue decides (see OfficeWaiting).
func (s *Store) Waiting(ctx context.Context) ([]Ticket, error) {
	return s.tickets(ctx, s.rdb, ownQueue, s.window, s.window)
}

// OfficeWaiting lists every ticket waiting in the office as far as this
// workstation knows (its own and what the feed brought), in queue order.
func (s *Store) OfficeWaiting(ctx context.Context) ([]Ticket, error) {
	return s.tickets(ctx, s.rdb, `state = 'waiting' AND window IN (0, ?)`, s.window)
}

// Postponed lists the tickets this window set aside.
func (s *Store) Postponed(ctx context.Context) ([]Ticket, error) {
	return s.tickets(ctx, s.rdb, `state = 'postponed' AND window = ?`, s.window)
}

// ownQueue is the window's own queue: tickets issued here, and tickets sent here.
const ownQueue = `state = 'waiting' AND (window = ? OR (window = 0 AND origin = ?))`

func (s *Store) tickets(ctx context.Context, q querier, where string, args ...any) ([]Ticket, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+ticketColumns+` FROM tickets WHERE `+where+`
		ORDER BY CASE WHEN rank > 0 THEN rank ELSE 1000000 END, issued_at, number`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Ticket
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// Current is the ticket this window is serving now, if any.
func (s *Store) Current(ctx context.Context) (Ticket, bool, error) { return s.current(ctx, s.rdb) }

func (s *Store) current(ctx context.Context, q querier) (Ticket, bool, error) {
	t, err := scanTicket(q.QueryRowContext(ctx, `SELECT `+ticketColumns+` FROM tickets WHERE state = 'called' AND window = ? ORDER BY called_at DESC LIMIT 1`, s.window))
	if errors.Is(err, sql.ErrNoRows) {
		return t, false, nil
	}
	return t, err == nil, err
}

// Ticket returns one ticket.
func (s *Store) Ticket(ctx context.Context, id string) (Ticket, error) {
	t, err := scanTicket(s.rdb.QueryRowContext(ctx, `SELECT `+ticketColumns+` FROM tickets WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return t, fmt.Errorf("ticket %s: %w", id, domain.ErrNotFound)
	}
	return t, err
}

// CallNext calls the next ticket of the window's own queue: privileged
// categories first, then by the time of issue, among services the window's
// equipment allows. This is the offline path; online, the link asks the
// office's shared queue and records the answer with CallTicket.
func (s *Store) CallNext(ctx context.Context, actor string, equipment []string) (Ticket, error) {
	var t Ticket
	err := s.WithTx(ctx, func(tx *Tx) error {
		cs, err := s.callState(ctx, tx)
		if err != nil {
			return err
		}
		if err := domain.CanCallNext(cs); err != nil {
			return err
		}
		waiting, err := s.tickets(ctx, tx, ownQueue, s.window, s.window)
		if err != nil {
			return err
		}
		for _, w := range waiting {
			if svc, ok := s.catalog.Service(w.Service); ok && !domain.CanServe(svc, equipment) {
				continue
			}
			t = w
			return s.moveTx(ctx, tx, actor, &t, domain.EvTicketCalled, domain.TicketMovePayload{Window: s.window})
		}
		return domain.ErrQueueEmpty
	})
	return t, err
}

// CallTicket records that this window called a ticket the office's shared
// queue reserved for it.
func (s *Store) CallTicket(ctx context.Context, actor string, q api.QueueTicket) (Ticket, error) {
	t := Ticket{ID: q.ID, Number: q.Number, Service: q.Service, Category: q.Category, Rank: q.Rank, IssuedAt: q.IssuedAt}
	err := s.WithTx(ctx, func(tx *Tx) error {
		return s.moveTx(ctx, tx, actor, &t, domain.EvTicketCalled, domain.TicketMovePayload{Window: s.window, Shared: true, Number: q.Number, Service: q.Service})
	})
	return t, err
}

func (s *Store) moveTx(ctx context.Context, tx *Tx, actor string, t *Ticket, kind domain.EventKind, p any) error {
	if _, err := s.record(ctx, tx, draft{Kind: kind, Actor: actor, TicketID: t.ID, Payload: p}); err != nil {
		return err
	}
	nt, err := scanTicket(tx.QueryRowContext(ctx, `SELECT `+ticketColumns+` FROM tickets WHERE id = ?`, t.ID))
	if err != nil {
		return err
	}
	*t = nt
	return nil
}

// allowed says which ticket states a move may start from.
var allowed = map[domain.EventKind][]domain.TicketState{
	domain.EvTicketRecalled:   {domain.TicketCalled},
	domain.EvTicketNoShow:     {domain.TicketCalled},
	domain.EvTicketPostponed:  {domain.TicketCalled},
	domain.EvTicketServed:     {domain.TicketCalled},
	domain.EvTicketReturned:   {domain.TicketPostponed},
	domain.EvTicketRedirected: {domain.TicketCalled, domain.TicketWaiting, domain.TicketPostponed},
}

// Move records one of a ticket's moves at this window: recalled, no-show,
// postponed, returned, served.
func (s *Store) Move(ctx context.Context, actor, ticketID string, kind domain.EventKind) (Ticket, error) {
	return s.move(ctx, actor, ticketID, kind, domain.TicketMovePayload{Window: s.window})
}

// Redirect sends a ticket to another service (or "" to keep it) and/or
// another window (0 for any).
func (s *Store) Redirect(ctx context.Context, actor, ticketID, service string, window int) (Ticket, error) {
	if service != "" {
		if _, ok := s.catalog.Service(service); !ok {
			return Ticket{}, &domain.InvalidError{Field: "service", Problem: domain.ProblemUnknown, Message: fmt.Sprintf("no service %q in the catalogue", service)}
		}
	}
	if window < 0 || window > 999 {
		return Ticket{}, &domain.InvalidError{Field: "window", Problem: domain.ProblemRange, Message: "a window is 1 to 999, or 0 for any"}
	}
	if window > 0 {
		wins, err := s.OfficeWindows(ctx)
		if err != nil {
			return Ticket{}, err
		}
		if len(wins) > 0 && !slices.Contains(wins, window) {
			return Ticket{}, &domain.InvalidError{Field: "window", Problem: domain.ProblemUnknown,
				Message: fmt.Sprintf("office %s has no window %d (its windows: %s)", s.office, window, joinInts(wins))}
		}
	}
	return s.move(ctx, actor, ticketID, domain.EvTicketRedirected, domain.TicketRedirectedPayload{Service: service, Window: window})
}

// joinInts prints "1, 2, 3".
func joinInts(xs []int) string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = strconv.Itoa(x)
	}
	return strings.Join(out, ", ")
}

func (s *Store) move(ctx context.Context, actor, ticketID string, kind domain.EventKind, p any) (Ticket, error) {
	var t Ticket
	err := s.WithTx(ctx, func(tx *Tx) error {
		cur, err := scanTicket(tx.QueryRowContext(ctx, `SELECT `+ticketColumns+` FROM tickets WHERE id = ?`, ticketID))
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("ticket %s: %w", ticketID, domain.ErrNotFound)
		} else if err != nil {
			return err
		}
		ok := false
		for _, st := range allowed[kind] {
			ok = ok || st == cur.State
		}
		if !ok {
			return fmt.Errorf("ticket %s is %s: it cannot be %s", cur.Number, cur.State, kind)
		}
		t = cur
		return s.moveTx(ctx, tx, actor, &t, kind, p)
	})
	return t, err
}

// CallState is what the may-this-window-call-next rule (domain.CanCallNext)
// looks at now: the window's break and the ticket it serves.
func (s *Store) CallState(ctx context.Context) (domain.CallState, error) {
	return s.callState(ctx, s.rdb)
}

func (s *Store) callState(ctx context.Context, q querier) (domain.CallState, error) {
	var cs domain.CallState
	since, err := getMeta(ctx, q, "on_break")
	if err != nil {
		return cs, err
	}
	cur, ok, err := s.current(ctx, q)
	if err != nil {
		return cs, err
	}
	cs.OnBreak = since != ""
	if ok {
		cs.Serving = cur.Number
	}
	return cs, nil
}

// OnBreak says whether the window is on a break, and since when.
func (s *Store) OnBreak(ctx context.Context) (bool, time.Time, error) {
	v, err := getMeta(ctx, s.rdb, "on_break")
	if err != nil || v == "" {
		return false, time.Time{}, err
	}
	t, err := time.Parse(timeFormat, v)
	return true, t, err
}

// SetBreak records that the window's operator goes on a break (on) or comes
// back; the supervisor sees the window as "break" meanwhile. A window with a
// visitor at it finishes that ticket first.
func (s *Store) SetBreak(ctx context.Context, actor string, on bool, reason string) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		since, err := getMeta(ctx, tx, "on_break")
		if err != nil {
			return err
		}
		switch {
		case on && since != "":
			return errors.New("this window is on a break already")
		case !on && since == "":
			return errors.New("this window is not on a break")
		}
		kind := domain.EvWindowResumed
		if on {
			if _, busy, err := s.current(ctx, tx); err != nil {
				return err
			} else if busy {
				return domain.ErrTicketAtWindow
			}
			kind = domain.EvWindowBreak
		}
		_, err = s.record(ctx, tx, draft{Kind: kind, Actor: actor, Payload: domain.WindowPayload{Reason: reason}})
		return err
	})
}

// SignOut records that the operator signed out: the window is closed (the
// supervisor sees it so) until someone signs in. A window with a visitor
// at it finishes that ticket first.
func (s *Store) SignOut(ctx context.Context, actor string) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		if _, busy, err := s.current(ctx, tx); err != nil {
			return err
		} else if busy {
			return domain.ErrTicketAtWindow
		}
		_, err := s.record(ctx, tx, draft{Kind: domain.EvWindowClosed, Actor: actor, Payload: domain.WindowPayload{}})
		return err
	})
}

// SignedIn records that an operator signed in at a window that was closed
// by a sign-out: it is open again. At a window that was not closed it
// records nothing (a break stays a break).
func (s *Store) SignedIn(ctx context.Context, actor string) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		closed, err := getMeta(ctx, tx, "closed")
		if err != nil || closed == "" {
			return err
		}
		_, err = s.record(ctx, tx, draft{Kind: domain.EvWindowResumed, Actor: actor, Payload: domain.WindowPayload{}})
		return err
	})
}

// Closed says whether the window was closed by a sign-out.
func (s *Store) Closed(ctx context.Context) (bool, error) {
	v, err := getMeta(ctx, s.rdb, "closed")
	return v != "", err
}
