package httpapi_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/client"
	"github.com/okno-mfc/okno/domain"
)

// TestSupervisorHands: a supervisor moves a waiting ticket to a window and
// back, raises and lowers its priority, and closes a window whose clerk
// has gone; each is one of the central's events in the office's feed, and
// the queue follows. Refusals say what to do.
func TestSupervisorHands(t *testing.T) {
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		srv := centraltest.Start(t, opt)
		ctx := context.Background()
		w1 := srv.Enrol(t, "IRK", 1)
		w2 := srv.Enrol(t, "IRK", 2)
		ch := centraltest.NewChain("IRK", 1)
		e1, t1 := ch.Issue("advertising_permit", "")
		e2, t2 := ch.Issue("advertising_permit", "")
		e3, t3 := ch.Issue("advertising_permit", "")
		for _, r := range push(t, srv, w1.Token, e1, e2, e3) {
			if r.Status != api.IngestAccepted {
				t.Fatalf("%+v", r)
			}
		}
		supToken := srv.Session(t, "sup", domain.RoleSupervisor, "IRK", 0)
		sup := srv.Client(t, supToken)
		waiting := func() []api.QueueTicket {
			t.Helper()
			snap, err := sup.Queue(ctx, "IRK")
			if err != nil {
				t.Fatal(err)
			}
			return snap.Waiting
		}

		// Move t1 to window 2: window 1's call-next skips it.
		if _, err := sup.MoveTicket(ctx, "IRK", t1, api.MoveTicketRequest{Window: 2, Reason: "the archive's clerk"}); err != nil {
			t.Fatal(err)
		}
		if w := waiting(); w[0].ID != t1 || w[0].Window != 2 {
			t.Fatalf("after the move: %+v", w)
		}
		// A window that does not exist, a closed one: refused, nothing moves.
		st, b, _ := call(t, srv, http.MethodPost, "/v1/offices/IRK/tickets/"+t2+"/move", supToken, []byte(`{"window": 99}`))
		if st != http.StatusUnprocessableEntity || !strings.Contains(string(b), "no window 99") || !strings.Contains(string(b), "1, 2") {
			t.Fatalf("window 99: %d %s", st, b)
		}
		if st, b, _ := call(t, srv, http.MethodPost, "/v1/offices/IRK/tickets/nope/move", supToken, []byte(`{"window": 0}`)); st != http.StatusNotFound {
			t.Fatalf("unknown ticket: %d %s", st, b)
		}

		// Raise t3 (the last ordinary one) to the front; without a reason: 422.
		if st, b, _ := call(t, srv, http.MethodPost, "/v1/offices/IRK/tickets/"+t3+"/priority", supToken, []byte(`{"rank": 1}`)); st != http.StatusUnprocessableEntity {
			t.Fatalf("no reason: %d %s", st, b)
		}
		if _, err := sup.SetPriority(ctx, "IRK", t3, api.PriorityRequest{Rank: 1, Reason: "a visitor on crutches"}); err != nil {
			t.Fatal(err)
		}
		c1 := srv.Client(t, w1.Token)
		r, err := c1.CallNext(ctx, "IRK", api.CallNextRequest{Window: 1})
		if err != nil || r.Ticket.ID != t3 {
			t.Fatalf("window 1 calls %+v, %v; want the raised ticket", r.Ticket, err)
		}
		// Window 1 gets t2 next (t1 waits for window 2), then nobody.
		if r, err = c1.CallNext(ctx, "IRK", api.CallNextRequest{Window: 1}); err != nil || r.Ticket.ID != t2 {
			t.Fatalf("window 1 calls %+v, %v; want t2", r.Ticket, err)
		}
		if _, err = c1.CallNext(ctx, "IRK", api.CallNextRequest{Window: 1}); !errors.Is(err, domain.ErrQueueEmpty) {
			t.Fatalf("window 1 calls again: %v; want empty (t1 is window 2's)", err)
		}

		// Window 2's clerk is gone: close it; t1 goes back to the shared queue.
		resp, err := sup.CloseWindow(ctx, "IRK", 2, api.CloseWindowRequest{Reason: "the clerk went home ill"})
		if err != nil {
			t.Fatal(err)
		}
		if len(resp.Moved) != 1 || resp.Moved[0].TicketID != t1 || resp.Event.Kind != domain.EvWindowForceClosed {
			t.Fatalf("close: %+v", resp)
		}
		snap, _ := sup.Queue(ctx, "IRK")
		if len(snap.Waiting) != 1 || snap.Waiting[0].Window != 0 {
			t.Fatalf("after the close: %+v", snap.Waiting)
		}
		for _, w := range snap.Windows {
			if w.Window == 2 && w.State != "closed" {
				t.Fatalf("window 2 is %q, want closed", w.State)
			}
		}
		if _, err := sup.MoveTicket(ctx, "IRK", t1, api.MoveTicketRequest{Window: 2}); !errors.Is(err, client.ErrConflict) {
			t.Fatalf("a move to a closed window: %v, want 409", err)
		}
		// Moving it back to the queue where it is: 409.
		if _, err := sup.MoveTicket(ctx, "IRK", t1, api.MoveTicketRequest{Window: 0}); !errors.Is(err, client.ErrConflict) {
			t.Fatalf("a move to where it is: %v, want 409", err)
		}

		// Every action is the central's event in the feed, by the supervisor.
		page, err := srv.Client(t, w1.Token).Feed(ctx, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, e := range page.Events {
			if e.Window == 0 {
				if e.Actor != "sup" {
					t.Errorf("%s by %q, want sup", e.Kind, e.Actor)
				}
				kinds = append(kinds, string(e.Kind))
			}
		}
		want := "ticket.redirected ticket.priority_changed ticket.redirected window.force_closed"
		if got := strings.Join(kinds, " "); got != want {
			t.Fatalf("central events %q, want %q", got, want)
		}

		// Window 2's clerk comes back: a ticket issued there leaves it
		// closed, the sign-in (window.resumed) opens it.
		ch2 := centraltest.NewChain("IRK", 2)
		e4, _ := ch2.Issue("advertising_permit", "")
		back := ch2.Next(domain.EvWindowResumed, domain.WindowPayload{})
		state2 := func() string {
			snap, _ := sup.Queue(ctx, "IRK")
			for _, w := range snap.Windows {
				if w.Window == 2 {
					return w.State
				}
			}
			return ""
		}
		push(t, srv, w2.Token, e4)
		if s := state2(); s != "closed" {
			t.Fatalf("window 2 after a ticket issued there: %q, want closed", s)
		}
		push(t, srv, w2.Token, back)
		if s := state2(); s != "free" {
			t.Fatalf("window 2 after a sign-in: %q, want free", s)
		}
		// A window may not record a supervisor's kinds itself.
		bad := ch2.Next(domain.EvWindowForceClosed, domain.WindowClosedPayload{Window: 1, Reason: "x"})
		if r := push(t, srv, w2.Token, bad); r[0].Status != api.IngestRejected {
			t.Fatalf("a window's window.force_closed: %+v", r[0])
		}
		// Another office's supervisor: 403.
		other := srv.Client(t, srv.Session(t, "sup-msk", domain.RoleSupervisor, "MSK", 0))
		if _, err := other.SetPriority(ctx, "IRK", t1, api.PriorityRequest{Rank: 1, Reason: "x"}); !errors.Is(err, client.ErrForbidden) {
			t.Fatalf("another office's supervisor: %v", err)
		}
	})
}

