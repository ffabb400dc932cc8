package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/figures"
	"github.com/okno-mfc/okno/domain"
)

// OfflineAfter is how long a window may stay silent (no event, no
// heartbeat) before the snapshot shows it offline ("no link"): online
// workstations send a heartbeat every 30 s (HeartbeatEvery).
const OfflineAfter = 2 * time.Minute

// HeartbeatEvery is how often an online workstation tells the central its
// window is there.
const HeartbeatEvery = 30 * time.Second

// Snapshot is the office's queue now: its windows, the tickets waiting in
// the order they will be called, and today's figures.
func (s *Store) Snapshot(ctx context.Context, office string, cat *domain.Catalog, loc *time.Location) (api.QueueSnapshot, error) {
	now := s.now()
	day := figures.StartOfDay(now, loc).UnixNano()
	snap := api.QueueSnapshot{Office: office, At: now.UTC(), Windows: []api.WindowState{}, Waiting: []api.QueueTicket{}}

	rows, err := s.rdb.QueryContext(ctx, s.d.q(`SELECT service, state, win, issued_at, called_at, closed_at FROM tickets
		WHERE office = ? AND (issued_at >= ? OR closed_at >= ? OR state IN ('waiting', 'called'))`), office, day, day)
	if err != nil {
		return snap, err
	}
	defer rows.Close()
	var today []figures.Ticket
	for rows.Next() {
		var t figures.Ticket
		if err := rows.Scan(&t.Service, &t.State, &t.Window, &t.Issued, &t.Called, &t.Closed); err != nil {
			return snap, err
		}
		today = append(today, t)
	}
	rows.Close() // before the next query (the defer is for the early return)
	if err := rows.Err(); err != nil {
		return snap, err
	}

	waiting, err := s.waiting(ctx, office)
	if err != nil {
		return snap, err
	}
	for _, t := range waiting {
		snap.Waiting = append(snap.Waiting, t.wire())
	}
	var served map[int]int
	snap.Today, served = figures.Today(today, day, now, cat)

	wrows, err := s.rdb.QueryContext(ctx, s.d.q(`SELECT w.win, w.operator, w.ticket_id, w.since, w.last_seen, w.on_break,
		COALESCE(t.number, ''), COALESCE(t.service, '')
		FROM windows w LEFT JOIN tickets t ON t.id = w.ticket_id WHERE w.office = ? ORDER BY w.win`), office)
	if err != nil {
		return snap, err
	}
	defer wrows.Close()
	for wrows.Next() {
		var w api.WindowState
		var ticketID string
		var since, seen, onBreak int64
		if err := wrows.Scan(&w.Window, &w.Operator, &ticketID, &since, &seen, &onBreak, &w.Ticket, &w.Service); err != nil {
			return snap, err
		}
		w.Since, w.LastSeen, w.ServedToday = nanos(since), nanos(seen), served[w.Window]
		// A window unheard for OfflineAfter is offline even with a ticket
		// at it: its clerk may have gone (a supervisor can close it).
		switch {
		case onBreak == windowClosed:
			w.State = "closed"
		case now.Sub(w.LastSeen) > OfflineAfter:
			w.State = "offline"
		case ticketID != "":
			w.State = "serving"
		case onBreak != 0:
			w.State = "break"
		default:
			w.State = "free"
		}
		snap.Windows = append(snap.Windows, w)
	}
	return snap, wrows.Err()
}

// queueTicket is a waiting ticket as the store holds it.
type queueTicket struct {
	domain.QueueEntry
	target int // the window it was sent to; 0 for any
}

func (t queueTicket) wire() api.QueueTicket {
	return api.QueueTicket{ID: t.TicketID, Number: t.Number, Service: t.Service, Category: t.Category, Rank: t.Rank,
		State: string(t.State), Window: t.target, IssuedAt: t.IssuedAt}
}

type dbQuerier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// waiting lists an office's waiting tickets in the order they are called.
func (s *Store) waiting(ctx context.Context, office string) ([]queueTicket, error) {
	return s.waitingIn(ctx, s.rdb, office)
}

