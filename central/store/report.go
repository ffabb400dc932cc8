package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/figures"
	"github.com/okno-mfc/okno/domain"
)

// The supervisor's reads beside the live queue: a period's day figures
// (the arithmetic is package figures'), the offices the central knows.

// Offices lists the offices the central knows (by their workstations,
// windows and queue changes), with their enrolled workstations.
func (s *Store) Offices(ctx context.Context) (api.OfficeList, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT office, COUNT(*) FROM workstations GROUP BY office
		UNION ALL SELECT office, 0 FROM windows UNION ALL SELECT office, 0 FROM office_marks`)
	if err != nil {
		return api.OfficeList{}, err
	}
	defer rows.Close()
	n := map[string]int{}
	for rows.Next() {
		var o string
		var k int
		if err := rows.Scan(&o, &k); err != nil {
			return api.OfficeList{}, err
		}
		n[o] += k
	}
	if err := rows.Err(); err != nil {
		return api.OfficeList{}, err
	}
	list := api.OfficeList{Offices: []api.OfficeInfo{}}
	for o, k := range n {
		if domain.ValidOffice(o) {
			list.Offices = append(list.Offices, api.OfficeInfo{Code: o, Windows: k})
		}
	}
	slices.SortFunc(list.Offices, func(a, b api.OfficeInfo) int { return cmp.Compare(a.Code, b.Code) })
	return list, nil
}

// Report computes the figures of each day from from to to (local midnights
// in loc, to included) and of the whole period, from the tickets the
// central projected from the windows' events and the operators named on
// their ticket.served events.
func (s *Store) Report(ctx context.Context, office string, from, to time.Time, cat *domain.Catalog, loc *time.Location) (api.OfficeReport, error) {
	now := s.now()
	p := figures.NewPeriod(from, to, now, loc)
	tickets, err := s.reportTickets(ctx, office, p.Start.Add(-figures.TicketSpan).UnixNano(), p.End.UnixNano(), p.WithNow)
	if err != nil {
		return api.OfficeReport{}, err
	}
	servedBy, err := s.servedBy(ctx, office, p.Start)
	if err != nil {
		return api.OfficeReport{}, err
	}
	rep := figures.Report(office, p, now, tickets, servedBy, cat)
	cases, err := s.handedOff(ctx, office, p.Start.UnixNano(), p.End.UnixNano())
	if err != nil {
		return api.OfficeReport{}, err
	}
	rep.Departments = figures.Departments(p, now, cases, loc)
	ratings, err := s.Ratings(ctx, office, p.Start, p.End)
	if err != nil {
		return api.OfficeReport{}, err
	}
	rated := make([]figures.Rated, len(ratings))
	for i, r := range ratings {
		rated[i] = figures.Rated{At: r.At.UnixNano(), Window: r.Window, Service: r.Service, Clerk: r.Clerk, Score: r.Score}
	}
	figures.AddRatings(&rep, p, rated)
	return rep, nil
}

// handedOff reads the cases of office handed off in [lo, hi) (Unix ns).
func (s *Store) handedOff(ctx context.Context, office string, lo, hi int64) ([]domain.CaseView, error) {
	rows, err := s.rdb.QueryContext(ctx, s.d.q(`SELECT body FROM cases WHERE office = ? AND handed_at >= ? AND handed_at < ?`), office, lo, hi)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.CaseView
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

func (s *Store) reportTickets(ctx context.Context, office string, lo, hi int64, withWaiting bool) ([]figures.Ticket, error) {
	var out []figures.Ticket
	seen := map[string]bool{}
	read := func(query string, args ...any) error {
		rows, err := s.rdb.QueryContext(ctx, s.d.q(query), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var t figures.Ticket
			if err := rows.Scan(&t.ID, &t.Service, &t.State, &t.Window, &t.Issued, &t.Called, &t.Closed); err != nil {
				return err
			}
			if !seen[t.ID] {
				seen[t.ID] = true
				out = append(out, t)
			}
		}
		return rows.Err()
	}
	const cols = `SELECT id, service, state, win, issued_at, called_at, closed_at FROM tickets`
	if err := read(cols+` WHERE office = ? AND issued_at >= ? AND issued_at < ?`, office, lo, hi); err != nil {
		return nil, err
	}
	if withWaiting {
		if err := read(cols+` WHERE office = ? AND state = 'waiting'`, office); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// servedBy maps the tickets served at office since (about) start to the
// login on their ticket.served event. It reads the events received since a
// day before start: an event cannot reach the central before it happened,
// give or take a workstation's clock.
func (s *Store) servedBy(ctx context.Context, office string, start time.Time) (map[string]string, error) {
	lo, err := s.firstPosSince(ctx, start.Add(-24*time.Hour).UnixNano())
	if err != nil {
		return nil, err
	}
	rows, err := s.rdb.QueryContext(ctx, s.d.q(`SELECT ticket_id, actor FROM events
		WHERE pos >= ? AND office = ? AND kind = ? AND status = 'accepted' ORDER BY pos`), lo, office, string(domain.EvTicketServed))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, actor string
		if err := rows.Scan(&id, &actor); err != nil {
			return nil, err
		}
		out[id] = actor
	}
	return out, rows.Err()
}

// firstPosSince finds (by bisection over the primary key) the first event
// position received at or after ns; positions grow with the time of
// receipt, as one writer assigns both. It returns one past the last
// position when there is none.
func (s *Store) firstPosSince(ctx context.Context, ns int64) (int64, error) {
	var lo, hi sql.NullInt64
	if err := s.rdb.QueryRowContext(ctx, `SELECT MIN(pos), MAX(pos) FROM events`).Scan(&lo, &hi); err != nil {
		return 0, err
	}
	if !lo.Valid {
		return 0, nil
	}
	// Invariant: every position < a was received before ns; b is past the
	// answer or is it.
	a, b := lo.Int64, hi.Int64+1
	for a < b {
		mid := a + (b-a)/2
		var pos, at int64
		err := s.rdb.QueryRowContext(ctx, s.d.q(`SELECT pos, received_at FROM events WHERE pos >= ? ORDER BY pos LIMIT 1`), mid).Scan(&pos, &at)
		if errors.Is(err, sql.ErrNoRows) {
			b = mid
			continue
		}
		if err != nil {
			return 0, err
		}
		if at >= ns {
			b = mid
		} else {
			a = pos + 1
		}
	}
	return a, nil
}
