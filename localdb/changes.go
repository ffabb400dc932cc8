package localdb

import (
	"sync"

	"github.com/okno-mfc/okno/domain"
)

// Tables is a set of what a committed transaction changed, by what the
// screens read.
type Tables uint8

// The parts of the file a change touches.
const (
	Visitors Tables = 1 << iota // visitors and their search
	Tickets                     // tickets and the queues
	Cases                       // cases, their checklists and attachments
	Window                      // the window's break
	Catalog                     // the service catalogue in force
	Outbox                      // the outbox: events to push, the central's answers
)

// Source is a set of where a change came from.
type Source uint8

// Where changes come from.
const (
	Local   Source = 1 << iota // this window recorded events, or put rejected ones back in the outbox
	Feed                       // events of the office the central's feed brought
	Central                    // the central's answers to pushed events
)

// Change is what committed transactions changed: one, or several merged
// while the subscriber was busy.
type Change struct {
	Tables Tables
	From   Source
}

// Has reports whether the change touched any of t.
func (c Change) Has(t Tables) bool { return c.Tables&t != 0 }

// ToPush reports whether the change put events in the outbox to push.
func (c Change) ToPush() bool { return c.From&Local != 0 && c.Tables&Outbox != 0 }

func (c Change) merge(d Change) Change {
	return Change{Tables: c.Tables | d.Tables, From: c.From | d.From}
}

// tablesOf is what an event of kind changes when it is folded.
func tablesOf(kind domain.EventKind) Tables {
	switch kind {
	case domain.EvVisitorRegistered, domain.EvVisitorUpdated:
		return Visitors
	case domain.EvTicketIssued, domain.EvTicketCalled, domain.EvTicketRecalled, domain.EvTicketNoShow,
		domain.EvTicketPostponed, domain.EvTicketReturned, domain.EvTicketRedirected, domain.EvTicketServed,
		domain.EvTicketPriority:
		return Tickets
	case domain.EvCaseOpened, domain.EvDocumentChecked, domain.EvAttachmentAdded, domain.EvCaseHandedOff,
		domain.EvCaseStatusChanged, domain.EvDeadlineExtended, domain.EvResultIssued, domain.EvCaseWithdrawn,
		domain.EvCaseReturned, domain.EvCollectExtended:
		return Cases
	case domain.EvWindowBreak, domain.EvWindowResumed, domain.EvWindowClosed, domain.EvWindowForceClosed:
		return Window
	case domain.EvCatalogUpdated:
		return Catalog
	}
	return 0
}

// changes hands every committed change to the subscribers. A subscriber's
// channel holds one value: a change that finds it full is merged into the
// one waiting, so a slow reader gets one change covering everything it
// missed and the writer never waits.
type changes struct {
	mu   sync.Mutex
	subs map[*subscriber]struct{}
}

type subscriber struct{ ch chan Change }

// Subscribe delivers what every transaction committed from now on changed,
// until cancel is called (cancel closes the channel).
func (s *Store) Subscribe() (<-chan Change, func()) {
	sub := &subscriber{ch: make(chan Change, 1)}
	s.changes.mu.Lock()
	if s.changes.subs == nil {
		s.changes.subs = map[*subscriber]struct{}{}
	}
	s.changes.subs[sub] = struct{}{}
	s.changes.mu.Unlock()
	var once sync.Once
	return sub.ch, func() {
		once.Do(func() {
			s.changes.mu.Lock()
			delete(s.changes.subs, sub)
			close(sub.ch)
			s.changes.mu.Unlock()
		})
	}
}

// publish hands c to every subscriber. Only one publish runs at a time (it
// sends under the lock), so a value taken out to be merged is always put
// back: nothing is lost.
func (cs *changes) publish(c Change) {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	for sub := range cs.subs {
		select {
		case sub.ch <- c:
			continue
		default:
		}
		next := c
		select {
		case old := <-sub.ch:
			next = old.merge(c)
		default: // the reader took it meanwhile
		}
		sub.ch <- next
	}
}