func (s *Store) waitingIn(ctx context.Context, db dbQuerier, office string) ([]queueTicket, error) {
	rows, err := db.QueryContext(ctx, s.d.q(`SELECT id, number, service, category, prio, win, issued_at FROM tickets
		WHERE office = ? AND state = 'waiting'`), office)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []queueTicket
	for rows.Next() {
		var t queueTicket
		var issued int64
		if err := rows.Scan(&t.TicketID, &t.Number, &t.Service, &t.Category, &t.Rank, &t.target, &issued); err != nil {
			return nil, err
		}
		t.IssuedAt, t.State = nanos(issued), domain.TicketWaiting
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	entries := make([]domain.QueueEntry, len(out))
	byID := make(map[string]queueTicket, len(out))
	for i, t := range out {
		entries[i] = t.QueueEntry
		byID[t.TicketID] = t
	}
	domain.SortQueue(entries)
	for i, e := range entries {
		out[i] = byID[e.TicketID]
	}
	return out, nil
}

// CallNext reserves the next waiting ticket of office for a window: the
// same order as the windows' own queues (domain.NextInQueue), among the
// services the window serves and has the equipment for (the services'
// equipment is cat's; nil: none needed). Under the write lock, so two
// windows never get the same ticket.
func (t *Tx) CallNext(caller *Session, office string, req api.CallNextRequest, cat *domain.Catalog) (api.CallNextResponse, error) {
	t.cat = cat
	if err := t.lock(office); err != nil {
		return api.CallNextResponse{}, err
	}
	if err := t.flushTickets(); err != nil { // the reads below see the tickets this transaction changed
		return api.CallNextResponse{}, err
	}
	var eq string
	if _, err := t.scan(`SELECT equipment FROM workstations WHERE office = ? AND win = ?`, []any{office, req.Window}, &eq); err != nil {
		return api.CallNextResponse{}, err
	}
	has := map[string]bool{}
	for _, e := range splitList(eq) {
		has[e] = true
	}
	want := map[string]bool{}
	for _, sv := range req.Services {
		want[sv] = true
	}
	canServe := func(service string) bool {
		if len(want) > 0 && !want[service] {
			return false
		}
		if t.cat != nil {
			if svc, ok := t.cat.Service(service); ok {
				for _, e := range svc.Equipment {
					if !has[e] {
						return false
					}
				}
			}
		}
		return true
	}
	all, err := t.s.waitingIn(t.ctx, t.tx, office)
	if err != nil {
		return api.CallNextResponse{}, err
	}
	entries := make([]domain.QueueEntry, 0, len(all))
	byID := map[string]queueTicket{}
	for _, q := range all {
		if q.target == 0 || q.target == req.Window {
			entries = append(entries, q.QueueEntry)
			byID[q.TicketID] = q
		}
	}
	next, ok := domain.NextInQueue(entries, canServe)
	if !ok {
		return api.CallNextResponse{}, domain.ErrQueueEmpty
	}
	if err := t.exec(`UPDATE tickets SET state = 'called', win = ?, called_at = ? WHERE id = ? AND state = 'waiting'`,
		req.Window, t.now, next.TicketID); err != nil {
		return api.CallNextResponse{}, fmt.Errorf("reserve ticket %s: %w", next.TicketID, err)
	}
	delete(t.tickets, next.TicketID)
	w, err := t.window(office, req.Window)
	if err != nil {
		return api.CallNextResponse{}, err
	}
	w.ticket, w.since, w.lastSeen, w.dirty = next.TicketID, t.now, t.now, true
	if caller.Role != domain.RoleWorkstation && caller.Role != domain.RoleAdmin {
		w.operator = caller.Login
	}
	t.changed[office] = true
	q := byID[next.TicketID].wire()
	q.State, q.Window, q.CalledAt = string(domain.TicketCalled), req.Window, time.Unix(0, t.now).UTC()
	return api.CallNextResponse{Ticket: q}, nil
}

// splitList splits a comma-separated column.
func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}
