package httpapi_test

import (
	"bufio"
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/domain"
)

func TestQueueSnapshotAndCallNext(t *testing.T) {
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		srv := centraltest.Start(t, opt)
		ctx := context.Background()
		kiosk := srv.Enrol(t, "IRK", 1)
		ch := centraltest.NewChain("IRK", 1)
		plain1, t1 := ch.Issue("advertising_permit", "")
		plain2, t2 := ch.Issue("advertising_permit", "")
		vet, tv := ch.Issue("advertising_permit", "wwii_veteran")
		bio, tb := ch.Issue("foreign_passport", "") // needs a biometric station
		_ = tb
		for _, r := range push(t, srv, kiosk.Token, plain1, plain2, vet, bio) {
			if r.Status != api.IngestAccepted {
				t.Fatalf("%+v", r)
			}
		}
		sup := srv.Client(t, srv.Session(t, "sup", domain.RoleSupervisor, "IRK", 0))
		snap, err := sup.Queue(ctx, "IRK")
		if err != nil {
			t.Fatal(err)
		}
		if len(snap.Waiting) != 4 || snap.Waiting[0].ID != tv || snap.Today.Visitors != 4 {
			t.Fatalf("snapshot: %+v", snap)
		}

		// Window 2 has no biometric station: it gets the veteran, then the
		// ordinary tickets in order, never the foreign passport.
		w2 := srv.Enrol(t, "IRK", 2)
		c2 := srv.Client(t, w2.Token)
		var got []string
		for {
			r, err := c2.CallNext(ctx, "IRK", api.CallNextRequest{Window: 2})
			if errors.Is(err, domain.ErrQueueEmpty) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.Ticket.State != "called" || r.Ticket.Window != 2 {
				t.Fatalf("called: %+v", r.Ticket)
			}
			got = append(got, r.Ticket.ID)
		}
		if !equal(got, []string{tv, t1, t2}) {
			t.Fatalf("call order %v, want %v", got, []string{tv, t1, t2})
		}
		snap, _ = sup.Queue(ctx, "IRK")
		if len(snap.Waiting) != 1 || len(snap.Windows) == 0 {
			t.Fatalf("after the calls: %+v", snap)
		}
	})
}

// TestCallNextNoTwice: windows calling at once never get the same visitor.
func TestCallNextNoTwice(t *testing.T) {
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		srv := centraltest.Start(t, opt)
		ctx := context.Background()
		kiosk := srv.Enrol(t, "IRK", 1)
		ch := centraltest.NewChain("IRK", 1)
		var evs []domain.Event
		for range 30 {
			e, _ := ch.Issue("advertising_permit", "")
			evs = append(evs, e)
		}
		push(t, srv, kiosk.Token, evs...)
		var mu sync.Mutex
		seen := map[string]int{}
		var wg sync.WaitGroup
		for w := 2; w <= 7; w++ {
			c := srv.Client(t, srv.Enrol(t, "IRK", w).Token)
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					r, err := c.CallNext(ctx, "IRK", api.CallNextRequest{})
					if errors.Is(err, domain.ErrQueueEmpty) {
						return
					}
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					seen[r.Ticket.ID]++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if len(seen) != 30 {
			t.Fatalf("%d tickets called, want 30", len(seen))
		}
		for id, n := range seen {
			if n != 1 {
				t.Errorf("ticket %s called %d times", id, n)
			}
		}
	})
}

// TestQueueStream: a snapshot at once, and another after a change.
func TestQueueStream(t *testing.T) {
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		srv := centraltest.Start(t, opt)
		ws := srv.Enrol(t, "IRK", 1)
		sup := srv.Client(t, srv.Session(t, "sup", domain.RoleSupervisor, "IRK", 0))
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		snaps := make(chan api.QueueSnapshot, 10)
		done := make(chan error, 1)
		go func() {
			done <- sup.QueueStream(ctx, "IRK", func(s api.QueueSnapshot) error {
				snaps <- s
				return nil
			})
		}()
		first := <-snaps
		if first.Office != "IRK" || len(first.Waiting) != 0 {
			t.Fatalf("first snapshot: %+v", first)
		}
		ch := centraltest.NewChain("IRK", 1)
		e, tid := ch.Issue("advertising_permit", "")
		push(t, srv, ws.Token, e)
		select {
		case s := <-snaps:
			if len(s.Waiting) != 1 || s.Waiting[0].ID != tid {
				t.Fatalf("after the issue: %+v", s)
			}
		case <-ctx.Done():
			t.Fatal("no snapshot after a change")
		}
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) {
			t.Fatalf("stream ended with %v", err)
		}
	})
}

