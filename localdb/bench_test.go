package localdb

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/okno-mfc/okno/domain"
)

// BenchmarkWrite measures the clerk's writes (event + projection + outbox in
// one transaction, synchronous=FULL) against raw single-row INSERT+COMMITs
// on a file with the same pragmas. The two are interleaved, one raw write
// after each of ours, so both see the same disk: an fsync's cost drifts by
// tens of per cent over a minute on a shared machine. ns/op is our write;
// raw-ns/op the baseline; ×raw the ratio of the means, p50×raw of the
// medians. The means include the WAL checkpoints and every registration's
// share of the search fold: the folds that fell in the run (one
// registration in DefaultSearchTail folds the tail) and, after it, the
// fold of what is left in the tail, timed and spread over the run.
func BenchmarkWrite(b *testing.B) {
	ctx := context.Background()
	v := domain.Visitor{FullName: "Фёдоров Пётр Ильич", DocType: domain.DocPassportRU, DocNumber: "2504 123456", SNILS: "112-233-445 95", Phone: "+79161234567"}
	register := func(s *Store) error { _, err := s.RegisterVisitor(ctx, "c", v); return err }
	ticket := func(s *Store) error { _, err := s.IssueTicket(ctx, "c", "replanning", "", ""); return err }
	both := func(s *Store) error {
		if err := register(s); err != nil {
			return err
		}
		return ticket(s)
	}
	fresh := func(b *testing.B) *Store { s, _ := newStore(b, "IRK", 3); return s }
	b.Run("register", func(b *testing.B) { interleaved(b, fresh(b), 1, register) })
	b.Run("ticket", func(b *testing.B) { interleaved(b, fresh(b), 1, ticket) })
	b.Run("register_and_ticket", func(b *testing.B) { interleaved(b, fresh(b), 2, both) })
	// The same on a workstation that holds a million visitors (a copy of
	// the search benchmark's fixture, its tail folded first, so the run
	// pays for the folding of its own visitors only).
	b.Run(fmt.Sprintf("register_and_ticket_visitors=%d", benchVisitors()), func(b *testing.B) {
		interleaved(b, fixtureCopy(b), 2, both)
	})
}

