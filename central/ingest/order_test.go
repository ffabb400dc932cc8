package ingest

import (
	"context"
	"testing"
	"time"
)

// TestTurnsInOrder: a window's batch waits for the batches of its window
// that arrived before it, not for other windows'.
func TestTurnsInOrder(t *testing.T) {
	in := &Ingester{}
	first := in.Arrive("IRK", 3)
	other := in.Arrive("IRK", 4)
	second := in.Arrive("IRK", 3)
	if err := other.wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	waited := make(chan error, 1)
	go func() { waited <- second.wait(context.Background()) }()
	select {
	case err := <-waited:
		t.Fatalf("the second batch went on before the first handed its own: %v", err)
	case <-time.After(100 * time.Millisecond):
	}
	first.End()
	if err := <-waited; err != nil {
		t.Fatal(err)
	}
	second.End()
	other.End()
	if n := len(in.order.lanes); n != 0 {
		t.Errorf("%d lanes left after every turn ended", n)
	}
}

// TestStalledTurnLosesItsPlace: a batch whose body never comes (a dead
// connection) holds its turn only for the patience; then it loses its
// place, and the window's later batches do not wait for it at all.
func TestStalledTurnLosesItsPlace(t *testing.T) {
	in := &Ingester{}
	in.order.patience = 50 * time.Millisecond
	stalled := in.Arrive("IRK", 3)
	resent := in.Arrive("IRK", 3)
	start := time.Now()
	if err := resent.wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 50*time.Millisecond {
		t.Fatalf("the batch went on after %v, before the patience", d)
	}
	resent.End()
	next := in.Arrive("IRK", 3)
	if len(next.earlier) != 0 {
		t.Fatalf("the next batch waits for %d earlier ones; the stalled one should have lost its place", len(next.earlier))
	}
	done := make(chan error, 1)
	go func() { done <- next.wait(context.Background()) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(time.Second):
		t.Fatal("the next batch waits")
	}
	next.End()
	stalled.End() // ending again is harmless
	if n := len(in.order.lanes); n != 0 {
		t.Errorf("%d lanes left after every turn ended", n)
	}
}

// TestTurnWaitEndsWithContext: a request that ends while waiting returns.
func TestTurnWaitEndsWithContext(t *testing.T) {
	in := &Ingester{}
	first := in.Arrive("IRK", 3)
	defer first.End()
	second := in.Arrive("IRK", 3)
	defer second.End()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := second.wait(ctx); err == nil {
		t.Fatal("wait returned no error for an ended request")
	}
}
