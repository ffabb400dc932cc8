package httpapi

import (
	"context"
	"sync"

	"github.com/okno-mfc/okno/central/store"
)

// hub tells the queue streams of an office that something changed: a
// commit of this process, or of another sharing the PostgreSQL database
// (the store's LISTEN/NOTIFY, store.Listen). A subscriber's channel holds
// one pending signal, so a burst of commits becomes one snapshot.
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

// publish signals the subscribers of each office; store.AllOffices
// signals every subscriber.
func (h *hub) publish(offices map[string]bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if offices[store.AllOffices] {
		offices = map[string]bool{}
		for o := range h.subs {
			offices[o] = true
		}
		for o := range h.gens {
			offices[o] = true
		}
	}
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

// changed is the store's OnCommit listener: it signals the streams and,
// when every office may have changed (another process published a
// catalogue, or the listener reconnected), reloads the catalogue.
func (s *Server) changed(offices map[string]bool) {
	s.hub.publish(offices)
	if offices[store.AllOffices] {
		select {
		case s.reload <- struct{}{}:
		default: // a reload is pending already
		}
	}
}

// listen runs the store's listener for other processes' commits, and
// reloads the catalogue when asked.
func (s *Server) listen(ctx context.Context) {
	defer s.wg.Done()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.store.Listen(ctx, s.log)
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.reload:
			s.reloadCatalog(ctx)
		}
	}
}
