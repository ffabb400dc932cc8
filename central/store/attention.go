package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/figures"
	"github.com/okno-mfc/okno/domain"
)

// listLimit bounds each list of an Attention answer.
const listLimit = 100

// Attention lists what a supervisor of office should act on now; keep is
// the office's storage period of results (the unclaimed ones).
func (s *Store) Attention(ctx context.Context, office string, days int, keep Keeping, loc *time.Location) (api.Attention, error) {
	now := s.now()
	a := api.Attention{Office: office, At: now.UTC(), Overdue: []domain.CaseView{}, Unclaimed: []domain.CaseView{},
		Rejected: []api.RejectedEvent{}, RejectedSince: now.Add(-time.Duration(days) * 24 * time.Hour).UTC(),
		Quarantined: []api.QuarantineGroup{}}
	today := figures.StartOfDay(now, loc).Format(time.DateOnly)

	var err error
	const open = `state IN ('submitted', 'accepted', 'in_work', 'more_docs')`
	a.Overdue, a.OverdueTotal, err = s.caseList(ctx, `office = ? AND `+open+` AND deadline <> '' AND deadline < ?`,
		`deadline, opened_at`, office, today)
	if err != nil {
		return a, err
	}
	where, args := unclaimedWhere(office, keep, now)
	a.Unclaimed, a.UnclaimedTotal, err = s.caseList(ctx, where, `collect_from, id`, args...)
	if err != nil {
		return a, err
	}

	lo, err := s.firstPosSince(ctx, a.RejectedSince.UnixNano())
	if err != nil {
		return a, err
	}
	rows, err := s.rdb.QueryContext(ctx, s.d.q(`SELECT id, win, seq, at, kind, actor, reason, received_at FROM events
		WHERE pos >= ? AND office = ? AND status = 'rejected' ORDER BY pos DESC`), lo, office)
	if err != nil {
		return a, err
	}
	defer rows.Close()
	for rows.Next() {
		var e api.RejectedEvent
		var at, recv int64
		var kind string
		if err := rows.Scan(&e.ID, &e.Window, &e.Seq, &at, &kind, &e.Actor, &e.Reason, &recv); err != nil {
			return a, err
		}
		a.RejectedTotal++
		if len(a.Rejected) < listLimit {
			e.At, e.Kind, e.ReceivedAt = nanos(at), domain.EventKind(kind), nanos(recv)
			a.Rejected = append(a.Rejected, e)
		}
	}
	if err := rows.Err(); err != nil {
		return a, err
	}
	if err := s.quarantined(ctx, &a); err != nil {
		return a, err
	}
	if a.FailedNotices, err = s.Notices(ctx, office, NoticeFailed, listLimit); err != nil {
		return a, err
	}
	err = s.rdb.QueryRowContext(ctx, s.d.q(`SELECT COUNT(*) FROM notices WHERE office = ? AND status = ?`), office, NoticeFailed).Scan(&a.FailedNoticesTotal)
	return a, err
}

// quarantined fills the attention list's quarantine groups.
func (s *Store) quarantined(ctx context.Context, a *api.Attention) error {
	rows, err := s.rdb.QueryContext(ctx, s.d.q(`SELECT win, problem, received_by, COUNT(*), MIN(received_at), MAX(received_at), MAX(reason)
		FROM quarantine WHERE office = ? AND received_at >= ?
		GROUP BY win, problem, received_by ORDER BY MAX(received_at) DESC, win, problem, received_by`), a.Office, a.RejectedSince.UnixNano())
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var g api.QuarantineGroup
		var first, last int64
		if err := rows.Scan(&g.Window, &g.Problem, &g.SentBy, &g.Count, &first, &last, &g.Reason); err != nil {
			return err
		}
		a.QuarantinedTotal += g.Count
		if len(a.Quarantined) < listLimit {
			g.First, g.Last = nanos(first), nanos(last)
			a.Quarantined = append(a.Quarantined, g)
		}
	}
	return rows.Err()
}

// caseList reads the first listLimit cases matching where (ordered by
// order) and counts them all.
func (s *Store) caseList(ctx context.Context, where, order string, args ...any) ([]domain.CaseView, int, error) {
	var n int
	if err := s.rdb.QueryRowContext(ctx, s.d.q(`SELECT COUNT(*) FROM cases WHERE `+where), args...).Scan(&n); err != nil {
		return nil, 0, err
	}
	out := []domain.CaseView{}
	if n == 0 {
		return out, 0, nil
	}
	rows, err := s.rdb.QueryContext(ctx, s.d.q(`SELECT body FROM cases WHERE `+where+` ORDER BY `+order+` LIMIT ?`), append(args, listLimit)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, 0, err
		}
		var c domain.CaseView
		if err := jsonUnmarshal(body, &c); err != nil {
			return nil, 0, err
		}
		out = append(out, c)
	}
	return out, n, rows.Err()
}

func jsonUnmarshal(body string, v any) error {
	if err := json.Unmarshal([]byte(body), v); err != nil {
		return fmt.Errorf("stored %T: %w", v, err)
	}
	return nil
}
