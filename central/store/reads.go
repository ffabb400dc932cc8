package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
)

// Feed page sizes.
const (
	DefaultFeedLimit = 500
	MaxFeedLimit     = 1000
)

const eventColumns = `pos, id, office, win, seq, at, kind, actor, case_id, ticket_id, visitor_id, payload, prev_hash, hash, sig`

func scanEvent(sc interface{ Scan(...any) error }) (api.FeedEvent, error) {
	var fe api.FeedEvent
	var at int64
	var kind string
	var payload sql.NullString
	err := sc.Scan(&fe.Pos, &fe.ID, &fe.Office, &fe.Window, &fe.Seq, &at, &kind, &fe.Actor, &fe.CaseID, &fe.TicketID,
		&fe.VisitorID, &payload, &fe.PrevHash, &fe.Hash, &fe.Sig)
	fe.At, fe.Kind = nanos(at), domain.EventKind(kind)
	if payload.Valid && payload.String != "" {
		fe.Payload = json.RawMessage(payload.String)
	}
	return fe, err
}

// Feed returns accepted events after the cursor, in the central's order:
// of one office, or of every office when office is AllOffices.
func (s *Store) Feed(ctx context.Context, office string, after int64, limit int) (api.FeedPage, error) {
	return s.FeedFor(ctx, office, 0, after, limit)
}

// FeedFor is Feed for a workstation: its own window's events (which it
// holds already) are left out. The cursor still moves past them, to the
// newest position the page covers, so a window whose own events fill the
// feed does not scan them again on every pull.
func (s *Store) FeedFor(ctx context.Context, office string, ownWindow int, after int64, limit int) (api.FeedPage, error) {
	if limit <= 0 {
		limit = DefaultFeedLimit
	}
	limit = min(limit, MaxFeedLimit)
	where := `status = 'accepted' AND pos > ?`
	args := []any{after}
	order, desc := `pos`, `pos DESC`
	switch {
	case office == AllOffices:
	case s.d.dollar:
		// An office's events in position order come from events_feed
		// (office, pos), whatever the other offices wrote: a page costs
		// the office's events since the cursor, not the region's. With
		// office = 'X' PostgreSQL may walk the primary key instead and
		// skip the other offices' rows, taking the office's as evenly
		// spread among them: 10,000 rows for a page of 200 at 10M events
		// of 50 offices, and every event since the cursor for an office
		// that was quiet while the others worked. Compared to an array,
		// the office is no constant of the plan, so the order (office,
		// pos) is asked for, which only events_feed gives without a sort.
		where += ` AND office = ANY(?)`
		args = append(args, []string{office})
		order, desc = `office, pos`, `office DESC, pos DESC`
	default:
		// SQLite takes events_feed for office = ? (docs/operations.md).
		where += ` AND office = ?`
		args = append(args, office)
	}
	page := api.FeedPage{Events: []api.FeedEvent{}, Cursor: after}
	if office == AllOffices && s.d.dollar {
		h, err := s.feedHorizon(ctx)
		if err != nil {
			return page, err
		}
		where += ` AND pos <= ?`
		args = append(args, h)
	}
	tx, err := s.rdb.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return page, err
	}
	defer tx.Rollback()
	// The newest position this read can see: where the cursor may go when
	// the page is not full.
	var head sql.NullInt64
	err = tx.QueryRowContext(ctx, s.d.q(`SELECT pos FROM events WHERE `+where+` ORDER BY `+desc+` LIMIT 1`), args...).Scan(&head)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return page, err
	}
	q := where
	qargs := append([]any{}, args...)
	if ownWindow > 0 {
		q += ` AND NOT (office = ? AND win = ?)`
		qargs = append(qargs, office, ownWindow)
	}
	rows, err := tx.QueryContext(ctx, s.d.q(`SELECT `+eventColumns+` FROM events WHERE `+q+` ORDER BY `+order+` LIMIT ?`), append(qargs, limit+1)...)
	if err != nil {
		return page, err
	}
	defer rows.Close()
	for rows.Next() {
		fe, err := scanEvent(rows)
		if err != nil {
			return page, err
		}
		if len(page.Events) == limit {
			page.More = true
			break
		}
		page.Events = append(page.Events, fe)
		page.Cursor = fe.Pos
	}
	if err := rows.Err(); err != nil {
		return page, err
	}
	if !page.More && head.Valid && head.Int64 > page.Cursor {
		page.Cursor = head.Int64
	}
	return page, nil
}

