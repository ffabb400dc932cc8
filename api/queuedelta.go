package api

import (
	"errors"
	"fmt"
	"time"
)

// QueueDelta is the data of a "delta" event of the queue stream (asked
// for with ?deltas=1): what changed in the office's queue since the
// stream's previous event. Applied to the previous snapshot (Apply) it
// gives the next one, whole. 200 supervisors of an office of 100 windows
// were sent (and decoded) the whole queue, 40–60 KB, on every change; a
// delta is a ticket or two.
type QueueDelta struct {
	At    time.Time  `json:"at"`
	Today DayFigures `json:"today"`
	// Windows: windows new to the list at their place in it (index in
	// the new list); WindowsChanged: windows whose state changed, whole;
	// WindowsGone: windows no longer listed.
	Windows        []PlacedWindow `json:"windows,omitempty"`
	WindowsChanged []WindowState  `json:"windows_changed,omitempty"`
	WindowsGone    []int          `json:"windows_gone,omitempty"`
	// Waiting, WaitingChanged, WaitingGone: the same for the waiting
	// tickets, by id.
	Waiting        []PlacedTicket `json:"waiting,omitempty"`
	WaitingChanged []QueueTicket  `json:"waiting_changed,omitempty"`
	WaitingGone    []string       `json:"waiting_gone,omitempty"`
}

// PlacedWindow is a window new to the list and its index in the new list.
type PlacedWindow struct {
	Index int `json:"index"`
	WindowState
}

// PlacedTicket is a ticket new to the queue and its index in the new list.
type PlacedTicket struct {
	Index int `json:"index"`
	QueueTicket
}

func windowKey(w WindowState) int    { return w.Window }
func ticketKey(t QueueTicket) string { return t.ID }

// DiffQueue is the delta from prev to cur, both of one office; ok is false
// when a delta cannot say it (a ticket or window moved ahead of another,
// or a list names one twice): then the whole snapshot is sent.
func DiffQueue(prev, cur *QueueSnapshot) (QueueDelta, bool) {
	d := QueueDelta{At: cur.At, Today: cur.Today}
	if prev.Office != cur.Office {
		return d, false
	}
	wGone, wChanged, wAdded, ok := diffList(prev.Windows, cur.Windows, windowKey)
	if !ok {
		return d, false
	}
	tGone, tChanged, tAdded, ok := diffList(prev.Waiting, cur.Waiting, ticketKey)
	if !ok {
		return d, false
	}
	d.WindowsGone, d.WindowsChanged = wGone, wChanged
	for _, i := range wAdded {
		d.Windows = append(d.Windows, PlacedWindow{Index: i, WindowState: cur.Windows[i]})
	}
	d.WaitingGone, d.WaitingChanged = tGone, tChanged
	for _, i := range tAdded {
		d.Waiting = append(d.Waiting, PlacedTicket{Index: i, QueueTicket: cur.Waiting[i]})
	}
	return d, true
}

// Apply returns the snapshot d makes of s (s is not changed: the new
// snapshot's lists are new). An error says d does not fit s (a lost or
// reordered event): the stream should be read again from a snapshot.
func (s QueueSnapshot) Apply(d QueueDelta) (QueueSnapshot, error) {
	out := QueueSnapshot{Office: s.Office, At: d.At, Today: d.Today}
	wAdded := make([]placed[WindowState], len(d.Windows))
	for i, w := range d.Windows {
		wAdded[i] = placed[WindowState]{w.Index, w.WindowState}
	}
	var err error
	if out.Windows, err = applyList(s.Windows, windowKey, d.WindowsGone, d.WindowsChanged, wAdded); err != nil {
		return s, fmt.Errorf("queue delta: windows: %w", err)
	}
	tAdded := make([]placed[QueueTicket], len(d.Waiting))
	for i, t := range d.Waiting {
		tAdded[i] = placed[QueueTicket]{t.Index, t.QueueTicket}
	}
	if out.Waiting, err = applyList(s.Waiting, ticketKey, d.WaitingGone, d.WaitingChanged, tAdded); err != nil {
		return s, fmt.Errorf("queue delta: waiting: %w", err)
	}
	return out, nil
}

type placed[T any] struct {
	index int
	item  T
}

// diffList compares two lists of items with unique keys: the keys of
// prev's items not in cur, cur's items that are in prev but differ, and
// the indexes in cur of its items not in prev. ok is false when a key is
// in a list twice or the items of both lists are not in the same order.
func diffList[T comparable, K comparable](prev, cur []T, key func(T) K) (gone []K, changed []T, added []int, ok bool) {
	at := make(map[K]int, len(cur))
	for i, t := range cur {
		at[key(t)] = i
	}
	if len(at) != len(cur) {
		return nil, nil, nil, false
	}
	had := make(map[K]bool, len(prev))
	last := -1
	for _, t := range prev {
		k := key(t)
		if had[k] {
			return nil, nil, nil, false
		}
		had[k] = true
		j, in := at[k]
		switch {
		case !in:
			gone = append(gone, k)
		case j < last:
			return nil, nil, nil, false // moved ahead of another
		default:
			last = j
			if cur[j] != t {
				changed = append(changed, cur[j])
			}
		}
	}
	for i, t := range cur {
		if !had[key(t)] {
			added = append(added, i)
		}
	}
	return gone, changed, added, true
}

var errDeltaMismatch = errors.New("the delta does not fit the previous snapshot")

// applyList is diffList's inverse: prev without gone, changed items
// replaced, added items inserted at their indexes (in increasing order).
func applyList[T any, K comparable](prev []T, key func(T) K, gone []K, changed []T, added []placed[T]) ([]T, error) {
	drop := make(map[K]bool, len(gone))
	for _, k := range gone {
		drop[k] = true
	}
	repl := make(map[K]T, len(changed))
	for _, t := range changed {
		repl[key(t)] = t
	}
	out := make([]T, 0, max(0, len(prev)-len(gone))+len(added))
	dropped, replaced := 0, 0
	for _, t := range prev {
		k := key(t)
		if drop[k] {
			dropped++
			continue
		}
		if r, ok := repl[k]; ok {
			t = r
			replaced++
		}
		out = append(out, t)
	}
	if dropped != len(drop) || replaced != len(repl) {
		return nil, errDeltaMismatch
	}
	last := -1
	for _, a := range added {
		if a.index <= last || a.index > len(out) {
			return nil, errDeltaMismatch
		}
		last = a.index
		out = append(out, a.item)
		copy(out[a.index+1:], out[a.index:])
		out[a.index] = a.item
	}
	return out, nil
}
