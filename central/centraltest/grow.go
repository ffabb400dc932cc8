package centraltest

import (
	"fmt"
	"testing"
	"time"
)

// GrowOffices is how many offices Grow spreads its events over, of
// GrowWindows windows each (a region: 50 offices, 1,000 windows).
const (
	GrowOffices = 50
	GrowWindows = 20
)

// Grow adds n accepted events to the server's database directly in SQL,
// as a region's central holds them after years: spread over GrowOffices
// offices (G00…G49) of GrowWindows windows, each window's seqs from 1,
// with the chain heads to match. It is the generator of the growth
// benchmark (a 10M-event central), not used by make test: the events are
// not signed (nothing reads their signatures but a workstation's audit).
// 10M events took 4.5–7 minutes on PostgreSQL and 5 on SQLite, on two
// shared cores (docs/operations.md).
func (s *Server) Grow(t testing.TB, n int) {
	t.Helper()
	db := s.SQL(t)
	const chunk = 500_000
	windows := GrowOffices * GrowWindows
	now := time.Now().Add(-24 * time.Hour).UnixNano()
	series := func(lo, hi int) string {
		if s.Kind == "postgres" {
			return fmt.Sprintf("SELECT g AS i FROM generate_series(%d::bigint, %d::bigint) AS g", lo, hi)
		}
		return fmt.Sprintf("WITH RECURSIVE s(i) AS (SELECT %d UNION ALL SELECT i + 1 FROM s WHERE i < %d) SELECT i FROM s", lo, hi)
	}
	office := "'G' || substr('0' || ((i %% %d) / %d), -2, 2)"
	if s.Kind == "postgres" {
		office = "'G' || lpad(((i %% %d) / %d)::text, 2, '0')"
	}
	office = fmt.Sprintf(office, windows, GrowWindows)
	for lo := 1; lo <= n; lo += chunk {
		hi := min(n, lo+chunk-1)
		q := fmt.Sprintf(`INSERT INTO events (id, office, win, seq, at, kind, actor, case_id, ticket_id, visitor_id, payload,
			prev_hash, hash, sig, status, reason, in_stream, received_at, received_by)
			SELECT 'g-' || i, %s, (i %% %d) %% %d + 1, i / %d + 1, %d + i * 1000, 'ticket.issued', 'clerk', '', 'gt-' || i, '',
				'{"number":"A-' || (i %% 1000) || '","service":"advertising_permit"}', 'p' || i, 'h' || i, 's', 'accepted', '', 1, %d, 'grow'
			FROM (%s) AS n`, office, windows, GrowWindows, windows, now, now, series(lo, hi))
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("centraltest: grow: %v", err)
		}
	}
	q := `INSERT INTO streams (office, win, last_seq, last_hash)
		SELECT office, win, MAX(seq), '' FROM events WHERE received_by = 'grow' GROUP BY office, win
		ON CONFLICT (office, win) DO UPDATE SET last_seq = excluded.last_seq`
	if _, err := db.Exec(q); err != nil {
		t.Fatalf("centraltest: grow: heads: %v", err)
	}
	if s.Kind == "postgres" {
		// As autovacuum leaves a table written long ago: its statistics
		// taken, its pages all-visible and their rows' commits noted (a
		// first reader would otherwise write every page it reads). The
		// SQLite store keeps no statistics (it never runs ANALYZE).
		if _, err := db.Exec(`VACUUM (ANALYZE)`); err != nil {
			t.Fatalf("centraltest: grow: vacuum: %v", err)
		}
	}
}
