package fake

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/okno-mfc/okno/internal/seed"
	"github.com/okno-mfc/okno/localdb"
)

// The intake benchmarks need a store with many visitors. localdb has no
// exported bulk import, so the fixture is, in this order:
//
//   - the file OKNO_BENCH_VISITOR_DB names;
//   - the largest complete fixture localdb's own search benchmark left in
//     the temp folder (okno-bench-visitors-N-vV.db, 1M by default; it fills
//     the projection directly and takes a minute to build; its visitors are
//     counted, so one being rebuilt is passed by);
//   - else one built here once and cached in the temp folder, of
//     OKNO_BENCH_TUI_VISITORS visitors (default 50 000), registered through
//     RegisterVisitor (events, outbox and all) without fsync: ~0.65 ms a
//     visitor, so a million would take 11 minutes.

var localdbFixture = regexp.MustCompile(`^okno-bench-visitors-(\d+)-v(\d+)\.db(\.done)?$`)

// visitorStorePath returns the fixture's path and how many visitors it has.
func visitorStorePath(tb testing.TB) (string, int) {
	tb.Helper()
	if p := os.Getenv("OKNO_BENCH_VISITOR_DB"); p != "" {
		return p, countVisitors(p)
	}
	entries, _ := os.ReadDir(os.TempDir())
	type found struct {
		path   string
		n, ver int
	}
	var fs []found
	for _, e := range entries {
		if m := localdbFixture.FindStringSubmatch(e.Name()); m != nil {
			n, _ := strconv.Atoi(m[1])
			v, _ := strconv.Atoi(m[2])
			fs = append(fs, found{filepath.Join(os.TempDir(), strings.TrimSuffix(e.Name(), ".done")), n, v})
		}
	}
	sort.Slice(fs, func(i, j int) bool {
		if fs[i].n != fs[j].n {
			return fs[i].n > fs[j].n
		}
		return fs[i].ver > fs[j].ver
	})
	for _, f := range fs {
		if f.n < 100_000 {
			break
		}
		// A fixture being rebuilt, or one from another schema, is passed by.
		if n := countVisitors(f.path); n >= f.n*9/10 {
			return f.path, n
		}
	}
	n := 50_000
	if v := os.Getenv("OKNO_BENCH_TUI_VISITORS"); v != "" {
		fmt.Sscan(v, &n)
	}
	return buildVisitorStore(tb, n), n
}

// countVisitors counts the visitors in a store file, read-only; 0 when it
// cannot.
func countVisitors(path string) int {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(2000)")
	if err != nil {
		return 0
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM visitors`).Scan(&n); err != nil {
		return 0
	}
	return n
}

func buildVisitorStore(tb testing.TB, n int) string {
	tb.Helper()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("okno-tui-bench-visitors-%d-v1.db", n))
	if _, err := os.Stat(path + ".done"); err == nil {
		return path
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
	ctx := context.Background()
	st, err := localdb.Open(ctx, path, localdb.Options{Catalog: Catalog(), NoSync: true})
	if err != nil {
		tb.Fatal(err)
	}
	defer st.Close()
	if err := st.Init(ctx, "BEN", 1); err != nil {
		tb.Fatal(err)
	}
	g := seed.New(42)
	start := time.Now()
	for i := 0; i < n; i++ {
		if _, err := st.RegisterVisitor(ctx, "bench", g.Visitor()); err != nil {
			tb.Fatal(err)
		}
	}
	tb.Logf("built a %d-visitor store in %s", n, time.Since(start).Round(time.Second))
	if err := os.WriteFile(path+".done", nil, 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

// VisitorStore opens a store with many visitors for the benchmarks (see
// above for where it comes from) and says how many.
func VisitorStore(tb testing.TB) (*localdb.Store, int) {
	tb.Helper()
	path, n := visitorStorePath(tb)
	st, err := localdb.Open(context.Background(), path, localdb.Options{Catalog: Catalog(), Now: Start})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st, n
}

// VisitorStorePath is the fixture's file and how many visitors it holds.
func VisitorStorePath(tb testing.TB) (string, int) { return visitorStorePath(tb) }

// Latencies collects one duration per operation and reports percentiles.
type Latencies []time.Duration

// Report reports p50, p99 and the maximum, in ns, with a name prefix.
func (l Latencies) Report(b *testing.B, prefix string) {
	if len(l) == 0 {
		return
	}
	s := append(Latencies(nil), l...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	at := func(q float64) float64 { return float64(s[min(len(s)-1, int(q*float64(len(s))))].Nanoseconds()) }
	b.ReportMetric(at(0.50), prefix+"p50-ns")
	b.ReportMetric(at(0.99), prefix+"p99-ns")
	b.ReportMetric(float64(s[len(s)-1].Nanoseconds()), prefix+"max-ns")
}

// Samples is how many operations a latency benchmark measures: b.N, but
// at least least, so percentiles mean something under -benchtime 1x.
func Samples(b *testing.B, least int) int { return max(b.N, least) }
