package localdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/internal/migrate"
)

// The upgrade from every released schema: a workstation file written by an
// okno at schema k (the first k migrations, recorded as okno recorded them
// then: schema_migrations by file name), holding today's rows as far as
// that schema has room for them, opens under today's okno with its chain,
// outbox, tickets, cases and visitors intact, at the newest schema, finds
// its visitors and goes on writing.

// upgradeSource is a workstation file at the newest schema with a bit of
// everything: visitors, a ticket, a case with its checklist, an event from
// the feed, outbox rows pending, accepted and rejected.
type upgradeSource struct {
	s    *Store
	evs  []domain.Event // its local events
	feed []domain.Event // another window's event it applied
	cid  string         // the case
}

func newUpgradeSource(t *testing.T) *upgradeSource {
	t.Helper()
	ctx := context.Background()
	src, _ := newStore(t, "IRK", 3)
	var vs []domain.Visitor
	for i, name := range []string{"Фёдоров Пётр", "Іваненко Марʼяна", "Сидорова Анна"} {
		vs = append(vs, mustRegister(t, src, visitor(name, fmt.Sprintf("2504 12345%d", i))))
	}
	if _, err := src.IssueTicket(ctx, "c", "replanning", "", ""); err != nil {
		t.Fatal(err)
	}
	c, err := src.OpenCase(ctx, "c", vs[0].ID, "replanning", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := src.CheckDocument(ctx, "c", c.ID, domain.DocumentPayload{Doc: "passport", Presented: true, Barcode: "passport"}); err != nil {
		t.Fatal(err)
	}
	other, _ := newStore(t, "IRK", 4)
	mustRegister(t, other, visitor("Ткаченко Олег", "4510 999999"))
	feed, _ := other.LocalEvents(ctx, 0, 100)
	if res, err := src.ApplyFeed(ctx, feedOf(feed, 10)); err != nil || res.Applied != 1 {
		t.Fatalf("feed: %+v %v", res, err)
	}
	evs, _ := src.LocalEvents(ctx, 0, 100)
	if _, err := src.MarkAnswered(ctx, []api.IngestResult{{ID: evs[0].ID, Status: api.IngestAccepted}, {ID: evs[1].ID, Status: api.IngestRejected, Reason: "no"}}); err != nil {
		t.Fatal(err)
	}
	return &upgradeSource{s: src, evs: evs, feed: feed, cid: c.ID}
}

// legacyFile writes a file at schema k in the old bookkeeping and copies
// the source's rows into it; it returns each copied table's columns.
func (u *upgradeSource) legacyFile(t *testing.T, k int) (string, map[string][]string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "old.db")
	old, err := sql.Open("sqlite", "file:"+path) // foreign keys off: rows are copied table by table
	if err != nil {
		t.Fatal(err)
	}
	old.SetMaxOpenConns(1)
	defer old.Close()
	mustExec := func(q string, args ...any) {
		t.Helper()
		if _, err := old.Exec(q, args...); err != nil {
			t.Fatalf("%.80s: %v", q, err)
		}
	}
	ms, err := migrate.Load(migrations, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	mustExec(`CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`)
	for _, m := range ms[:k] {
		mustExec(m.SQL)
		mustExec(`INSERT INTO schema_migrations VALUES (?, '2025-01-01T00:00:00Z')`, "migrations/"+m.Name)
	}
	// The okno of then rebuilt its search index after the migration that
	// asked for it, and kept its outbox's low-water mark (006 on).
	mustExec(`DELETE FROM meta WHERE key = 'reindex_visitors'`)
	mustExec(`ATTACH DATABASE ? AS src`, u.s.Path())
	keys := `'office', 'window'`
	if has(t, old, "outbox_low") {
		keys += `, 'outbox_low'`
	}
	mustExec(`INSERT INTO meta SELECT key, value FROM src.meta WHERE key IN (` + keys + `) ON CONFLICT (key) DO UPDATE SET value = excluded.value`)
	copied := map[string][]string{"meta": {"key", "value"}}
	for _, table := range names(t, old, `SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
		AND name NOT LIKE 'visitors_fts%' AND name NOT LIKE 'visitors_loose%' AND name NOT LIKE 'visitors_combo%'
		AND name NOT IN ('schema_migrations', 'meta') ORDER BY name`) { // the search indexes are rebuilt from the rows
		srcCols := names(t, old, `SELECT name FROM pragma_table_info(?, 'src')`, table)
		var cols []string
		for _, c := range names(t, old, `SELECT name FROM pragma_table_info(?, 'main')`, table) {
			if slices.Contains(srcCols, c) {
				cols = append(cols, c)
			}
		}
		if len(cols) == 0 {
			continue
		}
		order := "1"
		if table == "events" { // local events first, then the feed's in arrival order (n = -1, -2, …)
			order = "n > 0 DESC, abs(n)"
		}
		list := strings.Join(cols, ", ")
		mustExec(`INSERT INTO main.` + table + ` (` + list + `) SELECT ` + list + ` FROM src.` + table + ` ORDER BY ` + order)
		copied[table] = cols
	}
	mustExec(`DETACH DATABASE src`)
	return path, copied
}

// has reports whether meta holds key.
func has(t *testing.T, db *sql.DB, key string) bool {
	t.Helper()
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM meta WHERE key = ?`, key).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

func names(t *testing.T, db *sql.DB, q string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// rowsOf reads the copied columns of each table as text, sorted; of meta,
// the keys the source gave.
func rowsOf(t *testing.T, db *sql.DB, tables map[string][]string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for table, cols := range tables {
		q := `SELECT quote(` + strings.Join(cols, `) || '|' || quote(`) + `) FROM ` + table
		if table == "meta" {
			q += ` WHERE key IN ('office', 'window')`
		}
		out[table] = names(t, db, q)
		slices.Sort(out[table])
	}
	return out
}

func TestUpgradeFromEveryRelease(t *testing.T) {
	t.Parallel()
	u := newUpgradeSource(t)
	ms, err := migrate.Load(migrations, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	for k := 1; k <= len(ms); k++ {
		t.Run(ms[k-1].Name, func(t *testing.T) {
			path, tables := u.legacyFile(t, k)
			db, err := sql.Open("sqlite", "file:"+path)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			before := rowsOf(t, db, tables)
			s, err := Open(context.Background(), path, Options{Catalog: testCatalog(), SearchTail: 2})
			if err != nil {
				t.Fatalf("open a file of schema %d: %v", k, err)
			}
			defer s.Close()
			after := rowsOf(t, db, tables)
			for table := range before {
				if !slices.Equal(before[table], after[table]) {
					t.Errorf("%s changed in the upgrade:\nbefore %q\nafter  %q", table, before[table], after[table])
				}
			}
			var n int
			var top int
			if err := db.QueryRow(`SELECT COUNT(*), MAX(version) FROM `+migrate.Table).Scan(&n, &top); err != nil || n != len(ms) || top != ms[len(ms)-1].Version {
				t.Errorf("%d versions recorded, the newest %d (%v)", n, top, err)
			}
			if names(t, db, `SELECT name FROM sqlite_master WHERE name = 'schema_migrations'`) != nil {
				t.Error("the old bookkeeping table is still there")
			}
			u.works(t, s)
		})
	}
}

// works checks an upgraded file: its chain, outbox, tickets, case, feed
// and search as the source had them, and its chain goes on.
func (u *upgradeSource) works(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	got, _ := s.LocalEvents(ctx, 0, 100)
	if len(got) != len(u.evs) {
		t.Fatalf("%d events after the upgrade, want %d", len(got), len(u.evs))
	}
	prev := ""
	link := func(e domain.Event, seq int64) {
		t.Helper()
		if e.Seq != seq || e.PrevHash != prev || e.Hash != e.ComputeHash() {
			t.Fatalf("the chain after the upgrade breaks at %d: seq %d, linked %v, hash ok %v", seq, e.Seq, e.PrevHash == prev, e.Hash == e.ComputeHash())
		}
		prev = e.Hash
	}
	for i := range got {
		if got[i].ID != u.evs[i].ID {
			t.Fatalf("event %d is %s, want %s", i, got[i].ID, u.evs[i].ID)
		}
		link(got[i], int64(i+1))
	}
	st, _ := s.Outbox(ctx)
	if st.Pending != len(u.evs)-2 || st.Rejected != 1 || st.Sent != 1 {
		t.Errorf("outbox after the upgrade: %+v", st)
	}
	if low, _ := s.Meta(ctx, "outbox_low"); low != "2" {
		t.Errorf("outbox_low = %s, want 2", low)
	}
	if w, _ := s.Waiting(ctx); len(w) != 1 {
		t.Errorf("waiting tickets after the upgrade: %+v", w)
	}
	if c, err := s.Case(ctx, u.cid); err != nil || c.State != domain.CaseDraft {
		t.Errorf("the case after the upgrade: %+v %v", c, err)
	}
	if rows, err := s.Checklist(ctx, u.cid); err != nil || len(rows) == 0 || !rows[0].Presented {
		t.Errorf("the checklist after the upgrade: %+v %v", rows, err)
	}
	if res, err := s.ApplyFeed(ctx, feedOf(u.feed, 10)); err != nil || res.Known != 1 {
		t.Errorf("the feed event after the upgrade is not known: %+v %v", res, err)
	}
	for q, want := range map[string]int{"ткаченко": 1, "федоров": 1, "іван": 1, "2504 12345": 3, "4510": 1, "сидорова 2504123452": 1} {
		if hits, err := s.SearchVisitors(ctx, q, 10); err != nil || len(hits) != want {
			t.Errorf("search %q after the upgrade: %d hits (%v), want %d", q, len(hits), err, want)
		}
	}
	mustRegister(t, s, visitor("Новикова Ольга", "4510 000001"))
	got, _ = s.LocalEvents(ctx, 0, 100)
	link(got[len(got)-1], int64(len(u.evs)+1))
	rows, err := s.db.Query(`PRAGMA foreign_key_check`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if rows.Next() {
		var table, parent string
		var rowid, fk any
		rows.Scan(&table, &rowid, &parent, &fk)
		t.Fatalf("a foreign key broken after the upgrade: %s row %v → %s", table, rowid, parent)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}

// TestNewerSchemaRefused: a file written by a newer okno is not opened,
// and not written to.
func TestNewerSchemaRefused(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t, "IRK", 3)
	path := s.Path()
	s.Close()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var top int
	db.QueryRow(`SELECT MAX(version) FROM ` + migrate.Table).Scan(&top)
	if _, err := db.Exec(`INSERT INTO `+migrate.Table+` VALUES (?, ?, ?, 1)`, top+1, fmt.Sprintf("%03d_future.sql", top+1), strings.Repeat("0", 64)); err != nil {
		t.Fatal(err)
	}
	_, err = Open(context.Background(), path, Options{Catalog: testCatalog()})
	var ne *migrate.NewerError
	want := fmt.Sprintf("this database was written by a newer okno (schema %d, this okno knows %d): upgrade okno", top+1, top)
	if !errors.As(err, &ne) || err.Error() != want {
		t.Fatalf("opening a newer file: %v", err)
	}
}

// TestChecksumMismatchRefused: a file that records a migration of another
// build is not opened.
func TestChecksumMismatchRefused(t *testing.T) {
	t.Parallel()
	s, _ := newStore(t, "IRK", 3)
	path := s.Path()
	s.Close()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`UPDATE ` + migrate.Table + ` SET checksum = 'x' WHERE version = 3`); err != nil {
		t.Fatal(err)
	}
	_, err = Open(context.Background(), path, Options{Catalog: testCatalog()})
	var me *migrate.MismatchError
	if !errors.As(err, &me) || me.Version != 3 {
		t.Fatalf("opening a file of another build: %v", err)
	}
}
