package supervisor

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/central/httpapi"
	"github.com/okno-mfc/okno/client"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/internal/passwd"
	"github.com/okno-mfc/okno/link"
	"github.com/okno-mfc/okno/localdb"
	"github.com/okno-mfc/okno/tui/i18n"
)

// tap is a Feed that passes another's updates on and remembers them.
type tap struct {
	Feed
	mu  sync.Mutex
	got []link.LiveUpdate
}

func (f *tap) Watch(ctx context.Context, office string) <-chan link.LiveUpdate {
	in := f.Feed.Watch(ctx, office)
	out := make(chan link.LiveUpdate)
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

func (f *tap) links() []link.StreamEvent {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []link.StreamEvent
	for _, u := range f.got {
		if u.Stream != link.StreamNone {
			out = append(out, u.Stream)
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

// mustRoute fails the test when the central no longer serves a route the
// live screen reads: a deleted route must not pass as "not offered".
func mustRoute(t *testing.T, srv *centraltest.Server, pattern string) {
	t.Helper()
	if !slices.ContainsFunc(srv.API.Routes(), func(r httpapi.Route) bool { return r.Pattern == pattern }) {
		t.Fatalf("the central does not serve %s, which the supervisor's screen reads", pattern)
	}
}

// supervisorLink is a workstation's link to srv with a supervisor signed
// in: the way the TUI gets its live queue (link.Link.LiveQueue).
func supervisorLink(t *testing.T, srv *centraltest.Server, cfg link.LiveConfig) *link.Link {
	t.Helper()
	ctx := context.Background()
	st, err := localdb.Open(ctx, filepath.Join(t.TempDir(), "okno.db"), localdb.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Init(ctx, "IRK", 9); err != nil {
		t.Fatal(err)
	}
	srv.AddUser(t, "sup", domain.RoleSupervisor, "IRK")
	l := link.New(link.Config{Store: st, Client: srv.Client(t, ""), Hash: passwd.Fast, Live: cfg})
	if _, online, err := l.SignIn(ctx, "sup", centraltest.Password("sup"), 0); err != nil || !online {
		t.Fatalf("the supervisor's sign-in: online %v, %v", online, err)
	}
	return l
}

// TestLivePath: events a window pushes to a real central reach the
// supervisor's model through the link's live queue; a cut stream is shown
// as lost and comes back by itself.
func TestLivePath(t *testing.T) {
	t.Parallel()
	srv := centraltest.Start(t)
	mustRoute(t, srv, "GET /v1/offices/{office}/report")
	mustRoute(t, srv, "GET /v1/offices/{office}/attention")
	ws := srv.Enrol(t, "IRK", 1)
	window := srv.Client(t, ws.Token)
	l := supervisorLink(t, srv, link.LiveConfig{DayEvery: 20 * time.Millisecond, AttentionEvery: 100 * time.Millisecond})
	live := l.LiveQueue()
	if live == nil {
		t.Fatal("no live queue for a supervisor signed in online")
	}
	feed := &tap{Feed: live}
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
	// How long it took is logged, not asserted (BenchmarkLive measures it).
	took := d.until("the issued ticket", 10*time.Second, func() bool { return waiting(m, ticket) })
	t.Logf("commit → model: %s", took)

	// The central's catalogue arrives once; figures and the attention
	// list when the central serves them.
	d.until("the catalogue", 2*time.Second, func() bool { return m.cat != nil && m.cat != m.opts.Catalog })
	d.until("today's figures", 10*time.Second, func() bool { return m.day != nil && m.day.Visitors == 1 })
	d.until("the attention list", 10*time.Second, func() bool { return m.attention != nil })

	// Cut every connection: the model says so, keeps the picture, and the
	// adapter reconnects by itself.
	srv.HTTP.CloseClientConnections()
	d.until("the reconnect", 5*time.Second, func() bool {
		l := feed.links()
		return len(l) >= 3 && l[len(l)-2] == link.StreamLost && l[len(l)-1] == link.StreamUp && m.connected
	})
	if m.lost != nil || m.snap == nil {
		t.Fatalf("after the reconnect: lost %v, picture %v", m.lost, m.snap != nil)
	}
	e2, ticket2 := ch.Issue("legal_act_copy", "")
	push(e2)
	d.until("a ticket after the reconnect", 10*time.Second, func() bool { return waiting(m, ticket2) })

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
	l := supervisorLink(t, srv, link.LiveConfig{})
	c := testCommon(t, i18n.EN, "IRK")
	c.Now = time.Now
	m := New(c, l.LiveQueue(), Options{})
	d := drive(t, m)
	defer m.Stop()
	d.until("the first snapshot", 5*time.Second, func() bool { return m.snap != nil })
	// The session ends at the central (an administrator's doing, or its
	// expiry): the live queue's client still holds the token.
	if _, err := srv.SQL(t).Exec(`DELETE FROM sessions WHERE login = 'sup'`); err != nil {
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
