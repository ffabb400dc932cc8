package link

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/client"
)

// pushTap watches the pushes on the line: how many at once, and how many
// events the central answered "retry". With overtake, it answers the
// first push's 100 Continue itself and holds that push back a moment
// before it goes on, as a proxy or a balancer in front of two replicas
// may: the next batch, sent once the first "took its turn", reaches the
// central first.
type pushTap struct {
	base      http.RoundTripper
	overtake  bool
	noExpect  bool // strip "Expect: 100-continue", as a proxy may
	now, most atomic.Int32
	pushes    atomic.Int32
	retries   atomic.Int32
}

func (p *pushTap) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/events" {
		return p.base.RoundTrip(r)
	}
	n := p.now.Add(1)
	defer p.now.Add(-1)
	for m := p.most.Load(); n > m && !p.most.CompareAndSwap(m, n); m = p.most.Load() {
	}
	if p.noExpect {
		r = r.Clone(r.Context())
		r.Header.Del("Expect")
	}
	if p.pushes.Add(1) == 1 && p.overtake {
		if tr := httptrace.ContextClientTrace(r.Context()); tr != nil && tr.Got100Continue != nil {
			tr.Got100Continue()
		}
		time.Sleep(300 * time.Millisecond)
	}
	resp, err := p.base.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	p.retries.Add(int32(strings.Count(string(b), `"status":"retry"`)))
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return resp, nil
}

func inFlightStation(t *testing.T, tap *pushTap) (*centraltest.Server, *station) {
	t.Helper()
	srv := centraltest.Start(t)
	tap.base = http.DefaultTransport.(*http.Transport).Clone()
	s := newStation(t, srv, "IRK", 3, func(c *Config) {
		c.Client = srv.Client(t, "", client.WithTransport(tap))
		c.Batch = 3 // many batches
	})
	for range 12 {
		if _, err := s.st.IssueTicket(context.Background(), "anna", "kindergarten_queue", "", ""); err != nil {
			t.Fatal(err)
		}
	}
	return srv, s
}

func (s *station) allAtCentral(t *testing.T, srv *centraltest.Server, sum Summary) {
	t.Helper()
	local, _ := s.st.LocalEvents(context.Background(), 0, 1000)
	if n := srv.Count(t, "SELECT count(*) FROM events WHERE office = 'IRK' AND win = 3"); n != len(local) || sum.Left != 0 {
		t.Fatalf("the central holds %d events of the window, it recorded %d; %d left to send (%+v)", n, len(local), sum.Left, sum)
	}
}

// TestTwoBatchesOnTheWire: a push keeps two batches on the wire, and the
// central, which takes a window's batches in the order they took their
// turns, answers none of them "retry".
func TestTwoBatchesOnTheWire(t *testing.T) {
	t.Parallel()
	tap := &pushTap{}
	srv, s := inFlightStation(t, tap)
	sum := s.sync(t)
	s.allAtCentral(t, srv, sum)
	if m := tap.most.Load(); m != 2 {
		t.Errorf("%d batches on the wire at most, want 2 (of %d pushes)", m, tap.pushes.Load())
	}
	if r := tap.retries.Load(); r != 0 {
		t.Errorf("%d events answered retry", r)
	}
	if s.link.oneAtATime.Load() {
		t.Error("the link fell back to one batch at a time")
	}
}

// TestOvertakenBatchIsSentAgain: where the central cannot keep the order
// (its 100 Continue answered in front of it, the first batch held back),
// the batch that overtook is answered "retry" and sent again: the push
// starts over and ends with everything sent, not with ErrSendAgain.
func TestOvertakenBatchIsSentAgain(t *testing.T) {
	t.Parallel()
	tap := &pushTap{overtake: true}
	srv, s := inFlightStation(t, tap)
	sum := s.sync(t)
	s.allAtCentral(t, srv, sum)
	if r := tap.retries.Load(); r == 0 {
		t.Error("no batch overtook the held one: the test did not test")
	}
	if sum.Retry != 0 {
		t.Errorf("the summary counts %d events to send again", sum.Retry)
	}
}

// TestNoContinueOneAtATime: with "Expect: 100-continue" stripped on the
// way (a proxy), the central never asks for a body, so nothing says a
// batch took its turn: the link sends one batch at a time, and
// everything goes through.
func TestNoContinueOneAtATime(t *testing.T) {
	t.Parallel()
	tap := &pushTap{noExpect: true}
	srv, s := inFlightStation(t, tap)
	sum := s.sync(t)
	s.allAtCentral(t, srv, sum)
	if m := tap.most.Load(); m != 1 {
		t.Errorf("%d batches on the wire at most, want 1", m)
	}
	if !s.link.oneAtATime.Load() {
		t.Error("the link did not fall back to one batch at a time")
	}
}
