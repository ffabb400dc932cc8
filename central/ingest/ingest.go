package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/domain"
)

// MaxBatch is the most events one POST /v1/events may carry.
const MaxBatch = 1000

// ErrClosed says the ingest is shutting down.
var ErrClosed = errors.New("the server is shutting down; send again in a moment")

// Config configures an Ingester. Only Store is required.
type Config struct {
	Store  *store.Store
	Logger *slog.Logger // default: discard

	// Catalog is the current catalogue, for the ranks of privileged
	// categories; nil or a nil answer: every ticket in the ordinary queue.
	Catalog func() *domain.Catalog

	// Verify, when set, checks each incoming event after its envelope and
	// payload are valid and before the store sees it; an error rejects the
	// event with the error's text as the reason. The signature and the
	// chain link are always checked (verify.go); this is for more rules.
	// Nil checks nothing more.
	Verify func(*domain.Event) error
}

// Ingester takes the events the windows push: it checks each event in the
// caller's goroutine and hands the rest to its one writer.
type Ingester struct {
	st      *store.Store
	log     *slog.Logger
	catalog func() *domain.Catalog
	verify  func(*domain.Event) error
	writer  *writer

	// checkers are the slots of the signature and content checks
	// (verifyAll): a batch's checks take one, or one per part, while
	// they run; one core is left to the writer (newCheckers).
	checkers chan struct{}

	order order // a window's batches, in the order they arrived (order.go)

	mu    sync.Mutex
	stats Stats
}

// Stats are the ingest's answers since start.
type Stats struct {
	Answered    map[api.IngestStatus]uint64 // by status
	Quarantined uint64                      // of the rejected: kept apart, out of the chains
}

