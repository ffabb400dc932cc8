package store

import (
	"fmt"
	"strings"

	"github.com/okno-mfc/okno/domain"
)

// The projections the central keeps from accepted events: cases (folded
// with domain's CaseView.Apply, the same fold as the workstation's), the
// office queues' tickets and the windows. Visitor events change no table:
// the event is the record, and the central keeps no other copy of a
// visitor's personal data.
//
// Each apply function checks every rule before it writes, so a rejected
// event changes nothing. It returns the broken rule as reason (the event is
// then stored as rejected) or a store failure as err.

// apply folds an accepted-to-be event into the projections.
func (t *Tx) apply(e *domain.Event, p any) (reason string, err error) {
	switch {
	case strings.HasPrefix(string(e.Kind), "case."):
		reason, err = t.applyCase(e)
	case strings.HasPrefix(string(e.Kind), "ticket."):
		reason, err = t.applyTicket(e, p)
	}
	if reason != "" || err != nil || e.Window == 0 {
		return reason, err
	}
	w, err := t.window(e.Office, e.Window)
	if err != nil {
		return "", err
	}
	w.lastSeen, w.dirty = t.now, true
	if e.Actor != "" {
		w.operator = e.Actor
	}
	switch e.Kind {
	case domain.EvWindowBreak:
		w.onBreak, w.since = true, e.At.UnixNano()
	case domain.EvWindowResumed:
		w.onBreak, w.since = false, e.At.UnixNano()
	case domain.EvTicketCalled:
		w.onBreak = false
	default: // the other kinds leave the window's break as it is
	}
	return "", nil
}

func (t *Tx) applyCase(e *domain.Event) (string, error) {
	c, err := t.loadCase(e.CaseID)
	if err != nil {
		return "", err
	}
	if c == nil {
		if e.Kind != domain.EvCaseOpened {
			return fmt.Sprintf("case %s is unknown to the central: its %s event must come first", e.CaseID, domain.EvCaseOpened), nil
		}
		v, err := domain.NewCase(e)
		if err != nil {
			return err.Error(), nil
		}
		other, err := t.caseByNumber(v.Number)
		if err != nil {
			return "", err
		}
		if other != "" {
			return fmt.Sprintf("case number %s is already used by case %s", v.Number, other), nil
		}
		return "", t.saveCase(v)
	}
	if c.Office != e.Office {
		return fmt.Sprintf("case %s belongs to office %s, not %s", c.ID, c.Office, e.Office), nil
	}
	next := *c
	if err := next.Apply(e); err != nil {
		return err.Error(), nil
	}
	return "", t.saveCase(&next)
}

type ticketRow struct {
	office  string
	state   string
	win     int
	movedAt int64
}

func (t *Tx) applyTicket(e *domain.Event, p any) (string, error) {
	var cur ticketRow
	found, err := t.scan(`SELECT office, state, win, moved_at FROM tickets WHERE id = ?`, []any{e.TicketID},
		&cur.office, &cur.state, &cur.win, &cur.movedAt)
	if err != nil {
		return "", err
	}
	if found && cur.office != e.Office {
		return fmt.Sprintf("ticket %s belongs to office %s, not %s", e.TicketID, cur.office, e.Office), nil
	}
	at := e.At.UnixNano()
	t.changed[e.Office] = true
	switch p := p.(type) {
	case *domain.TicketIssuedPayload:
		rank := t.rank(p.Category)
		if found { // a window called it from the shared queue before its issue reached us
			return "", t.exec(`UPDATE tickets SET number = ?, service = ?, category = ?, prio = ?, issued_at = ? WHERE id = ?`,
				p.Number, p.Service, p.Category, rank, at, e.TicketID)
		}
		return "", t.exec(`INSERT INTO tickets (id, office, number, service, category, prio, state, win, issued_at, moved_at)
			VALUES (?, ?, ?, ?, ?, ?, 'waiting', 0, ?, ?)`,
			e.TicketID, e.Office, p.Number, p.Service, p.Category, rank, at, at)
	case *domain.TicketMovePayload:
		return "", t.moveTicket(e, p, found, cur, at)
	case *domain.TicketRedirectedPayload:
		if !found {
			return fmt.Sprintf("ticket %s is unknown to the central: its %s event must come first", e.TicketID, domain.EvTicketIssued), nil
		}
		if cur.movedAt > at {
			return "", nil // an older move arriving late: the ticket has moved on
		}
		if err := t.releaseWindow(e.Office, e.Window, e.TicketID, at); err != nil {
			return "", err
		}
		return "", t.exec(`UPDATE tickets SET state = 'waiting', win = ?, service = CASE WHEN ? <> '' THEN ? ELSE service END,
			called_at = 0, moved_at = ? WHERE id = ?`, p.Window, p.Service, p.Service, at, e.TicketID)
	}
	return "", nil
}

