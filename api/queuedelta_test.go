package api

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"
)

// A delta applied to the snapshot it was made from gives the new
// snapshot exactly, over random changes of a queue; reordered lists are
// refused (the whole snapshot is sent then), and a delta applied to the
// wrong snapshot fails instead of making a wrong one.
func TestQueueDeltaRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	n := 0
	ticket := func() QueueTicket {
		n++
		return QueueTicket{ID: fmt.Sprintf("t%d", n), Number: fmt.Sprintf("A%03d", n), Service: "passport", State: "waiting", IssuedAt: at.Add(time.Duration(n) * time.Second)}
	}
	snap := QueueSnapshot{Office: "IRK", At: at}
	for w := 1; w <= 5; w++ {
		snap.Windows = append(snap.Windows, WindowState{Window: w * 2, State: "free"})
	}
	for range 20 {
		snap.Waiting = append(snap.Waiting, ticket())
	}
	deltas, refused := 0, 0
	for step := range 2000 {
		next := QueueSnapshot{Office: "IRK", At: snap.At.Add(time.Second), Today: DayFigures{Visitors: step}}
		for _, tk := range snap.Waiting {
			switch r.IntN(10) {
			case 0: // served: gone
			case 1:
				tk.State, tk.Window = "called", 1+r.IntN(9)
				next.Waiting = append(next.Waiting, tk)
			default:
				next.Waiting = append(next.Waiting, tk)
			}
		}
		for range r.IntN(4) { // new tickets, some privileged (ahead of others)
			tk := ticket()
			i := len(next.Waiting)
			if r.IntN(3) == 0 {
				tk.Rank, i = 1, r.IntN(i+1)
			}
			next.Waiting = append(next.Waiting[:i], append([]QueueTicket{tk}, next.Waiting[i:]...)...)
		}
		for _, w := range snap.Windows {
			if r.IntN(20) == 0 {
				continue // signed out and gone
			}
			if r.IntN(4) == 0 {
				w.State, w.ServedToday = "serving", w.ServedToday+1
			}
			next.Windows = append(next.Windows, w)
		}
		if r.IntN(10) == 0 { // a window comes (odd numbers fall between the even ones)
			w := WindowState{Window: 1 + 2*r.IntN(5), State: "free"}
			i := 0
			for i < len(next.Windows) && next.Windows[i].Window < w.Window {
				i++
			}
			if i == len(next.Windows) || next.Windows[i].Window != w.Window {
				next.Windows = append(next.Windows[:i], append([]WindowState{w}, next.Windows[i:]...)...)
			}
		}
		if r.IntN(50) == 0 && len(next.Waiting) > 2 { // reordered: no delta
			next.Waiting[0], next.Waiting[1] = next.Waiting[1], next.Waiting[0]
		}
		d, ok := DiffQueue(&snap, &next)
		if !ok {
			refused++
			snap = next
			continue
		}
		deltas++
		got, err := snap.Apply(d)
		if err != nil {
			t.Fatalf("step %d: %v", step, err)
		}
		if !reflect.DeepEqual(normal(got), normal(next)) {
			t.Fatalf("step %d: applied delta\n%+v\nwant\n%+v", step, got, next)
		}
		// The delta applied to another snapshot fails (or, where it
		// happens to fit, cannot be told from a valid one).
		if len(d.WaitingGone) > 0 {
			if _, err := next.Apply(d); err == nil {
				t.Fatalf("step %d: a delta applied twice did not fail", step)
			}
		}
		snap = next
	}
	if deltas < 1500 || refused == 0 {
		t.Fatalf("%d deltas, %d refused: the test does not exercise both", deltas, refused)
	}
}

// normal makes empty lists nil, so a comparison does not tell them apart.
func normal(s QueueSnapshot) QueueSnapshot {
	if len(s.Windows) == 0 {
		s.Windows = nil
	}
	if len(s.Waiting) == 0 {
		s.Waiting = nil
	}
	return s
}
