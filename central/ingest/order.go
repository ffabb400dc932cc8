package ingest

import (
	"context"
	"sync"
	"time"

	"github.com/okno-mfc/okno/central/store"
)

// A window's batches reach the writer in the order they arrived (issue
// 17). A workstation keeps two batches on the wire (link.push): the
// second is sent once the first has its turn here (it is sent after the
// central asked for the first one's body, HTTP's 100 Continue, which it
// does only after the batch took its turn), so this process decodes and
// verifies the second while the first is written. Each batch takes a
// Turn when its request arrives, before its body is read, and hands its
// events to the writer only after every earlier batch of its window has
// handed its own or ended: the writer takes a window's batches in the
// order it sent them, and never answers "retry" for one that overtook an
// earlier one. (Two replicas behind a balancer cannot order each other's
// batches: there a batch that overtakes another is answered "retry", and
// the workstation sends it again.)
//
// The wait is bounded: a batch ready for the writer waits at most
// turnPatience for the earlier ones, then takes those still not handed on
// as stalled — a connection that died while its body was on the way
// holds its turn until the server's read timeout (minutes), and the
// window's next batches, the one sent again among them, must not wait
// for it — and ends their turns: the window's later batches do not wait
// for them either. A stalled batch that reaches the writer after all is
// answered as it would have been without turns (duplicate, or retry).

// turnPatience is how long a batch waits for its window's earlier ones.
const turnPatience = 10 * time.Second

// Turn is one batch's place among its window's batches in this process.
type Turn struct {
	o       *order
	k       store.StreamID
	earlier []*Turn       // the window's batches that arrived before it and had not handed theirs
	done    chan struct{} // closed once handed to the writer, or ended
	once    sync.Once
}

type order struct {
	mu       sync.Mutex
	lanes    map[store.StreamID][]*Turn // each window's turns not done, in arrival order
	patience time.Duration              // 0: turnPatience (tests shorten it)
}

// Arrive takes a turn for a batch of office's window: call it when the
// request arrives, before reading its body, and End the turn when the
// request ends (Ingest ends it as soon as the batch is with the writer).
func (in *Ingester) Arrive(office string, window int) *Turn {
	o := &in.order
	k := store.StreamID{Office: office, Window: window}
	t := &Turn{o: o, k: k, done: make(chan struct{})}
	o.mu.Lock()
	if o.lanes == nil {
		o.lanes = map[store.StreamID][]*Turn{}
	}
	t.earlier = append([]*Turn(nil), o.lanes[k]...)
	o.lanes[k] = append(o.lanes[k], t)
	o.mu.Unlock()
	return t
}

// wait returns once every earlier batch of the window has handed its
// events to the writer or ended, or ctx ended; after the patience it ends
// the earlier turns still waited for and returns.
func (t *Turn) wait(ctx context.Context) error {
	if t == nil || len(t.earlier) == 0 {
		return nil
	}
	patience := t.o.patience
	if patience <= 0 {
		patience = turnPatience
	}
	timer := time.NewTimer(patience)
	defer timer.Stop()
	for i, e := range t.earlier {
		select {
		case <-e.done:
		case <-ctx.Done():
			return ctx.Err()
		case <-timer.C:
			for _, stalled := range t.earlier[i:] {
				stalled.End()
			}
			return nil
		}
	}
	return nil
}

// End gives the turn up: the window's later batches no longer wait for
// this one. It may be called more than once.
func (t *Turn) End() {
	if t == nil {
		return
	}
	t.once.Do(func() {
		o := t.o
		o.mu.Lock()
		lane := o.lanes[t.k]
		for i, x := range lane {
			if x == t {
				lane = append(lane[:i:i], lane[i+1:]...)
				break
			}
		}
		if len(lane) == 0 {
			delete(o.lanes, t.k)
		} else {
			o.lanes[t.k] = lane
		}
		o.mu.Unlock()
		close(t.done)
	})
}
