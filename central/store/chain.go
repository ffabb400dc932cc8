package store

import (
	"cmp"
	"crypto/ed25519"
	"fmt"
	"slices"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
)

// The windows' chains as the central holds them: each window's events in
// seq order, each linked to the one before by its hash (the streams table
// keeps every chain's head), and the quarantine beside them.

type streamHead struct {
	lastSeq  int64
	lastHash string
	dirty    bool
}

type seenEvent struct {
	status api.IngestStatus
	reason string
	hash   string
	sig    string
}

// stream returns the head of a window's chain.
func (t *Tx) stream(office string, win int) (*streamHead, error) {
	k := StreamID{office, win}
	if h, ok := t.streams[k]; ok {
		return h, nil
	}
	h := &streamHead{}
	if _, err := t.scan(`SELECT last_seq, last_hash FROM streams WHERE office = ? AND win = ?`,
		[]any{office, win}, &h.lastSeq, &h.lastHash); err != nil {
		return nil, fmt.Errorf("stream %s/%d: %w", office, win, err)
	}
	t.streams[k] = h
	return h, nil
}

// lookup finds an event of a chain by id. Quarantined events are not
// looked at: junk sent with some id never holds that id against the
// genuine event.
func (t *Tx) lookup(id string) (seenEvent, bool, error) {
	if v, ok := t.seen[id]; ok {
		return v, true, nil
	}
	if t.absent[id] {
		return seenEvent{}, false, nil
	}
	var v seenEvent
	var status string
	var inStream int
	// in_stream is tested here, not in the query (see prefetchEvents).
	found, err := t.scan(`SELECT status, reason, hash, sig, in_stream FROM events WHERE id = ?`, []any{id}, &status, &v.reason, &v.hash, &v.sig, &inStream)
	if !found || inStream != 1 {
		return seenEvent{}, false, err
	}
	v.status = api.IngestStatus(status)
	return v, found, err
}

// seqKey is one seq of a window's chain.
type seqKey struct {
	StreamID
	seq int64
}

// holder is the id of the event holding seq in a window's chain.
func (t *Tx) holder(office string, win int, seq int64) (string, error) {
	if id, ok := t.holders[seqKey{StreamID{office, win}, seq}]; ok {
		return id, nil
	}
	var id string
	_, err := t.scan(`SELECT id FROM events WHERE office = ? AND win = ? AND seq = ? AND in_stream = 1`, []any{office, win, seq}, &id)
	return id, err
}

// eventRow is an event to insert at flush.
type eventRow [19]any

var eventCols = []string{"id", "office", "win", "seq", "at", "kind", "actor", "case_id", "ticket_id", "visitor_id", "payload",
	"prev_hash", "hash", "sig", "status", "reason", "in_stream", "received_at", "received_by"}

// insertEvent records e in its window's chain (at flush). An accepted
// event passed CheckAt: every text is clean and its time storable, and it
// is stored as it was hashed. A rejected one is kept without its payload,
// its texts made storable and a time outside the accepted range stored as
// 0: it only holds its place (id, seq, hash, signature) in the chain.
func (t *Tx) insertEvent(e *domain.Event, status api.IngestStatus, reason string, by string) error {
	var payload any
	at := e.At.UnixNano()
	kind, actor, caseID, ticketID, visitorID, prevHash := string(e.Kind), e.Actor, e.CaseID, e.TicketID, e.VisitorID, e.PrevHash
	if status == api.IngestAccepted {
		payload = string(e.Payload)
	} else {
		if !domain.InTimeRange(e.At, time.Unix(0, t.now)) {
			at = 0
		}
		kind, actor, prevHash = domain.SafeText(kind, 64), domain.SafeText(actor, 200), domain.SafeText(prevHash, 200)
		caseID, ticketID, visitorID = domain.SafeText(caseID, 64), domain.SafeText(ticketID, 64), domain.SafeText(visitorID, 64)
		reason = domain.SafeText(reason, 2000)
	}
	t.events = append(t.events, eventRow{e.ID, e.Office, e.Window, e.Seq, at, kind, actor, caseID, ticketID, visitorID, payload,
		prevHash, e.Hash, e.Sig, string(status), reason, 1, t.now, by})
	t.seen[e.ID] = seenEvent{status: status, reason: reason, hash: e.Hash, sig: e.Sig}
	delete(t.absent, e.ID)
	t.holders[seqKey{StreamID{e.Office, e.Window}, e.Seq}] = e.ID
	return nil
}