// TestHeartbeatOffline: a window unheard for two minutes is offline (not
// free, whatever it did last); its heartbeat brings it back.
func TestHeartbeatOffline(t *testing.T) {
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		var mu sync.Mutex
		clock := time.Now()
		now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
		advance := func(d time.Duration) { mu.Lock(); clock = clock.Add(d); mu.Unlock() }
		srv := centraltest.Start(t, opt, centraltest.Clock(now))
		ctx := context.Background()
		w1 := srv.Enrol(t, "IRK", 1)
		w2 := srv.Enrol(t, "IRK", 2)
		c1, c2 := srv.Client(t, w1.Token), srv.Client(t, w2.Token)
		for _, c := range []*client.Client{c1, c2} {
			if err := c.Heartbeat(ctx, "IRK", map[*client.Client]int{c1: 1, c2: 2}[c]); err != nil {
				t.Fatal(err)
			}
		}
		sup := srv.Client(t, srv.Session(t, "sup", domain.RoleSupervisor, "IRK", 0))
		states := func() string {
			t.Helper()
			snap, err := sup.Queue(ctx, "IRK")
			if err != nil {
				t.Fatal(err)
			}
			var s []string
			for _, w := range snap.Windows {
				s = append(s, w.State)
			}
			return strings.Join(s, " ")
		}
		if got := states(); got != "free free" {
			t.Fatalf("both heard: %q", got)
		}
		// Window 1 beats every 30 s, window 2 has gone.
		for range 5 {
			advance(30 * time.Second)
			if err := c1.Heartbeat(ctx, "IRK", 1); err != nil {
				t.Fatal(err)
			}
		}
		if got := states(); got != "free offline" {
			t.Fatalf("after 2.5 minutes: %q, want window 2 offline", got)
		}
		if err := c2.Heartbeat(ctx, "IRK", 2); err != nil {
			t.Fatal(err)
		}
		if got := states(); got != "free free" {
			t.Fatalf("window 2 heard again: %q", got)
		}
		// A workstation beats for its own window only.
		if err := c1.Heartbeat(ctx, "IRK", 2); !errors.Is(err, client.ErrForbidden) {
			t.Fatalf("window 1 beating for window 2: %v", err)
		}
	})
}
