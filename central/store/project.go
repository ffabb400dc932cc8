package store

import (
	"fmt"
	"slices"
	"strings"

	"github.com/okno-mfc/okno/domain"
)

// The projections the central keeps from accepted events: cases (folded
// with domain's CaseView.Apply, the same fold as the workstation's), the
// office queues' tickets and the windows. Visitor events change one table
// only: the address of a visitor who consented to notices (notices.go);
// otherwise the event is the record, and the central keeps no other copy
// of a visitor's personal data.
//
// Each apply function checks every rule before it writes, so a rejected
// event changes nothing. It returns the broken rule as reason (the event is
// then stored as rejected) or a store failure as err.

// apply folds an accepted-to-be event into the projections.
func (t *Tx) apply(e *domain.Event, p any) (reason string, err error) {
	switch {
	case strings.HasPrefix(string(e.Kind), "case."):
		reason, err = t.applyCase(e, p)
	case strings.HasPrefix(string(e.Kind), "ticket."):
		reason, err = t.applyTicket(e, p)
	case strings.HasPrefix(string(e.Kind), "visitor."):
		err = t.applyVisitor(e, p)
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
		w.onBreak, w.since = windowBreak, e.At.UnixNano()
	case domain.EvWindowResumed:
		w.onBreak, w.since = windowOpen, e.At.UnixNano()
	case domain.EvWindowClosed:
		w.onBreak, w.since, w.operator = windowClosed, e.At.UnixNano(), ""
	case domain.EvTicketCalled:
		w.onBreak = windowOpen
	default: // the other kinds leave the window's break as it is
	}
	return "", nil
}

// applyCase folds a case event; p is its decoded payload.
func (t *Tx) applyCase(e *domain.Event, p any) (string, error) {
	c, err := t.loadCase(e.CaseID)
	if err != nil {
		return "", err
	}
	if c == nil {
		if e.Kind != domain.EvCaseOpened {
			return fmt.Sprintf("case %s is unknown to the central: its %s event must come first", e.CaseID, domain.EvCaseOpened), nil
		}
		v, err := domain.NewCaseDecoded(e, p)
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
		v.Department = t.department(v.Service)
		return "", t.saveCase(v)
	}
	if c.Office != e.Office {
		return fmt.Sprintf("case %s belongs to office %s, not %s", c.ID, c.Office, e.Office), nil
	}
	next := *c
	if err := next.ApplyDecoded(e, p); err != nil {
		return err.Error(), nil
	}
	if next.Department == "" {
		next.Department = t.department(next.Service) // a case opened before departments were recorded
	}
	if h, ok := p.(*domain.HandOffPayload); ok && h.StatusCodeHash != "" {
		t.codes = append(t.codes, caseCode{next.Number, next.ID, h.StatusCodeHash})
	}
	if h, ok := p.(*domain.HandOffPayload); ok && h.RatingCodeHash != "" {
		if err := t.addRatingCode(h.RatingCodeHash, next.Office, "", next.ID); err != nil {
			return "", fmt.Errorf("rating code: %w", err)
		}
	}
	return "", t.saveCase(&next)
}

// caseCode is a row of case_codes to insert at flush.
type caseCode struct{ number, caseID, hash string }

// flushCodes inserts the status codes of the cases handed off in this
// transaction; a number's first code stays (as one INSERT … ON CONFLICT
// DO NOTHING per hand-off kept it).
func (t *Tx) flushCodes() error {
	seen := map[string]bool{}
	codes := t.codes[:0:0]
	for _, c := range t.codes {
		if !seen[c.number] {
			seen[c.number] = true
			codes = append(codes, c)
		}
	}
	t.codes = t.codes[:0]
	if err := t.insertRows("case_codes", []string{"number", "case_id", "code_hash"}, "ON CONFLICT (number) DO NOTHING", len(codes), func(i int) []any {
		return []any{codes[i].number, codes[i].caseID, codes[i].hash}
	}); err != nil {
		return fmt.Errorf("case codes: %w", err)
	}
	return nil
}

// department is the department that decides a service in the catalogue
// in force ("" when the catalogue does not know the service).
func (t *Tx) department(service string) string {
	if t.cat == nil {
		return ""
	}
	if svc, ok := t.cat.Service(service); ok {
		return svc.Department
	}
	return ""
}

// ticketRow is a ticket's row as this transaction sees it.
type ticketRow struct {
	id, office, number, service, category string
	prio                                  int
	state                                 string
	win                                   int
	issuedAt, calledAt, closedAt, movedAt int64
	dirty                                 bool
}

const ticketColumns = `id, office, number, service, category, prio, state, win, issued_at, called_at, closed_at, moved_at`

func (r *ticketRow) dest() []any {
	return []any{&r.id, &r.office, &r.number, &r.service, &r.category, &r.prio, &r.state, &r.win, &r.issuedAt, &r.calledAt, &r.closedAt, &r.movedAt}
}

