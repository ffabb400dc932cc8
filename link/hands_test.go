package link

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/client"
	"github.com/okno-mfc/okno/domain"
)

// TestHeartbeatAndSupervisorHands: online windows beat, so a window whose
// workstation stopped shows offline after two minutes while the others
// stay free; a supervisor's raise and a closed window reach the other
// windows through the feed.
func TestHeartbeatAndSupervisorHands(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var mu sync.Mutex
	clock := time.Now()
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	srv := centraltest.Start(t, centraltest.Clock(now))
	beat := func(c *Config) { c.Heartbeat = time.Nanosecond }
	a := newStation(t, srv, "IRK", 3, beat)
	b := newStation(t, srv, "IRK", 4, beat)
	tk, err := a.st.IssueTicket(ctx, "anna", "kindergarten_queue", "", "")
	if err != nil {
		t.Fatal(err)
	}
	a.sync(t)
	b.sync(t)
	sup := srv.Client(t, srv.Session(t, "sveta", domain.RoleSupervisor, "IRK", 0))
	states := func() map[int]string {
		snap, err := sup.Queue(ctx, "IRK")
		if err != nil {
			t.Fatal(err)
		}
		out := map[int]string{}
		for _, w := range snap.Windows {
			out[w.Window] = w.State
		}
		return out
	}
	if s := states(); s[3] != "free" || s[4] != "free" {
		t.Fatalf("both synced: %v", s)
	}
	mu.Lock()
	clock = clock.Add(3 * time.Minute) // window 4's workstation stopped
	mu.Unlock()
	a.sync(t)
	if s := states(); s[3] != "free" || s[4] != "offline" {
		t.Fatalf("after 3 minutes with window 3 beating: %v", s)
	}

	live := NewLive(sup, LiveConfig{})
	if err := live.MoveTicket(ctx, "IRK", tk.ID, 99, ""); !errors.Is(err, client.ErrRejected) {
		t.Fatalf("a move to window 99: %v", err)
	}
	if err := live.SetPriority(ctx, "IRK", tk.ID, 1, "a visitor on crutches"); err != nil {
		t.Fatal(err)
	}
	b.sync(t)
	got, err := b.st.OfficeWaiting(ctx)
	if err != nil || len(got) != 1 || got[0].Rank != 1 {
		t.Fatalf("window 4's queue after the raise: %+v, %v", got, err)
	}
	if err := live.CloseWindow(ctx, "IRK", 4, "the clerk went home"); err != nil {
		t.Fatal(err)
	}
	if s := states(); s[4] != "closed" {
		t.Fatalf("window 4 after the close: %v", s)
	}
	a.sync(t)
	b.sync(t)
	if err := live.MoveTicket(ctx, "IRK", tk.ID, 4, ""); !errors.Is(err, client.ErrConflict) {
		t.Fatalf("a move to the closed window: %v", err)
	}
	// The audit of both windows holds with the supervisor's events in
	// their feeds: the projections fold again the same, the feed verifies.
	for _, st := range []*station{a, b} {
		rep, err := st.st.Refold(ctx, filepath.Join(st.dir, "refold.db"))
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Differences) > 0 || len(rep.OwnFailed) > 0 || rep.FeedSkipped > 0 {
			t.Fatalf("window %d refolds differently: %+v", st.st.Window(), rep)
		}
		keys, ok, err := st.st.OfficeKeys(ctx, "IRK")
		if err != nil || !ok {
			t.Fatalf("keys: %v %v", ok, err)
		}
		feed, err := st.st.VerifyFeed(ctx, map[string]api.OfficeKeys{"IRK": keys})
		if err != nil {
			t.Fatal(err)
		}
		if len(feed.Findings) > 0 || feed.Streams["IRK/0"] < 2 {
			t.Fatalf("window %d's feed: %+v", st.st.Window(), feed)
		}
	}
	if got, _ := b.st.Closed(ctx); !got {
		t.Error("window 4's workstation does not know it was closed (its next sign-in would not open it)")
	}
}
