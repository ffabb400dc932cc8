package httpapi

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/client"
	"github.com/okno-mfc/okno/domain"
)

// TestSnapshotConvoy: streams queued for an office's snapshot while
// commits go on take the one computed after they asked, not one each.
// 100 streams each see a different generation (a commit between each)
// and wait on the entry's lock; let go, they cost one query, where
// comparing generations for equality cost one per stream (the convoy
// that held 200 supervisors' screens seconds behind on the cluster).
func TestSnapshotConvoy(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "central.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, err := New(ctx, Config{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const office, streams = "IRK", 100
	e := s.snaps.entry(office)
	e.mu.Lock() // a snapshot is being computed: the streams queue
	var asked atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, streams)
	for range streams {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.hub.publish(map[string]bool{office: true}) // a commit
			asked.Add(1)
			if _, _, err := s.snapshotShared(ctx, office); err != nil {
				errs <- err
			}
		}()
	}
	for asked.Load() < streams {
		runtime.Gosched()
	}
	e.mu.Unlock()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	// One, or a few where the machine is slow enough for a snapshot to
	// age past snapshotMaxAge.
	if e.queries > 3 {
		t.Fatalf("%d streams queued on a snapshot computed %d snapshots; want 1", streams, e.queries)
	}
	if e.gen != streams {
		t.Fatalf("the snapshot holds generation %d, want %d (every commit before it was asked for)", e.gen, streams)
	}
}

// TestStreamsShareTicks: the queue streams of an office wake at the same
// ticks, so while commits go on 20 supervisors' streams cost about one
// snapshot and one delta a tick, not one each; and every stream ends
// holding every ticket (a commit that lands after the tick's snapshot is
// sent at the next tick).
func TestStreamsShareTicks(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "central.db"), store.Options{Argon2: store.Argon2Params{MemoryKiB: 64, Time: 1, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s, err := New(ctx, Config{Store: st, StreamCoalesce: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	hs := httptest.NewServer(s)
	defer hs.Close()
	const office, streams, tickets = "IRK", 20, 30
	if err := st.AddUser(ctx, store.User{Login: "sup", Name: "sup", Role: domain.RoleSupervisor, Office: office}, "a long enough password"); err != nil {
		t.Fatal(err)
	}
	tok, _, err := st.CreateSession(ctx, domain.Operator{Login: "sup", Role: domain.RoleSupervisor, Office: office})
	if err != nil {
		t.Fatal(err)
	}
	sctx, stop := context.WithCancel(ctx)
	defer stop()
	waiting := make([]atomic.Int64, streams)
	var wg sync.WaitGroup
	for i := range streams {
		waiting[i].Store(-1)
		c, err := client.New(hs.URL, client.WithToken(tok))
		if err != nil {
			t.Fatal(err)
		}
		// Streams open at different moments, as supervisors do: each
		// would coalesce on its own clock.
		time.Sleep(7 * time.Millisecond)
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.QueueStream(sctx, office, func(snap api.QueueSnapshot) error {
				waiting[i].Store(int64(len(snap.Waiting)))
				return nil
			})
		}()
	}
	defer wg.Wait()
	defer stop()
	all := func(n int64) bool {
		for i := range waiting {
			if waiting[i].Load() != n {
				return false
			}
		}
		return true
	}
	for deadline := time.Now().Add(20 * time.Second); !all(0); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the streams had no first snapshot")
		}
	}
	e := s.snaps.entry(office)
	e.mu.Lock()
	q0 := e.queries
	e.mu.Unlock()
	start := time.Now()
	for range tickets {
		err := st.WithTx(ctx, func(tx *store.Tx) error {
			_, err := tx.IssueKioskTicket(office, s.catalog(), "advertising_permit", "", 0, time.Time{})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(30 * time.Millisecond)
	}
	for deadline := time.Now().Add(20 * time.Second); !all(tickets); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			var got []int64
			for i := range waiting {
				got = append(got, waiting[i].Load())
			}
			t.Fatalf("after %d tickets the streams hold %v waiting", tickets, got)
		}
	}
	ticks := int(time.Since(start)/(100*time.Millisecond)) + 1
	e.mu.Lock()
	queries := e.queries - q0
	e.mu.Unlock()
	e.dmu.Lock()
	deltas := e.deltaCount
	e.dmu.Unlock()
	t.Logf("%d streams, %d commits, %d ticks: %d snapshots, %d deltas computed", streams, tickets, ticks, queries, deltas)
	// On each stream's own clock they were one snapshot a commit (the
	// streams' wakes spread over the ticks) and more deltas still.
	if queries > ticks+3 || deltas > 2*queries+5 {
		t.Errorf("%d streams over %d commits (%d ticks) computed %d snapshots and %d deltas; want about one of each a tick", streams, tickets, ticks, queries, deltas)
	}
}
