package link

import (
	"context"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/client"
	"github.com/okno-mfc/okno/domain"
)

// pushGauge counts the pushes (POST /v1/events) on the line at once: from
// the request until its answer is read and closed. Each is held a moment,
// so that two pushes the link let overlap would be seen on the line.
type pushGauge struct {
	base      http.RoundTripper
	hold      time.Duration
	now, most atomic.Int32
	pushes    atomic.Int32
}

func (g *pushGauge) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/events" {
		return g.base.RoundTrip(r)
	}
	n := g.now.Add(1)
	g.pushes.Add(1)
	for m := g.most.Load(); n > m && !g.most.CompareAndSwap(m, n); m = g.most.Load() {
	}
	time.Sleep(g.hold)
	resp, err := g.base.RoundTrip(r)
	if err != nil {
		g.now.Add(-1)
		return nil, err
	}
	resp.Body = &gaugedBody{ReadCloser: resp.Body, g: g}
	return resp, nil
}

type gaugedBody struct {
	io.ReadCloser
	g    *pushGauge
	once sync.Once
}

func (b *gaugedBody) Close() error {
	b.once.Do(func() { b.g.now.Add(-1) })
	return b.ReadCloser.Close()
}

// TestPushesNeverOverlap: the link's own pushes (Run, on every committed
// write), a sync asked for meanwhile and the pushes of "call next" (which
// sends the window's new tickets before asking the shared queue) run one
// at a time: one outbox is never sent twice at once. Everything recorded
// reaches the central.
func TestPushesNeverOverlap(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv := centraltest.Start(t)
	srv.AddUser(t, "anna", domain.RoleClerk, "IRK")
	g := &pushGauge{base: http.DefaultTransport.(*http.Transport).Clone(), hold: 5 * time.Millisecond}
	a := newStation(t, srv, "IRK", 3, func(c *Config) {
		c.Client = srv.Client(t, "", client.WithTransport(g))
		c.Batch = 2    // many small pushes
		c.InFlight = 1 // one batch on the wire per push: two on the line would be two pushes
	})
	ran := make(chan struct{})
	go func() {
		defer close(ran)
		_ = a.link.Run(ctx)
	}()
	var wg sync.WaitGroup
	var errs sync.Map // reported after the gauge: an overlap shows first as two pushes on the line
	wg.Add(2)
	go func() { // a clerk: walk-ins, calls, served
		defer wg.Done()
		for range 15 {
			if _, err := a.st.IssueTicket(ctx, "anna", "kindergarten_queue", "", ""); err != nil {
				errs.Store("issue", err)
				return
			}
			tk, _, err := a.link.CallNext(ctx, "anna", nil)
			if err != nil {
				errs.Store("call next", err)
				return
			}
			if _, err := a.st.Move(ctx, "anna", tk.ID, domain.EvTicketServed); err != nil {
				errs.Store("served", err)
				return
			}
		}
	}()
	go func() { // the sync screen's refresh, and okno sync --once beside it
		defer wg.Done()
		for range 15 {
			a.link.SyncNow()
			if _, err := a.link.SyncOnce(ctx); err != nil {
				errs.Store("sync", err)
				return
			}
		}
	}()
	wg.Wait()
	_, last := a.link.SyncOnce(ctx)
	cancel()
	<-ran
	if m := g.most.Load(); m != 1 {
		t.Fatalf("%d pushes were on the line at once (of %d)", m, g.pushes.Load())
	}
	errs.Range(func(k, v any) bool {
		t.Errorf("%s: %v", k, v)
		return true
	})
	if last != nil {
		t.Fatalf("the last sync: %v", last)
	}
	local, _ := a.st.LocalEvents(context.Background(), 0, 1000)
	if n := srv.Count(t, "SELECT count(*) FROM events WHERE office = 'IRK' AND win = 3"); n != len(local) {
		t.Fatalf("the central holds %d events of the window, it recorded %d", n, len(local))
	}
	t.Logf("%d pushes, %d events", g.pushes.Load(), len(local))
}

// TestRunPushesWhatIsCommitted: nobody tells the link of a write; the
// store announces it and the link sends it.
func TestRunPushesWhatIsCommitted(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv := centraltest.Start(t)
	a := newStation(t, srv, "IRK", 3, func(c *Config) { c.Idle = time.Hour }) // no idle rounds: only the write can wake it
	ran := make(chan struct{})
	go func() {
		defer close(ran)
		_ = a.link.Run(ctx)
	}()
	defer func() { cancel(); <-ran }()
	// The first round (at start) finds nothing; then the link waits.
	waitFor(t, func() bool { return a.link.Status().State == Online })
	if _, err := a.st.IssueTicket(ctx, "anna", "kindergarten_queue", "", ""); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool {
		return srv.Count(t, "SELECT count(*) FROM events WHERE office = 'IRK' AND win = 3") == 1
	})
	waitFor(t, func() bool { return a.link.Status().Pending == 0 })
}

// waitFor polls cond until it holds; the deadline only guards a hang.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("not within 20 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
