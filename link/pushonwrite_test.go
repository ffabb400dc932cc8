package link

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/client"
)

// feedHold is a transport that, once armed, holds every feed request
// until released: a pull that takes as long as the test wants.
type feedHold struct {
	rt      http.RoundTripper
	mu      sync.Mutex
	armed   bool
	entered chan struct{} // closed when a held request arrives
	release chan struct{}
}

func (h *feedHold) arm() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.armed, h.entered, h.release = true, make(chan struct{}), make(chan struct{})
}

func (h *feedHold) free() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.armed {
		h.armed = false
		close(h.release)
	}
}

func (h *feedHold) RoundTrip(r *http.Request) (*http.Response, error) {
	h.mu.Lock()
	armed, entered, release := h.armed, h.entered, h.release
	if armed && r.URL.Path == "/v1/feed" {
		select {
		case <-entered:
		default:
			close(entered)
		}
	}
	h.mu.Unlock()
	if armed && r.URL.Path == "/v1/feed" {
		select {
		case <-release:
		case <-r.Context().Done():
			return nil, r.Context().Err()
		}
	}
	return h.rt.RoundTrip(r)
}

// A clerk's new ticket reaches the central while the link is still
// pulling the feed (issue 17, item 7): before, Run pushed only between
// syncs, so a ticket waited for the whole pull (seconds for a busy
// office's feed on a loaded central) before the supervisors could see it.
func TestWriteIsPushedDuringAPull(t *testing.T) {
	t.Parallel()
	for _, kind := range centraltest.Kinds() {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			srv := centraltest.Start(t, centraltest.Kind(t, kind))
			hold := &feedHold{rt: http.DefaultTransport.(*http.Transport).Clone()}
			s := newStation(t, srv, "IRK", 4, func(c *Config) {
				c.Client = srv.Client(t, "", client.WithTransport(hold))
				c.Idle = time.Hour // no sync but the ones this test starts
			})
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- s.link.Run(ctx) }()
			defer func() {
				hold.free()
				cancel()
				<-done
			}()
			waitFor(t, func() bool { // the first sync
				return !s.link.Status().LastSync.IsZero()
			})

			hold.arm()
			s.link.SyncNow()
			select {
			case <-hold.entered:
			case <-time.After(10 * time.Second):
				t.Fatal("the sync asked for no feed")
			}
			// The pull is held. The clerk issues a ticket.
			tk, err := s.st.IssueTicket(context.Background(), "anna", "kindergarten_queue", "", "")
			if err != nil {
				t.Fatal(err)
			}
			// The ticket reaches the central while the pull is still held.
			waitFor(t, func() bool {
				return srv.Count(t, "SELECT count(*) FROM events WHERE ticket_id = '"+tk.ID+"'") == 1
			})
			if got := s.link.Status().Pending; got != 0 {
				t.Errorf("outbox after the push: %d pending, want 0", got)
			}
		})
	}
}
