package localdb

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/okno-mfc/okno/domain"
)

// A workstation file written before migrations 006 and 007 (events keyed
// by rowid with three indexes, the outbox's partial index, tickets with a
// rowid, search terms only in the indexes) opens with its chain, outbox,
// tickets and visitors intact, finds its visitors, and goes on writing.
func TestMigrateFrom005(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// The data, written by today's code.
	src, _ := newStore(t, "IRK", 3)
	for i, name := range []string{"Фёдоров Пётр", "Іваненко Марʼяна", "Сидорова Анна"} {
		mustRegister(t, src, visitor(name, fmt.Sprintf("2504 12345%d", i)))
	}
	if _, err := src.IssueTicket(ctx, "c", "replanning", "", ""); err != nil {
		t.Fatal(err)
	}
	other, _ := newStore(t, "IRK", 4)
	mustRegister(t, other, visitor("Ткаченко Олег", "4510 999999"))
	feed, _ := other.LocalEvents(ctx, 0, 100)
	if res, err := src.ApplyFeed(ctx, feedOf(feed, 10)); err != nil || res.Applied != 1 {
		t.Fatalf("feed: %+v %v", res, err)
	}
	evs, _ := src.LocalEvents(ctx, 0, 100)
	if _, err := src.MarkAnswered(ctx, []domain.IngestResult{{ID: evs[0].ID, Status: domain.IngestAccepted}, {ID: evs[1].ID, Status: domain.IngestRejected, Reason: "no"}}); err != nil {
		t.Fatal(err)
	}
	// A file with the schema of migrations 001–005 and those rows.
	path := filepath.Join(t.TempDir(), "old.db")
	old, err := openDB(path, true, false)
	if err != nil {
		t.Fatal(err)
	}
	names, _ := fs.Glob(migrations, "migrations/*.sql")
	sort.Strings(names)
	mustExec := func(q string, args ...any) {
		t.Helper()
		if _, err := old.Exec(q, args...); err != nil {
			t.Fatalf("%.60s: %v", q, err)
		}
	}
	mustExec(`CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`)
	for _, name := range names {
		if name > "migrations/005" && !strings.HasPrefix(name, "migrations/005") {
			break
		}
		body, _ := migrations.ReadFile(name)
		mustExec(string(body))
		mustExec(`INSERT INTO schema_migrations VALUES (?, 'then')`, name)
	}
	mustExec(`DELETE FROM meta WHERE key = 'reindex_visitors'`)
	mustExec(`ATTACH DATABASE ? AS src`, src.Path())
	mustExec(`INSERT INTO meta SELECT key, value FROM src.meta WHERE key IN ('office', 'window')`)
	mustExec(`INSERT INTO events (id, office, window, seq, at, kind, actor, case_id, ticket_id, visitor_id, payload, prev_hash, hash, sig, local, feed_pos)
		SELECT id, office, window, seq, at, kind, actor, case_id, ticket_id, visitor_id, payload, prev_hash, hash, sig, local, feed_pos FROM src.events ORDER BY n`)
	mustExec(`INSERT INTO outbox SELECT seq, event_id, status, reason, tries, last_try, answered_at FROM src.outbox`)
	mustExec(`INSERT INTO visitors SELECT n, id, full_name, doc_type, doc_number, phone, data, created_at, updated_at FROM src.visitors`)
	mustExec(`INSERT INTO tickets SELECT id, number, day, service, category, rank, proof, state, window, issued_at, called_at, closed_at, origin FROM src.tickets`)
	mustExec(`INSERT INTO counters SELECT * FROM src.counters`)
	mustExec(`DETACH DATABASE src`)
	old.Close()

	s, err := Open(ctx, path, Options{Catalog: testCatalog(), SearchTail: 2})
	if err != nil {
		t.Fatalf("open the old file: %v", err)
	}
	defer s.Close()
	got, _ := s.LocalEvents(ctx, 0, 100)
	if len(got) != len(evs) {
		t.Fatalf("%d events after the migration, want %d", len(got), len(evs))
	}
	prev := ""
	link := func(e domain.Event, seq int64) {
		t.Helper()
		if e.Seq != seq || e.PrevHash != prev || e.Hash != e.ComputeHash() {
			t.Fatalf("the chain after the migration breaks at %d: seq %d, linked %v, hash ok %v", seq, e.Seq, e.PrevHash == prev, e.Hash == e.ComputeHash())
		}
		prev = e.Hash
	}
	for i := range got {
		if got[i].ID != evs[i].ID {
			t.Fatalf("event %d is %s, want %s", i, got[i].ID, evs[i].ID)
		}
		link(got[i], int64(i+1))
	}
	st, _ := s.Outbox(ctx)
	if st.Pending != 2 || st.Rejected != 1 || st.Sent != 1 {
		t.Fatalf("outbox after the migration: %+v", st)
	}
	if low, _ := s.Meta(ctx, "outbox_low"); low != "2" {
		t.Fatalf("outbox_low = %s, want 2", low)
	}
	if w, _ := s.Waiting(ctx); len(w) != 1 {
		t.Fatalf("waiting tickets after the migration: %+v", w)
	}
	if res, err := s.ApplyFeed(ctx, feedOf(feed, 10)); err != nil || res.Known != 1 {
		t.Fatalf("the feed event after the migration is not known: %+v %v", res, err)
	}
	for q, want := range map[string]int{"ткаченко": 1, "федоров": 1, "іван": 1, "2504 12345": 3, "4510": 1, "сидорова 2504123452": 1} {
		if hits, err := s.SearchVisitors(ctx, q, 10); err != nil || len(hits) != want {
			t.Errorf("search %q after the migration: %d hits (%v), want %d", q, len(hits), err, want)
		}
	}
	// The chain goes on from where it was.
	mustRegister(t, s, visitor("Новикова Ольга", "4510 000001"))
	got, _ = s.LocalEvents(ctx, 0, 100)
	link(got[len(got)-1], int64(len(evs)+1))
	rows, err := s.db.Query(`PRAGMA foreign_key_check`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if rows.Next() {
		var table, parent string
		var rowid, fk any
		rows.Scan(&table, &rowid, &parent, &fk)
		t.Fatalf("a foreign key broken after the migration: %s row %v → %s", table, rowid, parent)
	}
}
