package central

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/okno-mfc/okno/domain"
)

// MaxBatch is the most events one POST /v1/events may carry.
const MaxBatch = 1000

// An ingestItem is one event of a batch on its way through the ingest:
// checked in the request's goroutine (in parallel with other requests), then
// decided against the store by the writer.
type ingestItem struct {
	ev      *domain.Event
	payload any // the decoded payload of a valid event
	res     domain.IngestResult
	// done: answered without the store (the event cannot be recorded: no
	// usable id, or not the caller's to send).
	done bool
	// quar: the event does not verify under its window's key (hash,
	// signature); it is kept apart, in the quarantine, never in the chain.
	quar *quarantined
	// reject: a rule a validly signed event breaks whatever the store
	// holds; it is stored as rejected, holding its place in its window's
	// chain (the key holder vouched for it).
	reject string
	by     string // the caller's login, recorded with the event
	addr   string // the caller's address, recorded with a quarantined event
}

// quarantined says why an event is kept out of its window's chain.
type quarantined struct {
	problem string // hash, signature, unsigned, seq_taken: the attention list groups by it
	reason  string
}

// Problems of a quarantined event.
const (
	quarHash      = "hash"
	quarSignature = "signature"
	quarUnsigned  = "unsigned"
	quarSeqTaken  = "seq_taken"
)

// precheck answers what can be answered from the event and the caller
// alone: an event without a usable envelope, or not the caller's to send,
// is refused and not recorded. A session pushes the events of its own
// office and window only (a workstation's window, or the one a person
// signed in at); pushEvents refuses a person not at a window.
func (s *Server) precheck(caller *Session, ev *domain.Event) *ingestItem {
	it := &ingestItem{ev: ev, by: caller.Login, res: domain.IngestResult{ID: ev.ID}}
	refuse := func(format string, args ...any) *ingestItem {
		it.done = true
		it.res.Status = domain.IngestRejected
		it.res.Reason = fmt.Sprintf(format, args...) + "; the event was not recorded"
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
func (s *Server) checkContent(it *ingestItem, now time.Time) {
	ev := it.ev
	if err := ev.CheckAt(now); err != nil {
		it.reject = err.Error()
		return
	}
	switch ev.Kind {
	case domain.EvCatalogUpdated:
		it.reject = "only the central publishes catalogue updates"
		return
	case domain.EvCaseStatusChanged:
		it.reject = "a case's status is set by its department through the central (POST /v1/cases/{id}/status), not by a window"
		return
	}
	if s.verify != nil {
		if err := s.verify(ev); err != nil {
			it.reject = err.Error()
			return
		}
	}
	p, err := ev.DecodePayload()
	if err != nil { // CheckAt decoded it already; kept for safety
		it.reject = err.Error()
		return
	}
	it.payload = p
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// errUnavailable says the server is shutting down.
var errUnavailable = errors.New("the server is shutting down; send again in a moment")

// ingest answers a batch: each event in the batch's order, and the signed
// heads of the caller's windows the batch reached.
func (s *Server) ingest(ctx context.Context, caller *Session, addr string, events []domain.Event) ([]domain.IngestResult, []domain.HeadReceipt, error) {
	items := make([]*ingestItem, len(events))
	var pending []*ingestItem
	for i := range events {
		items[i] = s.precheck(caller, &events[i])
		items[i].addr = addr
		if !items[i].done {
			pending = append(pending, items[i])
		} else {
			s.metrics.ingested(items[i].res.Status, 1)
		}
	}
	if err := s.checkSignatures(ctx, pending); err != nil {
		return nil, nil, err
	}
	undecided := pending[:0]
	var heads []streamKey
	for _, it := range pending {
		if it.done {
			s.metrics.ingested(it.res.Status, 1)
			continue
		}
		undecided = append(undecided, it)
		if k := (streamKey{it.ev.Office, it.ev.Window}); it.ev.Window == caller.Window && !slices.Contains(heads, k) {
			heads = append(heads, k)
		}
	}
	var receipts []domain.HeadReceipt
	if len(undecided) > 0 {
		var err error
		if receipts, err = s.writer.submit(ctx, undecided, heads); err != nil {
			return nil, nil, err
		}
	}
	out := make([]domain.IngestResult, len(items))
	for i, it := range items {
		out[i] = it.res
	}
	return out, receipts, nil
}

// decide settles items against the store in t: duplicates, the window's
// sequence, the projections. Items are taken in (office, window, seq) order,
// so each window's events apply in their order whatever order they came in.
func (t *txn) decide(items []*ingestItem) error {
	slices.SortStableFunc(items, func(a, b *ingestItem) int {
		return cmp.Or(cmp.Compare(a.ev.Office, b.ev.Office), cmp.Compare(a.ev.Window, b.ev.Window), cmp.Compare(a.ev.Seq, b.ev.Seq))
	})
	for _, it := range items {
		if err := t.decideOne(it); err != nil {
			return err
		}
		t.counts[it.res.Status]++
	}
	return nil
}

func (t *txn) decideOne(it *ingestItem) error {
	ev := it.ev
	it.res = domain.IngestResult{ID: ev.ID}
	prev, found, err := t.lookup(ev.ID)
	if err != nil {
		return err
	}
	if it.quar != nil {
		// An exact copy of a chain event is a duplicate even when it no
		// longer verifies (its window was enrolled again with a new key).
		if found && prev.hash == ev.Hash && prev.sig == ev.Sig && it.quar.problem != quarHash {
			it.res.Status, it.res.First, it.res.Reason = domain.IngestDuplicate, prev.status, prev.reason
			return nil
		}
		return t.quarantine(it, it.quar)
	}
	if found {
		if prev.hash != ev.Hash {
			it.res.Status = domain.IngestRejected
			it.res.Reason = fmt.Sprintf("id %s is already used by a different event; the event was not recorded", ev.ID)
			return nil
		}
		it.res.Status, it.res.First, it.res.Reason = domain.IngestDuplicate, prev.status, prev.reason
		return nil
	}
	head, err := t.stream(ev.Office, ev.Window)
	if err != nil {
		return err
	}
	switch {
	case ev.Seq <= head.lastSeq:
		other, err := t.holder(ev.Office, ev.Window, ev.Seq)
		if err != nil {
			return err
		}
		return t.quarantine(it, &quarantined{problem: quarSeqTaken,
			reason: fmt.Sprintf("seq %d of window %s/%d is already taken by event %s; the event was kept apart, not in the window's chain", ev.Seq, ev.Office, ev.Window, other)})
	case ev.Seq > head.lastSeq+1:
		it.res.Status = domain.IngestRetry
		it.res.Reason = fmt.Sprintf("event %d of window %s/%d not received yet: send it first", head.lastSeq+1, ev.Office, ev.Window)
		return nil
	}
	// The event verified under the window's key. A content rule it breaks,
	// or a chain link that does not match (a fork made with the window's
	// own key), rejects it in the chain: it holds its seq, so the window's
	// next events are not blocked.
	reason := it.reject
	if reason == "" {
		reason = linkReason(ev, head)
	}
	if reason == "" {
		if reason, err = t.apply(ev, it.payload); err != nil {
			return err
		}
	}
	it.res.Status = domain.IngestAccepted
	if reason != "" {
		it.res.Status, it.res.Reason = domain.IngestRejected, reason
	}
	if err := t.insertEvent(ev, it.res.Status, reason, it.by); err != nil {
		return err
	}
	head.lastSeq, head.lastHash, head.dirty = ev.Seq, ev.Hash, true
	return nil
}
