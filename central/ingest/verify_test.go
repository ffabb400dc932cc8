package ingest

import (
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/okno-mfc/okno/domain"
)

// TestCheckersLeaveTheWriterACore: however many batches are checked at
// once, their checks run on at most the checkers' slots, one core fewer
// than the process has (at least one), so the writer always has a core.
// The same batches with more slots do run more checks at once, so the
// count below can see a limit that does not hold.
func TestCheckersLeaveTheWriterACore(t *testing.T) {
	pub := fuzzKey.Public().(ed25519.PublicKey)
	now := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	var running, most atomic.Int32
	rules := func(*domain.Event) error {
		n := running.Add(1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		time.Sleep(100 * time.Microsecond)
		running.Add(-1)
		return nil
	}
	batch := func() []check {
		var checks []check
		prev := ""
		for seq := range 100 {
			e := domain.Event{ID: fmt.Sprintf("01900000-0000-7000-8000-%012d", seq+1), Office: "IRK", Window: 3, Seq: int64(seq + 1),
				At: now.Add(-time.Minute), Kind: domain.EvTicketIssued, TicketID: "01900000-0000-7000-8000-000000000002",
				Payload: json.RawMessage(`{"number":"A-301","service":"advertising_permit"}`)}
			e.Seal(prev)
			domain.SignEvent(&e, fuzzKey)
			prev = e.Hash
			checks = append(checks, check{it: &item{}, pub: pub, now: now, rules: rules})
			checks[len(checks)-1].it.Event = &e
		}
		return checks
	}
	run := func(checkers chan struct{}) int32 {
		most.Store(0)
		batches := make([][]check, 8)
		for i := range batches {
			batches[i] = batch()
		}
		var wg sync.WaitGroup
		for _, b := range batches {
			wg.Add(1)
			go func() {
				defer wg.Done()
				verifyAll(checkers, b)
			}()
		}
		wg.Wait()
		for _, b := range batches {
			for _, c := range b {
				if c.it.Quarantine != nil || c.it.Reject != "" || c.it.Payload == nil {
					t.Fatalf("a good event was not let through: %+v %q", c.it.Quarantine, c.it.Reject)
				}
			}
		}
		return most.Load()
	}
	checkers := newCheckers()
	if want := max(1, runtime.GOMAXPROCS(0)-1); cap(checkers) != want {
		t.Fatalf("%d checkers' slots with GOMAXPROCS %d; want %d", cap(checkers), runtime.GOMAXPROCS(0), want)
	}
	if n := run(checkers); n > int32(cap(checkers)) {
		t.Errorf("%d checks ran at once; the checkers have %d slots", n, cap(checkers))
	}
	if n := run(make(chan struct{}, 8)); n < 2 {
		t.Errorf("with 8 slots at most %d check ran at once: the count cannot see a broken limit", n)
	}
}
