package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
)

// The supervisor's hands on an office's queue: move a waiting ticket to a
// window or back to the shared queue, change its priority, close a window
// whose clerk has gone. Each is one of the central's own events (window 0
// of the office, signed by the central's key, actor the supervisor), so it
// reaches every window's feed and the audit like a department's status
// change; the projections change in the same transaction.

// conflictf is a refusal because of the queue's state (409).
func conflictf(format string, args ...any) error {
	return &StatusError{Err: fmt.Errorf(format, args...)}
}

// invalidf is a refusal of the request itself (422).
func invalidf(format string, args ...any) error {
	return &StatusError{Invalid: true, Err: fmt.Errorf(format, args...)}
}

// checkReason says what is wrong with a supervisor's reason.
func checkReason(reason string, required bool) error {
	switch {
	case domain.CheckText(reason) != nil:
		return invalidf("reason: not text (invalid UTF-8 or NUL); type it again")
	case required && strings.TrimSpace(reason) == "":
		return invalidf("reason: say why (it is kept in the audit)")
	case len([]rune(reason)) > 500:
		return invalidf("reason: at most 500 characters")
	}
	return nil
}

// WindowExists reports whether office has window win: a workstation
// enrolled for it, or a window the queue has heard of.
func (t *Tx) WindowExists(office string, win int) (bool, error) {
	var n int
	if _, err := t.scan(`SELECT COUNT(*) FROM workstations WHERE office = ? AND win = ?`, []any{office, win}, &n); err != nil || n > 0 {
		return n > 0, err
	}
	if _, err := t.scan(`SELECT COUNT(*) FROM windows WHERE office = ? AND win = ?`, []any{office, win}, &n); err != nil {
		return false, err
	}
	return n > 0, nil
}

// officeWindows lists the windows of office, for an error message.
func (t *Tx) officeWindows(office string) ([]int, error) {
	rows, err := t.query(`SELECT win FROM workstations WHERE office = ? UNION SELECT win FROM windows WHERE office = ? ORDER BY 1`, office, office)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var w int
		if err := rows.Scan(&w); err != nil {
			return nil, err
		}
		if w > 0 {
			out = append(out, w)
		}
	}
	return out, rows.Err()
}

// waitingTicket finds a waiting ticket of office for a supervisor's move.
func (t *Tx) waitingTicket(office, id string) (*ticketRow, error) {
	if err := t.lock(office); err != nil {
		return nil, err
	}
	cur, err := t.ticket(id)
	if err != nil {
		return nil, err
	}
	if cur == nil || cur.office != office {
		return nil, fmt.Errorf("ticket %s in office %s: %w", clip(id, 40), office, domain.ErrNotFound)
	}
	if cur.state != string(domain.TicketWaiting) {
		return nil, conflictf("ticket %s is %s, not waiting: only a waiting ticket can be moved or reprioritised", cur.number, cur.state)
	}
	return cur, nil
}

// MoveTicket sends a waiting ticket to window req.Window of its office, or
// (0) back to the shared queue, recording ticket.redirected.
func (t *Tx) MoveTicket(caller *Session, office, ticketID string, req api.MoveTicketRequest) (api.SuperviseResponse, error) {
	if req.Window < 0 || req.Window > 999 {
		return api.SuperviseResponse{}, invalidf("window: 1–999, or 0 for the shared queue")
	}
	if err := checkReason(req.Reason, false); err != nil {
		return api.SuperviseResponse{}, err
	}
	cur, err := t.waitingTicket(office, ticketID)
	if err != nil {
		return api.SuperviseResponse{}, err
	}
	if req.Window > 0 {
		if err := t.openWindow(office, req.Window); err != nil {
			return api.SuperviseResponse{}, err
		}
	}
	if cur.win == req.Window {
		return api.SuperviseResponse{}, conflictf("ticket %s is already there", cur.number)
	}
	e, err := t.newCentral(office, domain.EvTicketRedirected, caller.Login, domain.TicketRedirectedPayload{Window: req.Window, Reason: req.Reason})
	if err != nil {
		return api.SuperviseResponse{}, err
	}
	e.TicketID = cur.id
	cur.win, cur.movedAt, cur.dirty = req.Window, t.now, true
	t.changed[office] = true
	if err := t.recordCentral(e); err != nil {
		return api.SuperviseResponse{}, err
	}
	return api.SuperviseResponse{Event: *e}, nil
}

// openWindow says why a ticket may not be sent to window win of office.
func (t *Tx) openWindow(office string, win int) error {
	ok, err := t.WindowExists(office, win)
	if err != nil {
		return err
	}
	if !ok {
		wins, err := t.officeWindows(office)
		if err != nil {
			return err
		}
		return invalidf("office %s has no window %d (its windows: %s)", office, win, intList(wins))
	}
	w, err := t.window(office, win)
	if err != nil {
		return err
	}
	if w.onBreak == windowClosed {
		return conflictf("window %d is closed: nobody would call the ticket there", win)
	}
	return nil
}