// TestTicketMoves: a window's moves show in the snapshot's windows and
// figures; a move older than the last one applied changes nothing.
func TestTicketMoves(t *testing.T) {
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		srv := centraltest.Start(t, opt)
		ws := srv.Enrol(t, "IRK", 4)
		ch := centraltest.NewChain("IRK", 4)
		iss1, t1 := ch.Issue("advertising_permit", "")
		iss2, t2 := ch.Issue("advertising_permit", "")
		call1 := ch.Move(domain.EvTicketCalled, t1)
		recall1 := ch.Move(domain.EvTicketRecalled, t1)
		served1 := ch.Move(domain.EvTicketServed, t1)
		call2 := ch.Move(domain.EvTicketCalled, t2)
		// A late event with an older time: ignored by the projection.
		stale := ch.Next(domain.EvTicketReturned, domain.TicketMovePayload{Window: 4}, centraltest.TicketOf(t2), func(e *domain.Event) { e.At = iss2.At })
		for _, r := range push(t, srv, ws.Token, iss1, iss2, call1, recall1, served1, call2, stale) {
			if r.Status != api.IngestAccepted {
				t.Fatalf("%+v", r)
			}
		}
		snap, err := srv.Client(t, ws.Token).Queue(context.Background(), "IRK")
		if err != nil {
			t.Fatal(err)
		}
		if len(snap.Windows) != 1 || snap.Windows[0].State != "serving" || snap.Windows[0].Ticket != "A-4002" || snap.Windows[0].ServedToday != 1 {
			t.Fatalf("windows: %+v", snap.Windows)
		}
		if len(snap.Waiting) != 0 || snap.Today.Served != 1 || snap.Today.AvgWaitSec != 3 || snap.Today.AvgServiceSec != 2 {
			t.Fatalf("figures: %+v, waiting %d", snap.Today, len(snap.Waiting))
		}
	})
}

// TestWindowClosedBySignOut: a window whose operator signed out shows
// closed (not offline, not on a break) until a sign-in opens it.
func TestWindowClosedBySignOut(t *testing.T) {
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		srv := centraltest.Start(t, opt)
		ws := srv.Enrol(t, "IRK", 4)
		ch := centraltest.NewChain("IRK", 4)
		brk := ch.Next(domain.EvWindowBreak, domain.WindowPayload{})
		closed := ch.Next(domain.EvWindowClosed, domain.WindowPayload{})
		state := func(want string) {
			t.Helper()
			snap, err := srv.Client(t, ws.Token).Queue(context.Background(), "IRK")
			if err != nil {
				t.Fatal(err)
			}
			if len(snap.Windows) != 1 || snap.Windows[0].State != want {
				t.Fatalf("windows: %+v, want %s", snap.Windows, want)
			}
		}
		for _, r := range push(t, srv, ws.Token, brk, closed) {
			if r.Status != api.IngestAccepted {
				t.Fatalf("%+v", r)
			}
		}
		state("closed")
		opened := ch.Next(domain.EvWindowResumed, domain.WindowPayload{})
		for _, r := range push(t, srv, ws.Token, opened) {
			if r.Status != api.IngestAccepted {
				t.Fatalf("%+v", r)
			}
		}
		state("free")
	})
}

// TestQueueStreamDeltas: with ?deltas=1 the stream sends "delta" events
// after its first snapshot, and the client, applying them, shows the
// same queue as GET /queue after tickets are issued, called, served and a
// privileged one jumps the queue.
func TestQueueStreamDeltas(t *testing.T) {
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		srv := centraltest.Start(t, opt)
		ws := srv.Enrol(t, "IRK", 1)
		supToken := srv.Session(t, "sup", domain.RoleSupervisor, "IRK", 0)
		sup := srv.Client(t, supToken)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()

		// The raw stream: which events come.
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/v1/offices/IRK/queue/stream?deltas=1", nil)
		req.Header.Set("Authorization", "Bearer "+supToken)
		resp, err := http.DefaultClient.Do(req) //nolint:bodyclose // closed by the defer below
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		kinds := make(chan string, 100)
		go func() {
			sc := bufio.NewScanner(resp.Body)
			sc.Buffer(nil, 1<<20)
			for sc.Scan() {
				if k, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
					kinds <- k
				}
			}
			close(kinds)
		}()
		// The client's view.
		var mu sync.Mutex
		var last api.QueueSnapshot
		go sup.QueueStream(ctx, "IRK", func(s api.QueueSnapshot) error {
			mu.Lock()
			last = s
			mu.Unlock()
			return nil
		})
		if k := <-kinds; k != "snapshot" {
			t.Fatalf("the first event is %q, want a snapshot", k)
		}

		// One change at a time, each past the stream's coalescing (200 ms),
		// so each makes an event of its own.
		ch := centraltest.NewChain("IRK", 1)
		step := func(e domain.Event) {
			push(t, srv, ws.Token, e)
			time.Sleep(250 * time.Millisecond)
		}
		var ids []string
		for range 4 {
			e, id := ch.Issue("advertising_permit", "")
			ids = append(ids, id)
			step(e)
		}
		step(ch.Move(domain.EvTicketCalled, ids[0]))
		step(ch.Move(domain.EvTicketServed, ids[0]))
		vet, _ := ch.Issue("advertising_permit", "wwii_veteran") // ahead of the others
		step(vet)
		step(ch.Move(domain.EvTicketCalled, ids[1]))

		sawDelta := false
		for !sawDelta {
			select {
			case k, ok := <-kinds:
				if !ok {
					t.Fatal("the stream ended")
				}
				sawDelta = k == "delta"
			case <-ctx.Done():
				t.Fatal("no delta event after changes")
			}
		}
		for {
			want, err := sup.Queue(ctx, "IRK")
			if err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			got := last
			mu.Unlock()
			if reflect.DeepEqual(got.Waiting, want.Waiting) && reflect.DeepEqual(got.Windows, want.Windows) && len(want.Waiting) == 3 {
				break
			}
			if ctx.Err() != nil {
				t.Fatalf("the stream's queue\n%+v\ndoes not come to GET /queue's\n%+v", got, want)
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
}
