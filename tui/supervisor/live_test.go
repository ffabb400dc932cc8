package supervisor

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/central/httpapi"
	"github.com/okno-mfc/okno/client"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/tui/i18n"
)

// tap is a Feed that passes another's updates on and remembers them.
type tap struct {
	Feed
	mu  sync.Mutex
	got []Update
}

func (f *tap) Watch(ctx context.Context, office string) <-chan Update {
	in := f.Feed.Watch(ctx, office)
	out := make(chan Update)
	go func() {
		defer close(out)
		for u := range in {
			f.mu.Lock()
			f.got = append(f.got, u)
			f.mu.Unlock()
			select {
			case out <- u:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

func (f *tap) links() []LinkEvent {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []LinkEvent
	for _, u := range f.got {
		if u.Link != LinkNone {
			out = append(out, u.Link)
		}
	}
	return out
}

// until settles the driver until cond holds, or fails after d.
func (d *driver) until(what string, within time.Duration, cond func() bool) time.Duration {
	d.t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > within {
			d.t.Fatalf("%s: not within %s", what, within)
		}
		select {
		case msg := <-d.results:
			d.handle(msg)
		case <-time.After(5 * time.Millisecond):
		}
	}
	return time.Since(start)
}

func waiting(m *Model, ticket string) bool {
	if m.snap == nil {
		return false
	}
	return slices.ContainsFunc(m.snap.Waiting, func(q api.QueueTicket) bool { return q.ID == ticket })
}

func routed(srv *centraltest.Server, pattern string) bool {
	return slices.ContainsFunc(srv.API.Routes(), func(r httpapi.Route) bool { return r.Pattern == pattern })
}

// TestLivePath: events a window pushes to a real central reach the
// supervisor's model through the real adapter within a second; a cut
// stream is shown as lost and comes back by itself.
func TestLivePath(t *testing.T) {
	t.Parallel()
	srv := centraltest.Start(t)
	ws := srv.Enrol(t, "IRK", 1)
	window := srv.Client(t, ws.Token)
	sup := srv.Client(t, srv.Session(t, "sup", domain.RoleSupervisor, "IRK", 0))
	feed := &tap{Feed: NewLive(sup, LiveConfig{DayEvery: 20 * time.Millisecond, AttentionEvery: 100 * time.Millisecond})}
	c := testCommon(t, i18n.EN, "IRK")
	c.Now = time.Now
	m := New(c, feed, Options{})
	d := drive(t, m)
	defer m.Stop()
	d.until("the first snapshot", 5*time.Second, func() bool { return m.snap != nil && m.connected })

	ch := centraltest.NewChain("IRK", 1)
	push := func(evs ...domain.Event) {
		t.Helper()
		res, err := window.PushEvents(context.Background(), evs)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res.Results {
			if r.Status != api.IngestAccepted {
				t.Fatalf("push: %+v", r)
			}
		}
	}
	e, ticket := ch.Issue("advertising_permit", "")
	push(e)
	took := d.until("the issued ticket", time.Second, func() bool { return waiting(m, ticket) })
	t.Logf("commit → model: %s", took)

	// The central's catalogue arrives once; figures and the attention
	// list when the central serves them.
	d.until("the catalogue", 2*time.Second, func() bool { return m.cat != nil && m.cat != m.opts.Catalog })
	if routed(srv, "GET /v1/offices/{office}/report") {
		d.until("today's figures", 2*time.Second, func() bool { return m.day != nil && m.day.Visitors == 1 })
	}
	if routed(srv, "GET /v1/offices/{office}/attention") {
		d.until("the attention list", 2*time.Second, func() bool { return m.attention != nil })
	}

	// Cut every connection: the model says so, keeps the picture, and the
	// adapter reconnects by itself.
	srv.HTTP.CloseClientConnections()
	d.until("the reconnect", 5*time.Second, func() bool {
		l := feed.links()
		return len(l) >= 3 && l[len(l)-2] == LinkLost && l[len(l)-1] == LinkUp && m.connected
	})
	if m.lost != nil || m.snap == nil {
		t.Fatalf("after the reconnect: lost %v, picture %v", m.lost, m.snap != nil)
	}
	e2, ticket2 := ch.Issue("legal_act_copy", "")
	push(e2)
	d.until("a ticket after the reconnect", time.Second, func() bool { return waiting(m, ticket2) })

	// While the central is gone the banner shows and the picture stays.
	srv.API.Shutdown() // every stream ends now and at once after each reconnect
	d.until("the banner", 5*time.Second, func() bool { return m.lost != nil })
	if !waiting(m, ticket2) {
		t.Fatal("the last picture was dropped")
	}
}

// TestLiveRefused: a session the central ended stops the feed with a
// failure the screen shows.
func TestLiveRefused(t *testing.T) {
	t.Parallel()
	srv := centraltest.Start(t)
	tok := srv.Session(t, "sup", domain.RoleSupervisor, "IRK", 0)
	sup := srv.Client(t, tok)
	c := testCommon(t, i18n.EN, "IRK")
	c.Now = time.Now
	m := New(c, NewLive(sup, LiveConfig{}), Options{})
	d := drive(t, m)
	defer m.Stop()
	d.until("the first snapshot", 5*time.Second, func() bool { return m.snap != nil })
	if err := srv.Client(t, tok).SignOut(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv.HTTP.CloseClientConnections()
	d.until("the failure", 5*time.Second, func() bool { return m.failed != nil })
	if m.snap == nil {
		t.Fatal("the last picture was dropped")
	}
	if !errors.Is(m.failed, client.ErrUnauthorized) {
		t.Fatalf("failed with %v, want ErrUnauthorized", m.failed)
	}
}