// New starts an ingester and its writer; Close stops them.
func New(cfg Config) (*Ingester, error) {
	if cfg.Store == nil {
		return nil, errors.New("ingest: no store")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Catalog == nil {
		cfg.Catalog = func() *domain.Catalog { return nil }
	}
	in := &Ingester{st: cfg.Store, log: cfg.Logger, catalog: cfg.Catalog, verify: cfg.Verify,
		stats: Stats{Answered: map[api.IngestStatus]uint64{}}, checkers: newCheckers()}
	in.writer = newWriter(in)
	return in, nil
}

// Close stops taking batches, commits those already taken and returns when
// the writer has finished.
func (in *Ingester) Close() { in.writer.close() }

// Stats returns a copy of the counts of answers.
func (in *Ingester) Stats() Stats {
	in.mu.Lock()
	defer in.mu.Unlock()
	out := Stats{Answered: make(map[api.IngestStatus]uint64, len(in.stats.Answered)), Quarantined: in.stats.Quarantined}
	for k, v := range in.stats.Answered {
		out.Answered[k] = v
	}
	return out
}

func (in *Ingester) count(status api.IngestStatus, n int) {
	in.mu.Lock()
	in.stats.Answered[status] += uint64(n)
	in.mu.Unlock()
}

func (in *Ingester) counted(d store.Decided) {
	in.mu.Lock()
	for status, n := range d.Counts {
		in.stats.Answered[status] += uint64(n)
	}
	in.stats.Quarantined += uint64(d.Quarantined)
	in.mu.Unlock()
}

// An item is one event of a batch on its way through the ingest: checked
// in the request's goroutine (in parallel with other requests), then
// decided against the store by the writer.
type item struct {
	store.Item
	// done: answered without the store (the event cannot be recorded: no
	// usable id, or not the caller's to send).
	done bool
}

// precheck answers what can be answered from the event and the caller
// alone: an event without a usable envelope, or not the caller's to send,
// is refused and not recorded. A session pushes the events of its own
// office and window only (a workstation's window, or the one a person
// signed in at); the HTTP handler refuses a person not at a window.
func precheck(caller *store.Session, ev *domain.Event) *item {
	it := &item{Item: store.Item{Event: ev, By: caller.Login, Result: api.IngestResult{ID: ev.ID}}}
	refuse := func(format string, args ...any) *item {
		it.done = true
		it.Result.Status = api.IngestRejected
		it.Result.Reason = fmt.Sprintf(format, args...) + "; the event was not recorded"
		return it
	}
	switch {
	case !domain.IsUUID(ev.ID):
		return refuse("id %q: must be a UUID in lower-case canonical form", clip(ev.ID, 40))
	case !domain.ValidOffice(ev.Office):
		return refuse("office %q: must be 2–8 capital Latin letters or digits", clip(ev.Office, 16))
	case ev.Window == 0:
		return refuse("window 0 is the central's own stream; a workstation's window is 1–999")
	case ev.Window < 0 || ev.Window > 999:
		return refuse("window %d: must be 1–999", ev.Window)
	case ev.Seq < 1:
		return refuse("seq %d: must be 1 or more", ev.Seq)
	case !caller.SeesOffice(ev.Office):
		return refuse("the event is of office %s, but this session is of office %s", ev.Office, caller.Office)
	case ev.Window != caller.Window:
		return refuse("the event is of window %d, but this session is of window %d: a session pushes its own window's events only (another window's event replayed?)", ev.Window, caller.Window)
	}
	return it
}

// checkContent checks an event that verified under its window's key:
// every rule that holds whatever the store holds. A broken one rejects it,
// holding its place in the chain.
func checkContent(it *item, now time.Time, verify func(*domain.Event) error) {
	ev := it.Event
	p, err := ev.CheckHashedAt(now) // the hash was compared by verifyAll
	if err != nil {
		it.Reject = err.Error()
		return
	}
	switch ev.Kind {
	case domain.EvCatalogUpdated:
		it.Reject = "only the central publishes catalogue updates"
		return
	case domain.EvCaseStatusChanged:
		it.Reject = "a case's status is set by its department through the central (POST /v1/cases/{id}/status), not by a window"
		return
	case domain.EvDeadlineExtended:
		it.Reject = "a case's deadline is extended by its department through the central (POST /v1/cases/{id}/deadline), not by a window"
		return
	case domain.EvCaseReturned, domain.EvCollectExtended:
		it.Reject = "a result not collected in time is returned or kept longer by the office's supervisor through the central (POST /v1/offices/{office}/unclaimed/{id}/return or /extend), not by a window"
		return
	case domain.EvTicketPriority, domain.EvWindowForceClosed:
		it.Reject = "only a supervisor, through the central, changes a ticket's priority or closes a window"
		return
	default: // a window's own kinds: checked below
	}
	if verify != nil {
		if err := verify(ev); err != nil {
			it.Reject = err.Error()
			return
		}
	}
	it.Payload = p
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// Ingest answers a batch pushed by caller from addr: each event in the
// batch's order, and the signed heads of the caller's windows the batch
// reached. With a turn (Arrive; nil: none), the batch goes to the writer
// after the window's batches that arrived before it, and the turn ends
// once it is with the writer.
func (in *Ingester) Ingest(ctx context.Context, caller *store.Session, addr string, events []domain.Event, turn *Turn) ([]api.IngestResult, []api.HeadReceipt, error) {
	defer turn.End()
	items := make([]*item, len(events))
	var pending []*item
	for i := range events {
		items[i] = precheck(caller, &events[i])
		items[i].Addr = addr
		if !items[i].done {
			pending = append(pending, items[i])
		} else {
			in.count(items[i].Result.Status, 1)
		}
	}
	if err := in.checkSignatures(ctx, pending); err != nil {
		return nil, nil, err
	}
	var undecided []*store.Item
	var heads []store.StreamID
	for _, it := range pending {
		if it.done {
			in.count(it.Result.Status, 1)
			continue
		}
		undecided = append(undecided, &it.Item)
		if k := (store.StreamID{Office: it.Event.Office, Window: it.Event.Window}); it.Event.Window == caller.Window && !slices.Contains(heads, k) {
			heads = append(heads, k)
		}
	}
	var receipts []api.HeadReceipt
	if len(undecided) > 0 {
		var err error
		if receipts, err = in.writer.submit(ctx, undecided, heads, turn); err != nil {
			return nil, nil, err
		}
	}
	out := make([]api.IngestResult, len(items))
	for i, it := range items {
		out[i] = it.Result
	}
	return out, receipts, nil
}
