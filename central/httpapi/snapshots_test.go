package httpapi

import (
	"context"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/okno-mfc/okno/central/store"
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
