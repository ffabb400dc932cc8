package httpapi_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/domain"
)

// TestEventTimesRoundTrip: an event's time is checked against the
// central's (injectable) clock, from 2000-01-01 to 24 h ahead; every time
// in that range — the edges, nanoseconds below a microsecond, zones other
// than UTC — comes back from the feed and the window's chain as the same
// instant, and the served event's hash still recomputes.
func TestEventTimesRoundTrip(t *testing.T) {
	now := time.Date(2031, 6, 15, 12, 0, 0, 0, time.UTC) // ahead of any real clock running this test
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		srv := centraltest.Start(t, opt, centraltest.Clock(func() time.Time { return now }))
		ctx := context.Background()
		ws := srv.Enrol(t, "IRK", 3)
		ch := centraltest.NewChain("IRK", 3)
		kathmandu, newfoundland := time.FixedZone("+0545", 5*3600+45*60), time.FixedZone("-0330", -(3*3600+30*60))
		times := []time.Time{
			domain.EarliestEventTime,
			time.Date(2000, 1, 1, 0, 0, 0, 1, time.UTC),
			time.Date(2026, 3, 2, 9, 0, 0, 123456789, time.UTC),
			time.Date(2026, 3, 2, 9, 0, 0, 999, kathmandu),
			time.Date(2026, 3, 2, 9, 0, 0, 1, newfoundland),
			time.Date(2030, 12, 31, 23, 59, 59, 999999999, kathmandu),
			now.Add(domain.MaxEventAhead),
			now.Add(domain.MaxEventAhead).In(newfoundland),
		}
		var evs []domain.Event
		for _, at := range times {
			evs = append(evs, ch.Next(domain.EvTicketIssued, domain.TicketIssuedPayload{Number: "A-001", Service: "advertising_permit"},
				centraltest.TicketOf(centraltest.NewID()), func(e *domain.Event) { e.At = at }))
		}
		for i, r := range push(t, srv, ws.Token, evs...) {
			if r.Status != api.IngestAccepted {
				t.Fatalf("at %s: %+v", times[i].Format(time.RFC3339Nano), r)
			}
		}
		feed, err := srv.Client(t, srv.AdminToken).Feed(ctx, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		chain, err := srv.Client(t, ws.Token).WindowChain(ctx, "IRK", 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(feed.Events) != len(evs) || len(chain.Events) != len(evs) {
			t.Fatalf("%d in the feed, %d in the chain, want %d", len(feed.Events), len(chain.Events), len(evs))
		}
		for i, fe := range feed.Events {
			if !fe.At.Equal(times[i]) || fe.ComputeHash() != evs[i].Hash || fe.Hash != evs[i].Hash {
				t.Errorf("feed: %s came back as %s, hash recomputes to %s", times[i].Format(time.RFC3339Nano), fe.At.Format(time.RFC3339Nano), fe.ComputeHash())
			}
			if !chain.Events[i].At.Equal(times[i]) {
				t.Errorf("chain: %s came back as %s", times[i].Format(time.RFC3339Nano), chain.Events[i].At.Format(time.RFC3339Nano))
			}
		}
		if err := domain.VerifyChain(eventsOf(feed), ws.Key.Public().(ed25519.PublicKey)); err != nil {
			t.Errorf("the served chain does not verify: %v", err)
		}

		// Just outside the range: rejected with a reason, by the central's clock.
		for _, at := range []time.Time{domain.EarliestEventTime.Add(-time.Nanosecond), now.Add(domain.MaxEventAhead + time.Nanosecond)} {
			e := ch.Next(domain.EvTicketIssued, domain.TicketIssuedPayload{Number: "A-001", Service: "advertising_permit"},
				centraltest.TicketOf(centraltest.NewID()), func(e *domain.Event) { e.At = at })
			r := push(t, srv, ws.Token, e)[0]
			if r.Status != api.IngestRejected || !strings.Contains(r.Reason, "at: ") || !strings.Contains(r.Reason, "clock") {
				t.Errorf("at %s: %+v", at.Format(time.RFC3339Nano), r)
			}
		}
	})
}

func eventsOf(p api.FeedPage) []domain.Event {
	out := make([]domain.Event, len(p.Events))
	for i, fe := range p.Events {
		out[i] = fe.Event
	}
	return out
}

// TestClientGoneIsNotAnError: a client that hangs up before the answer is
// logged at info as "client went away", not as an ERROR 503.
func TestClientGoneIsNotAnError(t *testing.T) {
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		var logs syncBuffer
		srv := centraltest.Start(t, opt, centraltest.Logger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
		ws := srv.Enrol(t, "IRK", 3)
		body := mustJSON(t, api.IngestRequest{Events: tickets(centraltest.NewChain("IRK", 3), 10)})
		for _, r := range []*http.Request{
			httptest.NewRequest(http.MethodPost, "/v1/events", bytes.NewReader(body)),
			httptest.NewRequest(http.MethodGet, "/v1/cases?office=IRK", nil),
			httptest.NewRequest(http.MethodGet, "/v1/feed?after=0", nil),
		} {
			ctx, cancel := context.WithCancel(context.Background())
			cancel() // the client is gone before the server reads the store
			r.Header.Set("Authorization", "Bearer "+ws.Token)
			srv.API.ServeHTTP(httptest.NewRecorder(), r.WithContext(ctx))
		}
		out := logs.String()
		if strings.Contains(out, `"level":"ERROR"`) || strings.Count(out, `"msg":"client went away"`) != 3 {
			t.Errorf("clients hanging up, as logged:\n%s", out)
		}
	})
}
