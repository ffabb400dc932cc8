package link

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/central/httpapi"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/client"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/internal/faultproxy"
	"github.com/okno-mfc/okno/internal/passwd"
	"github.com/okno-mfc/okno/internal/seed"
	"github.com/okno-mfc/okno/localdb"

	_ "modernc.org/sqlite"
)

// liveCentral is a real central over a SQLite file that can be stopped and
// started again on the same file (a restart mid-batch).
type liveCentral struct {
	t         testing.TB
	dsn       string
	st        *store.Store
	apiServer *httpapi.Server
	hs        *httptest.Server
}

func startCentral(t testing.TB, dsn string) *liveCentral {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dsn, store.Options{Argon2: centraltest.TestArgon2})
	if err != nil {
		t.Fatal(err)
	}
	apiServer, err := httpapi.New(ctx, httpapi.Config{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(apiServer)
	return &liveCentral{t: t, dsn: dsn, st: st, apiServer: apiServer, hs: hs}
}

func (c *liveCentral) addr() string { return c.hs.Listener.Addr().String() }

// ingested reads the central's count of events answered with result.
func (c *liveCentral) ingested(t testing.TB, result string) int {
	t.Helper()
	admin, _, err := c.st.CreateSession(context.Background(), domain.Operator{Login: "metrics", Role: domain.RoleAdmin, Office: store.AllOffices})
	if err != nil {
		t.Fatal(err)
	}
	cl, _ := client.New(c.hs.URL, client.WithToken(admin))
	text, err := cl.Metrics(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(text, "\n") {
		if v, ok := strings.CutPrefix(line, `okno_ingest_events_total{result="`+result+`"} `); ok {
			n, _ := strconv.Atoi(v)
			return n
		}
	}
	return 0
}

func (c *liveCentral) stop() {
	c.apiServer.Shutdown()
	c.hs.CloseClientConnections()
	c.hs.Close()
	c.apiServer.Close()
	c.st.Close()
}

// faultyStation is a workstation whose link goes through a fault proxy.
type faultyStation struct {
	st    *localdb.Store
	link  *Link
	proxy *faultproxy.Proxy
	dir   string
}

func newFaultyStation(t testing.TB, c *liveCentral, window int) *faultyStation {
	return newStationTimeout(t, c, window, 700*time.Millisecond)
}

// newStationTimeout is newFaultyStation with the client's timeout given:
// the tests that inject no delays (kills, the district office's week) wait
// long, so a loaded machine's slow answer is not taken for a lost one and
// resent.
func newStationTimeout(t testing.TB, c *liveCentral, window int, timeout time.Duration) *faultyStation {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := localdb.Open(ctx, filepath.Join(dir, "okno.db"), localdb.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Init(ctx, "IRK", window); err != nil {
		t.Fatal(err)
	}
	key := centraltest.KeyFor("IRK", window)
	ws, err := c.st.Enrol(ctx, api.EnrolRequest{Office: "IRK", Window: window, PublicKey: PublicKey(key)})
	if err != nil {
		t.Fatal(err)
	}
	st.SetSigner(KeySigner{Key: key})
	p, err := faultproxy.Start(c.addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	cl, err := client.New("http://"+p.Addr(), client.WithTimeout(timeout),
		client.WithRetry(client.RetryPolicy{Attempts: 2, Base: 5 * time.Millisecond, Max: 20 * time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	cred := Credential{Central: cl.BaseURL(), Office: "IRK", Window: window, Login: ws.Login, Secret: ws.Token}
	l := New(Config{Store: st, Client: cl, Cred: cred, Hash: passwd.Fast, Batch: 50,
		MinBackoff: 10 * time.Millisecond, MaxBackoff: 100 * time.Millisecond, Idle: 20 * time.Millisecond, Probe: 10 * time.Millisecond})
	return &faultyStation{st: st, link: l, proxy: p, dir: dir}
}

// work records n random clerk actions.
func work(t testing.TB, st *localdb.Store, g *seed.Gen, r *rand.Rand, n int) {
	t.Helper()
	ctx := context.Background()
	svcs := st.Catalog().Services
	for i := 0; i < n; i++ {
		svc := svcs[r.IntN(len(svcs))]
		tk, err := st.IssueTicket(ctx, "anna", svc.Code, "", "")
		if err != nil {
			t.Fatal(err)
		}
		if r.IntN(3) == 0 {
			continue // still waiting
		}
		v, err := st.RegisterVisitor(ctx, "anna", g.Visitor())
		if err != nil {
			t.Fatal(err)
		}
		c, err := st.OpenCase(ctx, "anna", v.ID, svc.Code, tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range svc.Documents {
			if err := st.CheckDocument(ctx, "anna", c.ID, domain.DocumentPayload{Doc: d.Code, Presented: d.Need == domain.Required}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := st.HandOff(ctx, "anna", c.ID, ""); err != nil {
			t.Fatal(err)
		}
	}
}

// checkResult counts what the checker found.
type checkResult struct {
	Local, Lost, Twice, Mismatch int
}

// check compares every event committed locally with the central's store:
// each one there exactly once, and every answer stored locally (what the
// clerk saw) the same as the central's.
func check(t testing.TB, dsn string, st *localdb.Store) checkResult {
	t.Helper()
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file:"+dsn+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	server := map[string]string{}
	rows, err := db.QueryContext(ctx, `SELECT id, status, count(*) OVER (PARTITION BY seq) FROM events WHERE office = ? AND win = ?`, st.Office(), st.Window())
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var res checkResult
	for rows.Next() {
		var id, status string
		var sameSeq int
		if err := rows.Scan(&id, &status, &sameSeq); err != nil {
			t.Fatal(err)
		}
		if _, seen := server[id]; seen || sameSeq > 1 {
			res.Twice++
		}
		server[id] = status
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	answers, err := st.OutboxAnswers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	local, err := st.LocalEvents(ctx, 0, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	res.Local = len(local)
	for _, ev := range local {
		got, ok := server[ev.ID]
		if !ok {
			res.Lost++
			continue
		}
		switch answers[ev.ID] {
		case "accepted", "duplicate":
			if got != "accepted" {
				res.Mismatch++
			}
		case "rejected":
			if got != "rejected" {
				res.Mismatch++
			}
		default: // still pending locally after the final sync
			res.Mismatch++
		}
	}
	if len(server) != len(local) {
		res.Twice += max(0, len(server)-len(local))
	}
	return res
}

// drain syncs with the faults off until nothing is left.
func drain(t testing.TB, s *faultyStation) {
	t.Helper()
	s.proxy.Set(faultproxy.None)
	for i := 0; i < 20; i++ {
		sum, err := s.link.SyncOnce(context.Background())
		if err == nil && sum.Left == 0 {
			return
		}
	}
	st, _ := s.st.Outbox(context.Background())
	t.Fatalf("the outbox does not drain with the link healthy: %+v, %s", st, s.link.Status().Err)
}

func soakRuns(def int) int {
	if v := os.Getenv("OKNO_SOAK_RUNS"); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
	}
	return def
}

// TestFaultySync runs randomised fault runs: work and syncs through a proxy
// that refuses, resets mid-request and mid-response, goes silent, answers
// 500 and crawls, with the central restarted mid-batch now and then. After
// the faults stop, the checker must find 0 lost, 0 stored twice, and every
// stored answer equal to the central's. `make soak` runs many of them.
func TestFaultySync(t *testing.T) {
	runs := soakRuns(3)
	var total checkResult
	faults := map[faultproxy.Fault]int64{}
	restarts := 0
	for run := 0; run < runs; run++ {
		r := rand.New(rand.NewPCG(uint64(run), 42))
		dsn := filepath.Join(t.TempDir(), "central.db")
		c := startCentral(t, dsn)
		s := newFaultyStation(t, c, 1+run%9)
		g := seed.New(uint64(run))
		s.proxy.Random(rand.New(rand.NewPCG(uint64(run), 43)), 0.5) // its own source: the proxy draws from another goroutine
		for step := 0; step < 8; step++ {
			work(t, s.st, g, r, 1+r.IntN(4))
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			if r.IntN(4) == 0 {
				// Restart the central while a sync is in flight.
				done := make(chan struct{})
				go func() { s.link.SyncOnce(ctx); close(done) }()
				time.Sleep(time.Duration(r.IntN(30)) * time.Millisecond)
				c.stop()
				<-done
				c = startCentral(t, dsn)
				s.proxy.SetTarget(c.addr())
				restarts++
			} else {
				s.link.SyncOnce(ctx)
			}
			cancel()
		}
		drain(t, s)
		for _, f := range faultproxy.All {
			faults[f] += s.proxy.Count(f)
		}
		c.stop()
		res := check(t, dsn, s.st)
		total.Local += res.Local
		total.Lost += res.Lost
		total.Twice += res.Twice
		total.Mismatch += res.Mismatch
		if res.Lost+res.Twice+res.Mismatch > 0 {
			t.Fatalf("run %d: %+v", run, res)
		}
	}
	t.Logf("%d runs, %d events, %d lost, %d stored twice, %d answers not matching; %d central restarts; faults by connection: %v",
		runs, total.Local, total.Lost, total.Twice, total.Mismatch, restarts, faults)
	if runs >= 20 {
		fmt.Printf("soak: %d runs, %d events, %d lost, %d stored twice, %d answers not matching; %d central restarts; faults by connection: %v\n",
			runs, total.Local, total.Lost, total.Twice, total.Mismatch, restarts, faults)
	}
}

// A failure, then no local writes at all: the outbox still drains once the
// central is back (the link retries by itself, no write needed to wake it).
func TestStuckQueueDrains(t *testing.T) {
	t.Parallel()
	dsn := filepath.Join(t.TempDir(), "central.db")
	c := startCentral(t, dsn)
	defer c.stop()
	s := newFaultyStation(t, c, 3)
	s.proxy.Set(faultproxy.Refuse)
	work(t, s.st, seed.New(1), rand.New(rand.NewPCG(1, 1)), 5)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.link.Run(ctx)
	deadline := time.Now().Add(5 * time.Second)
	for s.link.Status().State != Offline || s.link.Status().Pending == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the link never saw the failure: %+v", s.link.Status())
		}
		time.Sleep(5 * time.Millisecond)
	}
	s.proxy.Set(faultproxy.None) // the central is back; nothing is written from now on
	deadline = time.Now().Add(10 * time.Second)
	for {
		st := s.link.Status()
		if st.State == Online && st.Pending == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the outbox is stuck: %+v", st)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if res := check(t, dsn, s.st); res.Lost+res.Twice+res.Mismatch > 0 {
		t.Fatalf("%+v", res)
	}
}

// A workstation's clock a day off loses nothing: order comes from the
// sequence, never from wall clocks.
func TestClockSkew(t *testing.T) {
	t.Parallel()
	dsn := filepath.Join(t.TempDir(), "central.db")
	c := startCentral(t, dsn)
	defer c.stop()
	s := newFaultyStation(t, c, 3)
	skew := 0
	s.st.Now = func() time.Time { skew++; return time.Now().Add(-25*time.Hour + time.Duration(skew%2)*50*time.Hour) } // jumps back and forth by a day
	work(t, s.st, seed.New(2), rand.New(rand.NewPCG(2, 2)), 6)
	drain(t, s)
	if res := check(t, dsn, s.st); res.Lost+res.Twice+res.Mismatch > 0 || res.Local == 0 {
		t.Fatalf("%+v", res)
	}
}
