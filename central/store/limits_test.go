package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/central/store"
)

// TestLimitsInTheDatabase: a token bucket and the sign-in failures held
// in the database behave like the in-memory ones, and two stores on one
// database (two replicas) count together.
func TestLimitsInTheDatabase(t *testing.T) {
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		var mu sync.Mutex
		clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
		move := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
		srv := centraltest.Start(t, opt, centraltest.Clock(clock))
		ctx := context.Background()
		other, err := store.Open(ctx, srv.DSN, store.Options{Now: clock, Argon2: centraltest.TestArgon2})
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		replicas := []*store.Store{srv.Store, other}

		// A bucket of 3 a second, burst 3: three takes through either
		// replica, then a wait of a third of a second.
		for i := range 3 {
			if ok, _, err := replicas[i%2].TakeToken(ctx, "s:1", 3, 3); err != nil || !ok {
				t.Fatalf("take %d: %v %v", i, ok, err)
			}
		}
		ok, wait, err := replicas[1].TakeToken(ctx, "s:1", 3, 3)
		if err != nil || ok || wait < 300*time.Millisecond || wait > 340*time.Millisecond {
			t.Fatalf("fourth take: %v %v %v, want a wait of ⅓ s", ok, wait, err)
		}
		move(time.Second/3 + time.Millisecond)
		if ok, _, err := replicas[0].TakeToken(ctx, "s:1", 3, 3); err != nil || !ok {
			t.Fatalf("after the wait: %v %v", ok, err)
		}
		if err := replicas[0].RefundToken(ctx, "s:1", 3); err != nil {
			t.Fatal(err)
		}
		if ok, _, _ := replicas[1].TakeToken(ctx, "s:1", 3, 3); !ok {
			t.Fatal("the refunded token is not there")
		}
		if ok, _, _ := replicas[1].TakeToken(ctx, "s:2", 3, 3); !ok {
			t.Fatal("another key is held back")
		}

		// Sign-in failures: 4 free, then 1 s, 2 s …, through either replica.
		p := store.FailurePolicy{Free: 4, Base: time.Second, Ceil: time.Minute, Forget: time.Hour}
		for i := range 4 {
			if ok, _, err := replicas[i%2].TryFailure(ctx, "anna\x00203.0.113.5", p); err != nil || !ok {
				t.Fatalf("try %d: %v %v", i, ok, err)
			}
		}
		ok, wait, err = replicas[1].TryFailure(ctx, "anna\x00203.0.113.5", p)
		if err != nil || ok || wait != time.Second {
			t.Fatalf("fifth try: %v %v %v, want a wait of 1 s", ok, wait, err)
		}
		if ok, _, _ := replicas[0].TryFailure(ctx, "anna\x00198.51.100.7", p); !ok {
			t.Fatal("the same login from another address is held back")
		}
		move(time.Second)
		if ok, _, _ := replicas[0].TryFailure(ctx, "anna\x00203.0.113.5", p); !ok {
			t.Fatal("not let through after the wait")
		}
		if ok, wait, _ := replicas[1].TryFailure(ctx, "anna\x00203.0.113.5", p); ok || wait != 2*time.Second {
			t.Fatalf("the wait did not double: %v %v", ok, wait)
		}
		if err := replicas[1].UndoFailure(ctx, "anna\x00203.0.113.5"); err != nil {
			t.Fatal(err)
		}
		if err := replicas[0].ForgetFailures(ctx, "anna\x00203.0.113.5"); err != nil {
			t.Fatal(err)
		}
		if ok, _, _ := replicas[1].TryFailure(ctx, "anna\x00203.0.113.5", p); !ok {
			t.Fatal("a success did not forget the failures")
		}
		move(2 * time.Hour)
		if err := replicas[0].PruneLimits(ctx, time.Hour); err != nil {
			t.Fatal(err)
		}
		if n := srv.Count(t, "SELECT COUNT(*) FROM rate_buckets") + srv.Count(t, "SELECT COUNT(*) FROM signin_failures"); n != 0 {
			t.Fatalf("%d rows left after pruning", n)
		}
	})
}