// fixtureCopy opens a private copy of the search fixture, synced to disk
// first so that the copy's own writeback is not timed.
func fixtureCopy(b *testing.B) *Store {
	SearchFixture(b, benchVisitors(), benchVisitor).Close()
	src := fixturePath(benchVisitors())
	dst := filepath.Join(b.TempDir(), "okno.db")
	in, err := os.Open(src)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		b.Fatal(err)
	}
	if err := out.Sync(); err != nil {
		b.Fatal(err)
	}
	out.Close()
	s, err := Open(context.Background(), dst, Options{Catalog: testCatalog()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	foldAll(b, s)
	return s
}

// interleaved times write on s and, after each call, n raw single-row
// INSERT+COMMITs of a row the size of a visitor's JSON.
func interleaved(b *testing.B, s *Store, n int, write func(s *Store) error) {
	db, err := openDB(filepath.Join(b.TempDir(), "raw.db"), true, false)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE t (id TEXT PRIMARY KEY, data BLOB)`); err != nil {
		b.Fatal(err)
	}
	row := make([]byte, 300)
	raw := func() {
		tx, err := db.Begin()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Exec(`INSERT INTO t VALUES (?, ?)`, uuid.NewString(), row); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	var ours, base []time.Duration
	for b.Loop() {
		t := time.Now()
		if err := write(s); err != nil {
			b.Fatal(err)
		}
		ours = append(ours, time.Since(t))
		t = time.Now()
		for range n {
			raw()
		}
		base = append(base, time.Since(t))
	}
	// What the run left in the tail is a debt of its writes: pay it.
	t := time.Now()
	foldAll(b, s)
	debt := time.Since(t) / time.Duration(len(ours))
	for i := range ours {
		ours[i] += debt
	}
	mean := func(d []time.Duration) float64 {
		var sum time.Duration
		for _, x := range d {
			sum += x
		}
		return float64(sum.Nanoseconds()) / float64(len(d))
	}
	median := func(d []time.Duration) float64 {
		d = slices.Clone(d)
		slices.Sort(d)
		return float64(d[len(d)/2].Nanoseconds())
	}
	b.ReportMetric(mean(ours), "ns/op")
	b.ReportMetric(mean(base), "raw-ns/op")
	b.ReportMetric(mean(ours)/mean(base), "×raw")
	b.ReportMetric(median(ours)/median(base), "p50×raw")
}

// benchVisitors is the size of the search fixture; OKNO_BENCH_VISITORS
// changes it (the fixture is cached per size in the temp folder).
func benchVisitors() int {
	n := 1_000_000
	if v := os.Getenv("OKNO_BENCH_VISITORS"); v != "" {
		fmt.Sscan(v, &n)
	}
	return n
}

// fixturePath is where the n-visitor fixture is cached; the version changes
// with the schema.
func fixturePath(n int) string {
	return filepath.Join(os.TempDir(), fmt.Sprintf("okno-bench-visitors-%d-v14.db", n))
}

// SearchFixture opens (building once, then caching under the temp folder) a
// store with n synthetic visitors. The visitors go straight into the
// projection in large transactions: the fixture is for reading, and a
// million intents with an fsync each would take an hour. The search index
// is left as a workstation's is: folded in DefaultSearchTail batches, with
// its FTS5 segments as automerge left them (no 'optimize'), and a tail one
// short of a fold, the most a search ever scans.
func SearchFixture(tb testing.TB, n int, visitorGen func(i int) domain.Visitor) *Store {
	tb.Helper()
	ctx := context.Background()
	path := fixturePath(n)
	if _, err := os.Stat(path); err != nil {
		// Build under a name of this process's own and rename when complete,
		// so a concurrent run never sees (or marks done) half a fixture.
		tmp := fmt.Sprintf("%s.building-%d", path, os.Getpid())
		s, err := Open(ctx, tmp, Options{Catalog: testCatalog(), NoSync: true, SearchTail: n + 1})
		if err != nil {
			tb.Fatal(err)
		}
		if err := s.Init(ctx, "BEN", 1); err != nil {
			tb.Fatal(err)
		}
		start := time.Now()
		const batch = 20_000
		for i := 0; i < n; i += batch {
			err := s.WithTx(ctx, func(tx *Tx) error {
				for j := i; j < min(i+batch, n); j++ {
					v := visitorGen(j)
					v.ID = uuid.Must(uuid.NewV7()).String()
					if err := s.putVisitor(ctx, tx, &v, time.Now().UTC().Format(timeFormat), true); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				tb.Fatal(err)
			}
		}
		// Fold as the writes would have, DefaultSearchTail at a time,
		// leaving DefaultSearchTail-1 in the tail.
		toFold := max(n-(DefaultSearchTail-1), 0)
		for chunk := toFold % DefaultSearchTail; toFold > 0; chunk = DefaultSearchTail {
			if chunk == 0 {
				continue
			}
			if err := s.WithTx(ctx, func(tx *Tx) error { _, err := s.foldSearch(ctx, tx, chunk); return err }); err != nil {
				tb.Fatal(err)
			}
			toFold -= chunk
		}
		s.db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
		s.Close()
		os.Remove(tmp + "-wal")
		os.Remove(tmp + "-shm")
		if err := os.Rename(tmp, path); err != nil {
			tb.Fatal(err)
		}
		tb.Logf("built a %d-visitor fixture in %s", n, time.Since(start).Round(time.Second))
	}
	s, err := Open(ctx, path, Options{Catalog: testCatalog()})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	var got int
	if err := s.rdb.QueryRow(`SELECT count(*) FROM visitors`).Scan(&got); err != nil || got != n {
		tb.Fatalf("the fixture %s holds %d visitors, not %d: delete it to rebuild (%v)", path, got, n, err)
	}
	return s
}
