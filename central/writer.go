package central

import (
	"context"
	"log/slog"
	"sync"

	"github.com/okno-mfc/okno/domain"
)

// jobHead is a window's head as a job's receipt reports it.
type jobHead struct {
	k    streamKey
	head streamHead
}

// heads reads, in t after its decisions, the head of each window each job
// asked for.
func (t *txn) heads(group []*ingestJob) ([][]jobHead, error) {
	out := make([][]jobHead, len(group))
	for i, j := range group {
		for _, k := range j.heads {
			h, err := t.stream(k.office, k.win)
			if err != nil {
				return nil, err
			}
			out[i] = append(out[i], jobHead{k: k, head: *h})
		}
	}
	return out, nil
}

// writer is the one goroutine that writes ingested events. Batches that
// arrive while it is busy are committed together in one transaction (group
// commit): one fsync for many requests, which is what lets a SQLite file
// take thousands of events a second. If a group's transaction fails, each
// batch of it is tried alone, so one batch cannot fail the others.
type writer struct {
	s        *Server
	jobs     chan *ingestJob
	maxGroup int // events per transaction, at most (a group is cut after the batch that passes it)

	mu     sync.RWMutex
	closed bool
	done   chan struct{}
}

type ingestJob struct {
	items []*ingestItem
	heads []streamKey // the windows whose signed head the caller gets back
	err   error
	done  chan struct{}

	receipts []domain.HeadReceipt
}

func newWriter(s *Server) *writer {
	w := &writer{s: s, jobs: make(chan *ingestJob, 256), maxGroup: 5000, done: make(chan struct{})}
	go w.run()
	return w
}

// submit hands items to the writer and waits for their answers, and for
// the signed heads of the windows in heads after they were written.
func (w *writer) submit(ctx context.Context, items []*ingestItem, heads []streamKey) ([]domain.HeadReceipt, error) {
	j := &ingestJob{items: items, heads: heads, done: make(chan struct{})}
	w.mu.RLock()
	if w.closed {
		w.mu.RUnlock()
		return nil, errUnavailable
	}
	select {
	case w.jobs <- j:
	case <-ctx.Done():
		w.mu.RUnlock()
		return nil, ctx.Err()
	}
	w.mu.RUnlock()
	<-j.done // the writer always answers; waiting past ctx keeps the answer from being lost half-way
	return j.receipts, j.err
}

// close stops taking batches, commits those already taken and returns when
// the writer has finished.
func (w *writer) close() {
	w.mu.Lock()
	if !w.closed {
		w.closed = true
		close(w.jobs)
	}
	w.mu.Unlock()
	<-w.done
}

func (w *writer) run() {
	defer close(w.done)
	for j := range w.jobs {
		group := []*ingestJob{j}
		n := len(j.items)
	more:
		for n < w.maxGroup {
			select {
			case j2, ok := <-w.jobs:
				if !ok {
					break more
				}
				group = append(group, j2)
				n += len(j2.items)
			default:
				break more
			}
		}
		w.commit(group)
	}
}

// commit writes a group, or each of its batches alone if the group fails.
func (w *writer) commit(group []*ingestJob) {
	err := w.write(group)
	if err != nil && len(group) > 1 {
		w.s.log.Warn("ingest group failed; writing its batches one by one", "batches", len(group), "err", err)
		for _, j := range group {
			j.err = w.write([]*ingestJob{j})
			close(j.done)
		}
		return
	}
	for _, j := range group {
		j.err = err
		close(j.done)
	}
}

func (w *writer) write(group []*ingestJob) error {
	ctx := context.Background()
	t, err := w.s.store.begin(ctx)
	if err != nil {
		return err
	}
	t.cat = w.s.catalog()
	var items []*ingestItem
	for _, j := range group {
		items = append(items, j.items...)
	}
	if err := t.decide(items); err != nil {
		t.rollback()
		return err
	}
	heads, err := t.heads(group)
	if err != nil {
		t.rollback()
		return err
	}
	if err := t.commit(); err != nil {
		w.s.log.Error("ingest commit failed", slog.Any("err", err))
		return err
	}
	for status, n := range t.counts {
		w.s.metrics.ingested(status, n)
	}
	w.s.metrics.quarantined(t.quarantined)
	for i, j := range group {
		j.receipts = nil
		for _, h := range heads[i] {
			if r, ok := w.s.store.receipt(h.k, &h.head, t.now); ok {
				j.receipts = append(j.receipts, r)
			}
		}
	}
	w.s.changed(t.changed)
	return nil
}
