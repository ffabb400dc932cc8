package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/okno-mfc/okno/api"
)

// snapshots shares the office snapshots among the queue streams: after a
// change, the first stream to ask computes the snapshot (and its JSON) and
// every other stream of the office gets the same bytes, so 200 supervisors
// cost one snapshot per change instead of 200. A snapshot is also computed
// again after snapshotMaxAge, so a stream that connects to a quiet office
// gets today's figures as of now.
type snapshots struct {
	mu sync.Mutex
	m  map[string]*snapEntry
}

type snapEntry struct {
	mu   sync.Mutex
	gen  uint64    // the hub's generation of the office the data was computed at
	at   time.Time // when
	snap *api.QueueSnapshot
	data []byte
	// states is the windows' states in the data ("1:free 2:offline"): the
	// time alone moves a window to offline, so streams compare it now and
	// then (windowStates) and send a snapshot when it moved.
	states string
	// queries counts the snapshots computed (tests).
	queries int
	// tick is the office's tick (queueStream) the data was computed for.
	tick time.Time

	// The deltas from the snapshots streams sent before to snap, as the
	// JSON a stream sends (nil: the whole snapshot is smaller): streams
	// that wake at the same tick send the same bytes, computed once.
	dmu    sync.Mutex
	dsnap  *api.QueueSnapshot
	deltas map[*api.QueueSnapshot][]byte
	// deltaCount counts the deltas computed (tests).
	deltaCount int
}

// snapshotMaxAge bounds how old a shared snapshot may be.
const snapshotMaxAge = time.Second

func newSnapshots() *snapshots { return &snapshots{m: map[string]*snapEntry{}} }

func (c *snapshots) entry(office string) *snapEntry {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.m[office]
	if e == nil {
		e = &snapEntry{}
		c.m[office] = e
	}
	return e
}

// snapshotJSON is the office's current snapshot as JSON, computed at most
// once per change of the office. The generation is read before computing,
// so a change that commits meanwhile makes the next caller compute again.
func (s *Server) snapshotJSON(ctx context.Context, office string) ([]byte, error) {
	_, data, err := s.snapshotShared(ctx, office)
	return data, err
}

// snapshotShared is snapshotJSON with the snapshot itself (shared: not to
// be changed), for the streams that send deltas.
//
// The caller needs every change published before it asked (the
// generation read on entry); a snapshot whose query began at that
// generation or a later one holds them all. So the generation stored is
// the one read just before the query, under the entry's lock, and any
// stored generation at least the caller's will do: when a burst of
// commits wakes every stream of the office, the streams queued on the
// lock take the snapshot the first of them computed instead of each
// computing one more (a convoy of one query per stream per change: with
// 200 supervisors and a commit every few milliseconds, on PostgreSQL
// seconds of queueing).
func (s *Server) snapshotShared(ctx context.Context, office string) (*api.QueueSnapshot, []byte, error) {
	snap, data, _, err := s.snapshotAt(ctx, office, time.Time{})
	return snap, data, err
}

// snapshotAt is snapshotShared for a stream waking at the office's tick
// (queueStream): a snapshot computed for the same tick is taken even when
// a commit came after it, so that every stream waking at the tick sends
// the same one (and the same delta). stale then says a change the caller
// was told of is not in it: the caller sends a snapshot again at its next
// tick.
func (s *Server) snapshotAt(ctx context.Context, office string, tick time.Time) (snap *api.QueueSnapshot, data []byte, stale bool, err error) {
	need := s.hub.generation(office)
	e := s.snaps.entry(office)
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.data != nil && time.Since(e.at) < snapshotMaxAge {
		if e.gen >= need {
			return e.snap, e.data, false, nil
		}
		if !tick.IsZero() && e.tick.Equal(tick) {
			return e.snap, e.data, true, nil
		}
	}
	gen := s.hub.generation(office) // before the query: what it holds at least
	v, err := s.store.Snapshot(ctx, office, s.catalog(), s.cfg.Location)
	if err != nil {
		return nil, nil, false, err
	}
	if data, err = json.Marshal(v); err != nil {
		return nil, nil, false, err
	}
	e.gen, e.at, e.snap, e.data, e.states, e.tick = gen, time.Now(), &v, data, statesOf(&v), tick
	e.queries++
	return e.snap, data, false, nil
}

// deltaShared is the JSON of the delta (api.DiffQueue) from prev to snap,
// two snapshots of office's streams, or nil when the whole snapshot (of
// full bytes) is smaller. Computed once for each prev: the streams that
// sent the same snapshot before get the same bytes.
func (s *Server) deltaShared(office string, prev, snap *api.QueueSnapshot, full int) []byte {
	e := s.snaps.entry(office)
	e.dmu.Lock()
	defer e.dmu.Unlock()
	if e.dsnap != snap {
		e.dsnap, e.deltas = snap, map[*api.QueueSnapshot][]byte{}
	}
	if dj, ok := e.deltas[prev]; ok {
		return dj
	}
	var dj []byte
	if d, ok := api.DiffQueue(prev, snap); ok {
		if b, err := json.Marshal(d); err == nil && len(b) < full {
			dj = b
		}
	}
	e.deltas[prev] = dj
	e.deltaCount++
	return dj
}

// statesOf is the windows' states of a snapshot ("1:free 2:offline").
func statesOf(snap *api.QueueSnapshot) string {
	var st strings.Builder
	for _, w := range snap.Windows {
		fmt.Fprintf(&st, "%d:%s ", w.Window, w.State)
	}
	return st.String()
}

// windowStates is the windows' states of the office's current snapshot.
func (s *Server) windowStates(ctx context.Context, office string) (string, error) {
	if _, err := s.snapshotJSON(ctx, office); err != nil {
		return "", err
	}
	e := s.snaps.entry(office)
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.states, nil
}
