package store

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
)

// Item is one event of a pushed batch on its way through the ingest
// (package ingest): checked against its window's key and the rules that
// hold whatever the store holds, then decided here against the store.
type Item struct {
	Event *domain.Event
	// Payload is the decoded payload of an event that passed its checks.
	Payload any
	// Quarantine is set when the event does not verify under its window's
	// key (hash, signature): it is kept apart, never in the chain.
	Quarantine *Quarantine
	// Reject is a rule a validly signed event breaks whatever the store
	// holds: it is stored as rejected, holding its place in its window's
	// chain (the key holder vouched for it).
	Reject string
	By     string // the caller's login, recorded with the event
	Addr   string // the caller's address, recorded with a quarantined event

	Result api.IngestResult // the answer, set by Decide
}

// Quarantine says why an event is kept out of its window's chain.
type Quarantine struct {
	Problem string // one of the Problem constants: the attention list groups by it
	Reason  string
}

// Problems of a quarantined event.
const (
	ProblemHash      = "hash"
	ProblemSignature = "signature"
	ProblemUnsigned  = "unsigned"
	ProblemSeqTaken  = "seq_taken"
)

// Decided counts what Decide made of a batch.
type Decided struct {
	Counts      map[api.IngestStatus]int // answers by status
	Quarantined int                      // of the rejected: kept apart, out of the chains
}

// Decide settles items against the store: duplicates, the window's
// sequence, the projections (cat gives the ranks of privileged
// categories; it may be nil). Items are taken in (office, window, seq)
// order, so each window's events apply in their order whatever order they
// came in.
func (t *Tx) Decide(items []*Item, cat *domain.Catalog) (Decided, error) {
	t.cat = cat
	// The office's lock, the batch's reads and then the decisions' writes
	// wait in the queue (pipe.go): a few round trips while the lock is
	// held, not one a statement. What is still queued at the end goes
	// with the next read or the commit.
	t.deferring = true
	defer func() { t.deferring = false }()
	d := Decided{Counts: map[api.IngestStatus]int{}}
	slices.SortStableFunc(items, func(a, b *Item) int {
		return cmp.Or(cmp.Compare(a.Event.Office, b.Event.Office), cmp.Compare(a.Event.Window, b.Event.Window), cmp.Compare(a.Event.Seq, b.Event.Seq))
	})
	var offices []string
	for _, it := range items {
		if len(offices) == 0 || offices[len(offices)-1] != it.Event.Office {
			offices = append(offices, it.Event.Office)
		}
	}
	if err := t.lock(offices...); err != nil {
		return d, err
	}
	if err := t.prefetch(items); err != nil {
		return d, err
	}
	for _, it := range items {
		kept, err := t.decideOne(it)
		if err != nil {
			return d, err
		}
		d.Counts[it.Result.Status]++
		if kept {
			d.Quarantined++
		}
	}
	return d, nil
}

// decideOne settles one item; kept says it went into the quarantine.
func (t *Tx) decideOne(it *Item) (kept bool, err error) {
	ev := it.Event
	it.Result = api.IngestResult{ID: ev.ID}
	prev, found, err := t.lookup(ev.ID)
	if err != nil {
		return false, err
	}
	if it.Quarantine != nil {
		// An exact copy of a chain event is a duplicate even when it no
		// longer verifies (its window was enrolled again with a new key).
		if found && prev.hash == ev.Hash && prev.sig == ev.Sig && it.Quarantine.Problem != ProblemHash {
			it.Result.Status, it.Result.First, it.Result.Reason = api.IngestDuplicate, prev.status, prev.reason
			return false, nil
		}
		return true, t.quarantine(it, it.Quarantine)
	}
	if found {
		if prev.hash != ev.Hash {
			it.Result.Status = api.IngestRejected
			it.Result.Reason = fmt.Sprintf("id %s is already used by a different event; the event was not recorded", ev.ID)
			return false, nil
		}
		it.Result.Status, it.Result.First, it.Result.Reason = api.IngestDuplicate, prev.status, prev.reason
		return false, nil
	}
	head, err := t.stream(ev.Office, ev.Window)
	if err != nil {
		return false, err
	}
	switch {
	case ev.Seq <= head.lastSeq:
		other, err := t.holder(ev.Office, ev.Window, ev.Seq)
		if err != nil {
			return false, err
		}
		return true, t.quarantine(it, &Quarantine{Problem: ProblemSeqTaken,
			Reason: fmt.Sprintf("seq %d of window %s/%d is already taken by event %s; the event was kept apart, not in the window's chain", ev.Seq, ev.Office, ev.Window, other)})
	case ev.Seq > head.lastSeq+1:
		it.Result.Status = api.IngestRetry
		it.Result.Reason = fmt.Sprintf("event %d of window %s/%d not received yet: send it first", head.lastSeq+1, ev.Office, ev.Window)
		return false, nil
	}
	// The event verified under the window's key. A content rule it breaks,
	// or a chain link that does not match (a fork made with the window's
	// own key), rejects it in the chain: it holds its seq, so the window's
	// next events are not blocked.
	reason := it.Reject
	if reason == "" {
		reason = linkReason(ev, head)
	}
	if reason == "" {
		if reason, err = t.apply(ev, it.Payload); err != nil {
			return false, err
		}
	}
	it.Result.Status = api.IngestAccepted
	if reason != "" {
		it.Result.Status, it.Result.Reason = api.IngestRejected, reason
	}
	if err := t.insertEvent(ev, it.Result.Status, reason, it.By); err != nil {
		return false, err
	}
	head.lastSeq, head.lastHash, head.dirty = ev.Seq, ev.Hash, true
	return false, nil
}

// linkReason says why an event's prev_hash does not continue its window's
// chain as the central holds it, or "" when it does.
func linkReason(ev *domain.Event, head *streamHead) string {
	if ev.PrevHash == head.lastHash {
		return ""
	}
	if head.lastSeq == 0 {
		return fmt.Sprintf("chain link mismatch: the first event of %s window %d must have an empty prev_hash, this one has %s (a fork signed with the window's key); it was kept as rejected", ev.Office, ev.Window, shortHash(ev.PrevHash))
	}
	return fmt.Sprintf("chain link mismatch: prev_hash %s is not the hash of seq %d of %s window %d as the central holds it (%s): a fork signed with the window's key (its database restored or copied?); it was kept as rejected",
		shortHash(ev.PrevHash), head.lastSeq, ev.Office, ev.Window, shortHash(head.lastHash))
}

func shortHash(h string) string {
	switch {
	case h == "":
		return `""`
	case len(h) > 12:
		return h[:12] + "…"
	}
	return h
}