// SetPriority gives a waiting ticket a new queue rank (0: the ordinary
// queue; 1… before it, lower first), recording ticket.priority_changed
// with the supervisor's reason.
func (t *Tx) SetPriority(caller *Session, office, ticketID string, req api.PriorityRequest) (api.SuperviseResponse, error) {
	if req.Rank < 0 || req.Rank > domain.MaxRank {
		return api.SuperviseResponse{}, invalidf("rank: 0 (the ordinary queue) to %d (1 is served first)", domain.MaxRank)
	}
	if err := checkReason(req.Reason, true); err != nil {
		return api.SuperviseResponse{}, err
	}
	cur, err := t.waitingTicket(office, ticketID)
	if err != nil {
		return api.SuperviseResponse{}, err
	}
	if cur.prio == req.Rank {
		return api.SuperviseResponse{}, conflictf("ticket %s already has rank %d", cur.number, req.Rank)
	}
	e, err := t.newCentral(office, domain.EvTicketPriority, caller.Login, domain.TicketPriorityPayload{Rank: req.Rank, Reason: req.Reason})
	if err != nil {
		return api.SuperviseResponse{}, err
	}
	e.TicketID = cur.id
	cur.prio, cur.dirty = req.Rank, true
	t.changed[office] = true
	if err := t.recordCentral(e); err != nil {
		return api.SuperviseResponse{}, err
	}
	return api.SuperviseResponse{Event: *e}, nil
}

// CloseWindow closes a window whose clerk has gone: the ticket at it and
// those sent to it go back to the shared queue (one ticket.redirected each,
// so every window's fold sees them move), then window.force_closed. The
// window is closed as by a sign-out: a sign-in there (window.resumed) or
// a call opens it again.
func (t *Tx) CloseWindow(caller *Session, office string, win int, req api.CloseWindowRequest) (api.SuperviseResponse, error) {
	if err := checkReason(req.Reason, true); err != nil {
		return api.SuperviseResponse{}, err
	}
	if err := t.lock(office); err != nil {
		return api.SuperviseResponse{}, err
	}
	ok, err := t.WindowExists(office, win)
	if err != nil {
		return api.SuperviseResponse{}, err
	}
	if !ok {
		return api.SuperviseResponse{}, fmt.Errorf("window %d of office %s: %w", win, office, domain.ErrNotFound)
	}
	w, err := t.window(office, win)
	if err != nil {
		return api.SuperviseResponse{}, err
	}
	if w.onBreak == windowClosed {
		return api.SuperviseResponse{}, conflictf("window %d is closed already", win)
	}
	if err := t.flushTickets(); err != nil {
		return api.SuperviseResponse{}, err
	}
	ids, err := t.windowTickets(office, win)
	if err != nil {
		return api.SuperviseResponse{}, err
	}
	var resp api.SuperviseResponse
	why := fmt.Sprintf("window %d closed: %s", win, req.Reason)
	for _, id := range ids {
		cur, err := t.ticket(id)
		if err != nil {
			return resp, err
		}
		e, err := t.newCentral(office, domain.EvTicketRedirected, caller.Login, domain.TicketRedirectedPayload{Reason: why})
		if err != nil {
			return resp, err
		}
		e.TicketID = id
		cur.state, cur.win, cur.calledAt, cur.movedAt, cur.dirty = string(domain.TicketWaiting), 0, 0, t.now, true
		if err := t.recordCentral(e); err != nil {
			return resp, err
		}
		resp.Moved = append(resp.Moved, *e)
	}
	e, err := t.newCentral(office, domain.EvWindowForceClosed, caller.Login, domain.WindowClosedPayload{Window: win, Reason: req.Reason})
	if err != nil {
		return resp, err
	}
	w.onBreak, w.ticket, w.operator, w.since, w.dirty = windowClosed, "", "", t.now, true
	t.changed[office] = true
	if err := t.recordCentral(e); err != nil {
		return resp, err
	}
	resp.Event = *e
	return resp, nil
}

// windowTickets lists the tickets at window win of office or sent to it.
func (t *Tx) windowTickets(office string, win int) ([]string, error) {
	rows, err := t.query(`SELECT id FROM tickets WHERE office = ? AND win = ? AND state IN ('waiting', 'called') ORDER BY id`, office, win)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// Heartbeat notes that window win of office is there (an online
// workstation says so every HeartbeatEvery). It records no event. A window
// that had fallen silent for OfflineAfter shows again at once.
func (s *Store) Heartbeat(ctx context.Context, office string, win int) error {
	return s.WithTx(ctx, func(t *Tx) error {
		if err := t.lock(office); err != nil {
			return err
		}
		var seen int64
		found, err := t.scan(`SELECT last_seen FROM windows WHERE office = ? AND win = ?`, []any{office, win}, &seen)
		if err != nil {
			return err
		}
		if !found {
			t.changed[office] = true
			return t.exec(`INSERT INTO windows (office, win, last_seen) VALUES (?, ?, ?)`, office, win, t.now)
		}
		if t.now-seen > int64(OfflineAfter) {
			t.changed[office] = true // the window comes back: streams show it
		}
		// Only the time: a heartbeat alone does not wake the streams.
		return t.exec(`UPDATE windows SET last_seen = ? WHERE office = ? AND win = ?`, t.now, office, win)
	})
}

func intList(xs []int) string {
	if len(xs) == 0 {
		return "none yet"
	}
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ", ")
}