// flushEvents inserts the events recorded, in the order they were
// decided: their positions in the feed follow it.
func (t *Tx) flushEvents() error {
	err := t.insertRows("events", eventCols, "", len(t.events), func(i int) []any { return t.events[i][:] })
	t.events = t.events[:0]
	return err
}

// quarantineRow is a quarantined event to insert at flush.
type quarantineRow [12]any

var quarantineCols = []string{"id", "office", "win", "seq", "kind", "hash", "prev_hash", "problem", "reason", "received_at", "received_by", "remote_addr"}

// quarantine records an event that failed its window's checks apart from
// the chains (at flush), without its payload, and answers it rejected.
// Its texts are what it claimed, made storable.
func (t *Tx) quarantine(it *Item, q *Quarantine) error {
	e := it.Event
	it.Result.Status, it.Result.Reason = api.IngestRejected, q.Reason
	t.quarantined = append(t.quarantined, quarantineRow{e.ID, e.Office, e.Window, e.Seq, domain.SafeText(string(e.Kind), 64),
		domain.SafeText(e.Hash, 128), domain.SafeText(e.PrevHash, 128), q.Problem, domain.SafeText(q.Reason, 2000), t.now, it.By,
		domain.SafeText(it.Addr, 64)})
	return nil
}

func (t *Tx) flushQuarantine() error {
	err := t.insertRows("quarantine", quarantineCols, "", len(t.quarantined), func(i int) []any { return t.quarantined[i][:] })
	t.quarantined = t.quarantined[:0]
	return err
}

// flushStreams writes the stream heads this transaction moved.
func (t *Tx) flushStreams() error {
	var ks []StreamID
	for k, h := range t.streams {
		if h.dirty {
			ks = append(ks, k)
		}
	}
	sortStreams(ks)
	err := t.upsert("streams", []string{"office", "win"}, nil, len(ks), func(i int) []any {
		h := t.streams[ks[i]]
		return []any{ks[i].Office, ks[i].Window, h.lastSeq, h.lastHash}
	}, "last_seq", "last_hash")
	if err != nil {
		return err
	}
	for _, k := range ks {
		t.streams[k].dirty = false
	}
	return nil
}

func sortStreams(ks []StreamID) {
	slices.SortFunc(ks, func(a, b StreamID) int {
		return cmp.Or(cmp.Compare(a.Office, b.Office), cmp.Compare(a.Window, b.Window))
	})
}

// Head is the head of a window's chain: its last seq and that event's hash.
type Head struct {
	StreamID
	Seq  int64
	Hash string
}

// Heads reads, as this transaction sees them, the heads of these chains.
func (t *Tx) Heads(ids []StreamID) ([]Head, error) {
	out := make([]Head, 0, len(ids))
	for _, k := range ids {
		h, err := t.stream(k.Office, k.Window)
		if err != nil {
			return nil, err
		}
		out = append(out, Head{StreamID: k, Seq: h.lastSeq, Hash: h.lastHash})
	}
	return out, nil
}

// Receipt is the head h signed with the central's key at the time at, or
// false when the central has no key or the chain is empty.
func (s *Store) Receipt(h Head, at time.Time) (api.HeadReceipt, bool) {
	if s.signKey == nil || h.Seq == 0 {
		return api.HeadReceipt{}, false
	}
	r := api.HeadReceipt{Office: h.Office, Window: h.Window, Seq: h.Seq, Hash: h.Hash, At: at.UTC()}
	api.SignHead(&r, s.signKey)
	return r, true
}

// centralKey is the central's public key (base64), "" when it has none.
func (s *Store) centralKey() string {
	if s.signKey == nil {
		return ""
	}
	return domain.EncodePublicKey(s.signKey.Public().(ed25519.PublicKey))
}
