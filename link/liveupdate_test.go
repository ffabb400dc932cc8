package link

import (
	"testing"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/client"
)

// TestPumpMerges: what comes while the reader is busy reaches it as one
// update, the latest values winning and a failure never overwritten. The
// input is unbuffered, so each send returns only once pump has taken it:
// the test knows pump holds every update before it reads.
func TestPumpMerges(t *testing.T) {
	t.Parallel()
	in, out := make(chan LiveUpdate), make(chan LiveUpdate)
	go pump(t.Context(), in, out)
	a, b := &api.QueueSnapshot{Office: "IRK"}, &api.QueueSnapshot{Office: "IRK"}
	day := &api.ReportDay{Date: "2025-03-12"}
	in <- LiveUpdate{Stream: StreamUp, Snapshot: a}
	in <- LiveUpdate{Stream: StreamLost, Err: client.ErrOffline}
	in <- LiveUpdate{Snapshot: b, Day: day}
	u := <-out
	if u.Snapshot != b || u.Day != day || u.Stream != StreamLost {
		t.Fatalf("merged: %+v", u)
	}
	in <- LiveUpdate{Stream: StreamFailed, Err: client.ErrUnauthorized}
	in <- LiveUpdate{Stream: StreamUp}
	if u := <-out; u.Stream != StreamFailed {
		t.Fatalf("a failure was overwritten: %+v", u)
	}
	close(in)
	if _, ok := <-out; ok {
		t.Fatal("out not closed")
	}
}