// moveTicket applies a window's move of a ticket. Moves are facts a window
// already acted on, so they are not refused; a move older than the last one
// applied changes nothing.
func (t *Tx) moveTicket(e *domain.Event, p *domain.TicketMovePayload, found bool, cur ticketRow, at int64) error {
	win := p.Window
	if win == 0 {
		win = e.Window
	}
	var state domain.TicketState
	switch e.Kind {
	case domain.EvTicketCalled, domain.EvTicketRecalled:
		state = domain.TicketCalled
	case domain.EvTicketNoShow:
		state = domain.TicketNoShow
	case domain.EvTicketPostponed:
		state = domain.TicketPostponed
	case domain.EvTicketReturned:
		state = domain.TicketWaiting
	case domain.EvTicketServed:
		state = domain.TicketServed
	default:
		return fmt.Errorf("no ticket move for %s", e.Kind)
	}
	if !found {
		if err := t.exec(`INSERT INTO tickets (id, office, number, service, state, win, issued_at) VALUES (?, ?, ?, ?, 'waiting', 0, ?)`,
			e.TicketID, e.Office, p.Number, p.Service, at); err != nil {
			return err
		}
	} else if cur.movedAt > at {
		return nil
	}
	var err error
	switch state {
	case domain.TicketCalled:
		recall := 0 // a recall keeps the time of the first call, which ended the wait
		if e.Kind == domain.EvTicketRecalled {
			recall = 1
		}
		err = t.exec(`UPDATE tickets SET state = 'called', win = ?, called_at = CASE WHEN ? = 1 AND called_at <> 0 THEN called_at ELSE ? END,
			moved_at = ? WHERE id = ?`, win, recall, at, at, e.TicketID)
	case domain.TicketWaiting:
		err = t.exec(`UPDATE tickets SET state = 'waiting', win = ?, called_at = 0, moved_at = ? WHERE id = ?`, win, at, e.TicketID)
	default:
		err = t.exec(`UPDATE tickets SET state = ?, win = ?, closed_at = ?, moved_at = ? WHERE id = ?`, string(state), win, at, at, e.TicketID)
	}
	if err != nil {
		return err
	}
	w, err := t.window(e.Office, win)
	if err != nil {
		return err
	}
	if state == domain.TicketCalled {
		w.ticket, w.since, w.dirty = e.TicketID, at, true
		return nil
	}
	return t.releaseWindow(e.Office, win, e.TicketID, at)
}

// releaseWindow frees a window that was serving ticket.
func (t *Tx) releaseWindow(office string, win int, ticket string, at int64) error {
	w, err := t.window(office, win)
	if err != nil {
		return err
	}
	if w.ticket == ticket {
		w.ticket, w.since, w.dirty = "", at, true
	}
	return nil
}

// rank is the queue rank of a privileged category (0: the ordinary queue).
func (t *Tx) rank(category string) int {
	if category == "" || t.cat == nil {
		return 0
	}
	if c, ok := t.cat.Category(category); ok {
		return c.Rank
	}
	return 0
}

// windowRow is a window's row as this transaction sees it.
type windowRow struct {
	onBreak  bool
	operator string
	ticket   string
	since    int64
	lastSeen int64
	dirty    bool
}

func (t *Tx) window(office string, win int) (*windowRow, error) {
	k := StreamID{office, win}
	if w, ok := t.windows[k]; ok {
		return w, nil
	}
	w := &windowRow{}
	if _, err := t.scan(`SELECT operator, ticket_id, since, last_seen, on_break FROM windows WHERE office = ? AND win = ?`,
		[]any{office, win}, &w.operator, &w.ticket, &w.since, &w.lastSeen, &w.onBreak); err != nil {
		return nil, err
	}
	t.windows[k] = w
	return w, nil
}

func (t *Tx) flushWindows() error {
	for k, w := range t.windows {
		if !w.dirty {
			continue
		}
		if err := t.exec(`INSERT INTO windows (office, win, operator, ticket_id, since, last_seen, on_break) VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (office, win) DO UPDATE SET operator = excluded.operator, ticket_id = excluded.ticket_id,
				since = excluded.since, last_seen = excluded.last_seen, on_break = excluded.on_break`,
			k.Office, k.Window, w.operator, w.ticket, w.since, w.lastSeen, boolInt(w.onBreak)); err != nil {
			return fmt.Errorf("window %s/%d: %w", k.Office, k.Window, err)
		}
		w.dirty = false
		t.changed[k.Office] = true
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