// ticket returns a ticket's row, or nil if the central has none.
func (t *Tx) ticket(id string) (*ticketRow, error) {
	if r, ok := t.tickets[id]; ok {
		return r, nil
	}
	r := &ticketRow{}
	found, err := t.scan(`SELECT `+ticketColumns+` FROM tickets WHERE id = ?`, []any{id}, r.dest()...)
	if err != nil {
		return nil, err
	}
	if !found {
		r = nil
	}
	t.tickets[id] = r
	return r, nil
}

func (t *Tx) applyTicket(e *domain.Event, p any) (string, error) {
	cur, err := t.ticket(e.TicketID)
	if err != nil {
		return "", err
	}
	if cur != nil && cur.office != e.Office {
		return fmt.Sprintf("ticket %s belongs to office %s, not %s", e.TicketID, cur.office, e.Office), nil
	}
	at := e.At.UnixNano()
	t.changed[e.Office] = true
	switch p := p.(type) {
	case *domain.TicketIssuedPayload:
		rank := t.rank(p.Category)
		if p.Prebooked && rank == 0 {
			rank = domain.PrebookedRank
		}
		if cur != nil { // a window called it from the shared queue before its issue reached us
			cur.number, cur.service, cur.category, cur.prio, cur.issuedAt, cur.dirty = p.Number, p.Service, p.Category, rank, at, true
			return "", nil
		}
		t.tickets[e.TicketID] = &ticketRow{id: e.TicketID, office: e.Office, number: p.Number, service: p.Service, category: p.Category,
			prio: rank, state: string(domain.TicketWaiting), issuedAt: at, movedAt: at, dirty: true}
		return "", nil
	case *domain.TicketMovePayload:
		return "", t.moveTicket(e, p, cur, at)
	case *domain.TicketRedirectedPayload:
		if cur == nil {
			return fmt.Sprintf("ticket %s is unknown to the central: its %s event must come first", e.TicketID, domain.EvTicketIssued), nil
		}
		if cur.movedAt > at {
			return "", nil // an older move arriving late: the ticket has moved on
		}
		if err := t.releaseWindow(e.Office, e.Window, e.TicketID, at); err != nil {
			return "", err
		}
		cur.state, cur.win, cur.calledAt, cur.movedAt, cur.dirty = string(domain.TicketWaiting), p.Window, 0, at, true
		if p.Service != "" {
			cur.service = p.Service
		}
	}
	return "", nil
}

// moveTicket applies a window's move of a ticket. Moves are facts a window
// already acted on, so they are not refused; a move older than the last one
// applied changes nothing.
func (t *Tx) moveTicket(e *domain.Event, p *domain.TicketMovePayload, cur *ticketRow, at int64) error {
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
	if cur == nil {
		cur = &ticketRow{id: e.TicketID, office: e.Office, number: p.Number, service: p.Service, state: string(domain.TicketWaiting), issuedAt: at}
		t.tickets[e.TicketID] = cur
	} else if cur.movedAt > at {
		return nil
	}
	cur.state, cur.win, cur.movedAt, cur.dirty = string(state), win, at, true
	switch state {
	case domain.TicketCalled:
		// A recall keeps the time of the first call, which ended the wait.
		if e.Kind != domain.EvTicketRecalled || cur.calledAt == 0 {
			cur.calledAt = at
		}
	case domain.TicketWaiting:
		cur.calledAt = 0
	default:
		cur.closedAt = at
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

// flushTickets writes the tickets this transaction changed.
func (t *Tx) flushTickets() error {
	var ids []string
	for id, r := range t.tickets {
		if r != nil && r.dirty {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	err := t.upsert("tickets", []string{"id"}, nil, len(ids), func(i int) []any {
		r := t.tickets[ids[i]]
		return []any{r.id, r.office, r.number, r.service, r.category, r.prio, r.state, r.win, r.issuedAt, r.calledAt, r.closedAt, r.movedAt}
	}, "office", "number", "service", "category", "prio", "state", "win", "issued_at", "called_at", "closed_at", "moved_at")
	if err != nil {
		return err
	}
	for _, id := range ids {
		t.tickets[id].dirty = false
	}
	return nil
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

// What the windows' on_break column holds: open, on a break
// (window.break until window.resumed or a call), or closed by a sign-out
// (window.closed) or by a supervisor (window.force_closed, the central's
// event) until window.resumed or a call.
const (
	windowOpen   = 0
	windowBreak  = 1
	windowClosed = 2
)

// windowRow is a window's row as this transaction sees it.
type windowRow struct {
	onBreak  int // windowOpen, windowBreak or windowClosed
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
	var ks []StreamID
	for k, w := range t.windows {
		if w.dirty {
			ks = append(ks, k)
		}
	}
	sortStreams(ks)
	err := t.upsert("windows", []string{"office", "win"}, nil, len(ks), func(i int) []any {
		w := t.windows[ks[i]]
		return []any{ks[i].Office, ks[i].Window, w.operator, w.ticket, w.since, w.lastSeen, w.onBreak}
	}, "operator", "ticket_id", "since", "last_seen", "on_break")
	if err != nil {
		return err
	}
	for _, k := range ks {
		t.windows[k].dirty = false
		t.changed[k.Office] = true
	}
	return nil
}
