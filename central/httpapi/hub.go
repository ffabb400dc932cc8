package httpapi

import (
	"context"
	"sync"
	"time"
)

// hub tells the queue streams of an office that something changed. A
// subscriber's channel holds one pending signal, so a burst of commits
// becomes one snapshot.
type hub struct {
	mu     sync.Mutex
	subs   map[string]map[chan struct{}]struct{}
	gens   map[string]uint64 // bumped by every publish of the office
	closed bool
	done   chan struct{} // closed at shutdown: streams end
}

func newHub() *hub {
	return &hub{subs: map[string]map[chan struct{}]struct{}{}, gens: map[string]uint64{}, done: make(chan struct{})}
}

// subscribe listens to office's changes until cancel.
func (h *hub) subscribe(office string) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subs[office] == nil {
		h.subs[office] = map[chan struct{}]struct{}{}
	}
	h.subs[office][ch] = struct{}{}
	return ch, func() {
		h.mu.Lock()
		delete(h.subs[office], ch)
		if len(h.subs[office]) == 0 {
			delete(h.subs, office)
		}
		h.mu.Unlock()
	}
}

// publish signals the subscribers of each office.
func (h *hub) publish(offices map[string]bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for o := range offices {
		h.gens[o]++
		for ch := range h.subs[o] {
			select {
			case ch <- struct{}{}:
			default: // a signal is pending already
			}
		}
	}
}

// generation counts the publishes of office: a snapshot computed at one
// generation is current until the next.
func (h *hub) generation(office string) uint64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.gens[office]
}

func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.closed {
		h.closed = true
		close(h.done)
	}
}

// watchMarks polls the office marks every interval and publishes the
// offices whose mark moved: changes committed by other processes sharing a
// PostgreSQL database. It also reloads the catalogue when it changed.
func (s *Server) watchMarks(ctx context.Context, every time.Duration) {
	defer s.wg.Done()
	marks, _ := s.store.OfficeMarks(ctx)
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		now, err := s.store.OfficeMarks(ctx)
		if err != nil {
			if ctx.Err() == nil {
				s.log.Warn("cannot poll for changes", "err", err)
			}
			continue
		}
		changed := map[string]bool{}
		for o, m := range now {
			if marks[o] != m {
				changed[o] = true
			}
		}
		marks = now
		if len(changed) > 0 {
			s.hub.publish(changed)
		}
		s.reloadCatalog(ctx)
	}
}