// feedHorizon is the newest position below which every event has
// committed (PostgreSQL). Writers of different offices commit in
// parallel, so a position may become visible after a greater one; an
// office's feed is safe under the office's lock (lock.go), the feed of
// every office is read up to this horizon: the shared lock every writer
// holds is taken exclusively for a moment, which waits for the writers in
// flight, and the newest position read then has nothing before it still
// to come.
func (s *Store) feedHorizon(ctx context.Context) (int64, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(84200001)`); err != nil {
		return 0, fmt.Errorf("feed horizon: %w", err)
	}
	var h sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT max(pos) FROM events`).Scan(&h); err != nil {
		return 0, fmt.Errorf("feed horizon: %w", err)
	}
	return h.Int64, tx.Commit()
}

// CaseQuery filters GET /v1/cases. Empty fields do not filter.
type CaseQuery struct {
	Office    string // AllOffices or "" for every office the caller sees
	State     domain.CaseState
	Number    string // exact case number
	VisitorID string
	Service   string
	Overdue   string // YYYY-MM-DD: only cases past their deadline on that day and not ready yet
	// Department: only the cases of this department (domain.AllDepartments
	// or "" for every one).
	Department string
	// HandedOff: only cases that left the window (no drafts), newest
	// hand-off first: a department's inbox.
	HandedOff bool
	Limit     int // default 100, at most 500
}

// Cases searches cases, newest first.
func (s *Store) Cases(ctx context.Context, q CaseQuery) ([]domain.CaseView, error) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		where = append(where, cond)
		args = append(args, v)
	}
	if q.Office != "" && q.Office != AllOffices {
		add("office = ?", q.Office)
	}
	if q.State != "" {
		add("state = ?", string(q.State))
	}
	if q.Number != "" {
		add("number = ?", q.Number)
	}
	if q.VisitorID != "" {
		add("visitor_id = ?", q.VisitorID)
	}
	if q.Service != "" {
		add("service = ?", q.Service)
	}
	if q.Department != "" && q.Department != domain.AllDepartments {
		add("department = ?", q.Department)
	}
	if q.HandedOff {
		where = append(where, "state <> 'draft'")
	}
	if q.Overdue != "" {
		add("deadline < ?", q.Overdue)
		where = append(where, "deadline <> '' AND state IN ('submitted', 'accepted', 'in_work', 'more_docs')")
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 500)
	query := `SELECT body FROM cases`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, " AND ")
	}
	if q.HandedOff {
		query += ` ORDER BY handed_at DESC, opened_at DESC, id LIMIT ?`
	} else {
		query += ` ORDER BY opened_at DESC, id LIMIT ?`
	}
	args = append(args, limit)
	rows, err := s.rdb.QueryContext(ctx, s.d.q(query), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.CaseView{}
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, err
		}
		var c domain.CaseView
		if err := json.Unmarshal([]byte(body), &c); err != nil {
			return nil, fmt.Errorf("stored case: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Case returns a case and its accepted events in the central's order.
func (s *Store) Case(ctx context.Context, id string) (api.CaseDetail, error) {
	var d api.CaseDetail
	var body string
	err := s.rdb.QueryRowContext(ctx, s.d.q(`SELECT body FROM cases WHERE id = ?`), id).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("case %s: %w", id, domain.ErrNotFound)
	}
	if err != nil {
		return d, err
	}
	if err := json.Unmarshal([]byte(body), &d.Case); err != nil {
		return d, fmt.Errorf("stored case: %w", err)
	}
	rows, err := s.rdb.QueryContext(ctx, s.d.q(`SELECT `+eventColumns+` FROM events WHERE case_id = ? AND status = 'accepted' ORDER BY pos`), id)
	if err != nil {
		return d, err
	}
	defer rows.Close()
	d.History = []domain.Event{}
	for rows.Next() {
		fe, err := scanEvent(rows)
		if err != nil {
			return d, err
		}
		d.History = append(d.History, fe.Event)
	}
	return d, rows.Err()
}

// EventCounts counts the stored events by status (accepted, rejected).
func (s *Store) EventCounts(ctx context.Context) (map[string]int, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT status, COUNT(*) FROM events GROUP BY status`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[st] = n
	}
	return out, rows.Err()
}
