package ingest

import (
	"context"
	"hash/maphash"
	"log/slog"
	"sync"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/store"
)

// writer writes ingested events: a few writer goroutines (shards), each
// batch handed to the shard of its office, so one office's batches are
// written in the order they came and different offices' in parallel (on
// PostgreSQL each transaction locks only its offices; SQLite has one
// writer connection, so one shard). Batches that arrive while a shard is
// busy are committed together in one transaction (group commit): one
// fsync for many requests. If a group's transaction fails, each batch of
// it is tried alone, so one batch cannot fail the others.
type writer struct {
	in       *Ingester
	shards   []chan *job
	seed     maphash.Seed
	maxGroup int // events per transaction, at most (a group is cut after the batch that passes it)

	mu     sync.RWMutex
	closed bool
	wg     sync.WaitGroup
}

type job struct {
	office string
	items  []*store.Item
	heads  []store.StreamID // the windows whose signed head the caller gets back
	err    error
	done   chan struct{}

	receipts []api.HeadReceipt
}

// postgresShards is how many transactions of different offices a process
// writes at once on PostgreSQL: enough to keep two cores and the database
// busy while some wait for their commit, well below the connection pool.
const postgresShards = 8

func newWriter(in *Ingester) *writer {
	n := 1
	if in.st.Kind() == "postgres" {
		n = postgresShards
	}
	w := &writer{in: in, seed: maphash.MakeSeed(), maxGroup: 5000}
	for range n {
		ch := make(chan *job, 256)
		w.shards = append(w.shards, ch)
		w.wg.Add(1)
		go w.run(ch)
	}
	return w
}

// submit hands items to the writer once the batches that arrived before
// them have handed theirs (turn; nil: none), and waits for their answers,
// and for the signed heads of the windows in heads after they were
// written. The turn ends as soon as the items are in the writer's queue:
// the window's next batch may follow them there.
func (w *writer) submit(ctx context.Context, items []*store.Item, heads []store.StreamID, turn *Turn) ([]api.HeadReceipt, error) {
	j := &job{office: items[0].Event.Office, items: items, heads: heads, done: make(chan struct{})}
	shard := w.shards[maphash.String(w.seed, j.office)%uint64(len(w.shards))]
	if err := turn.wait(ctx); err != nil {
		return nil, err
	}
	w.mu.RLock()
	if w.closed {
		w.mu.RUnlock()
		return nil, ErrClosed
	}
	select {
	case shard <- j:
	case <-ctx.Done():
		w.mu.RUnlock()
		return nil, ctx.Err()
	}
	w.mu.RUnlock()
	turn.End()
	<-j.done // the writer always answers; waiting past ctx keeps the answer from being lost half-way
	return j.receipts, j.err
}

// close stops taking batches, commits those already taken and returns when
// the writer has finished.
func (w *writer) close() {
	w.mu.Lock()
	if !w.closed {
		w.closed = true
		for _, ch := range w.shards {
			close(ch)
		}
	}
	w.mu.Unlock()
	w.wg.Wait()
}

func (w *writer) run(jobs chan *job) {
	defer w.wg.Done()
	for j := range jobs {
		group := []*job{j}
		n := len(j.items)
	more:
		for n < w.maxGroup {
			select {
			case j2, ok := <-jobs:
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
func (w *writer) commit(group []*job) {
	err := w.write(group)
	if err != nil && len(group) > 1 {
		w.in.log.Warn("ingest group failed; writing its batches one by one", "batches", len(group), "err", err)
		for _, j := range group {
			j.err = w.write([]*job{j})
			close(j.done)
		}
		return
	}
	for _, j := range group {
		j.err = err
		close(j.done)
	}
}

// write decides a group's items in one transaction; after the commit it
// signs the heads each job asked for, as the transaction left them.
func (w *writer) write(group []*job) error {
	var items []*store.Item
	for _, j := range group {
		items = append(items, j.items...)
	}
	var decided store.Decided
	heads := make([][]store.Head, len(group))
	var at time.Time
	err := w.in.st.WithTx(context.Background(), func(t *store.Tx) error {
		var err error
		if decided, err = t.Decide(items, w.in.catalog()); err != nil {
			return err
		}
		for i, j := range group {
			if heads[i], err = t.Heads(j.heads); err != nil {
				return err
			}
		}
		at = t.Time()
		return nil
	})
	if err != nil {
		w.in.log.Error("ingest transaction failed", slog.Any("err", err))
		return err
	}
	w.in.counted(decided)
	for i, j := range group {
		j.receipts = nil
		for _, h := range heads[i] {
			if r, ok := w.in.st.Receipt(h, at); ok {
				j.receipts = append(j.receipts, r)
			}
		}
	}
	return nil
}
