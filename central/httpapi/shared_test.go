package httpapi_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/central/httpapi"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/client"
	"github.com/okno-mfc/okno/domain"
)

// TestSharedPostgres runs two servers over one PostgreSQL database, as two
// `okno serve` processes would: windows push through either, the feed holds
// every event once in one order, and the shared queue never gives one
// ticket twice.
func TestSharedPostgres(t *testing.T) {
	t.Parallel()
	a := centraltest.Start(t, centraltest.Postgres(t))
	ctx := context.Background()
	st, err := store.Open(ctx, a.DSN, store.Options{Argon2: centraltest.TestArgon2})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	apiServer, err := httpapi.New(ctx, httpapi.Config{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	b := httptest.NewServer(apiServer)
	defer func() { apiServer.Shutdown(); b.Close(); apiServer.Close() }()

	const windows, batches, per = 6, 5, 20
	var wg sync.WaitGroup
	errs := make(chan error, windows)
	for w := 1; w <= windows; w++ {
		ws := a.Enrol(t, "IRK", w)
		base := a.URL
		if w%2 == 0 {
			base = b.URL
		}
		c, err := client.New(base, client.WithToken(ws.Token))
		if err != nil {
			t.Fatal(err)
		}
		ch := centraltest.NewChain("IRK", w)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range batches {
				var evs []domain.Event
				for range per {
					e, _ := ch.Issue("advertising_permit", "")
					evs = append(evs, e)
				}
				res, err := c.PushEvents(ctx, evs)
				if err != nil {
					errs <- err
					return
				}
				for _, r := range res.Results {
					if r.Status != api.IngestAccepted {
						errs <- errors.New(r.Reason)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	sup := a.Client(t, a.Session(t, "sup", domain.RoleSupervisor, "IRK", 0))
	var all []api.FeedEvent
	var cursor int64
	for {
		page, err := sup.Feed(ctx, cursor, 37)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page.Events...)
		cursor = page.Cursor
		if !page.More {
			break
		}
	}
	ids := map[string]bool{}
	for i, e := range all {
		if ids[e.ID] {
			t.Fatalf("event %s twice in the feed", e.ID)
		}
		ids[e.ID] = true
		if i > 0 && e.Pos <= all[i-1].Pos {
			t.Fatalf("feed out of order at %d", i)
		}
	}
	if len(all) != windows*batches*per {
		t.Fatalf("%d events in the feed, want %d", len(all), windows*batches*per)
	}

	// Both servers call from the shared queue at once.
	var mu sync.Mutex
	seen := map[string]int{}
	for w := 1; w <= 4; w++ {
		base := a.URL
		if w%2 == 0 {
			base = b.URL
		}
		tok := a.Session(t, "clerk"+string(rune('0'+w)), domain.RoleClerk, "IRK", w)
		c, _ := client.New(base, client.WithToken(tok))
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 25 {
				r, err := c.CallNext(ctx, "IRK", api.CallNextRequest{})
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				seen[r.Ticket.ID]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	for id, n := range seen {
		if n != 1 {
			t.Errorf("ticket %s called %d times", id, n)
		}
	}
	if len(seen) != 100 {
		t.Errorf("%d tickets called, want 100", len(seen))
	}

	// A stream served by b sees a change committed through a (b polls).
	supB, _ := client.New(b.URL, client.WithToken(sup.Token()))
	sctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	snaps := make(chan api.QueueSnapshot, 10)
	go supB.QueueStream(sctx, "IRK", func(s api.QueueSnapshot) error { snaps <- s; return nil })
	<-snaps
	ws := a.Enrol(t, "IRK", 9)
	ch := centraltest.NewChain("IRK", 9)
	e, tid := ch.Issue("advertising_permit", "")
	push(t, a, ws.Token, e)
	for {
		select {
		case s := <-snaps:
			for _, w := range s.Waiting {
				if w.ID == tid {
					return
				}
			}
		case <-sctx.Done():
			t.Fatal("the other process's stream did not see the change")
		}
	}
}

// TestLimitsAcrossReplicas: two servers over one PostgreSQL database
// count one session's requests and one login's failed sign-ins together,
// so a client behind a balancer gets no more tries than from one replica.
func TestLimitsAcrossReplicas(t *testing.T) {
	t.Parallel()
	cfg := centraltest.Config(func(c *httpapi.Config) { c.SignInFailures, c.RequestsPerSecond, c.RequestBurst = 4, 0.01, 6 })
	a := centraltest.Start(t, centraltest.Postgres(t), cfg)
	ctx := context.Background()
	st, err := store.Open(ctx, a.DSN, store.Options{Argon2: centraltest.TestArgon2})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	apiServer, err := httpapi.New(ctx, httpapi.Config{Store: st, SignInFailures: 4, RequestsPerSecond: 0.01, RequestBurst: 6})
	if err != nil {
		t.Fatal(err)
	}
	b := httptest.NewServer(apiServer)
	defer func() { apiServer.Shutdown(); b.Close(); apiServer.Close() }()
	a.AddUser(t, "anna", domain.RoleClerk, "IRK")
	clients := make([]*client.Client, 2)
	for i, base := range []string{a.URL, b.URL} {
		if clients[i], err = client.New(base, client.WithRetry(client.RetryPolicy{Attempts: 1})); err != nil {
			t.Fatal(err)
		}
	}
	status := func(err error) int {
		var ae *client.APIError
		if errors.As(err, &ae) {
			return ae.Status
		}
		return 0
	}
	for i := range 4 {
		if _, err := clients[i%2].SignIn(ctx, "anna", "wrong", 1); status(err) != 401 {
			t.Fatalf("failure %d: %v, want 401", i, err)
		}
	}
	for i := range 2 {
		if _, err := clients[i].SignIn(ctx, "anna", centraltest.Password("anna"), 1); status(err) != 429 {
			t.Fatalf("the fifth try through replica %d: %v, want 429 (4 failures counted across both)", i, err)
		}
	}

	// A session of 6 requests' burst: 3 through each replica, then none.
	tok := a.Session(t, "sup", domain.RoleSupervisor, "IRK", 0)
	for i := range 6 {
		c, _ := client.New([]string{a.URL, b.URL}[i%2], client.WithToken(tok))
		if _, err := c.Catalog(ctx, ""); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	for i := range 2 {
		c, _ := client.New([]string{a.URL, b.URL}[i], client.WithToken(tok), client.WithRetry(client.RetryPolicy{Attempts: 1}))
		if _, err := c.Catalog(ctx, ""); status(err) != 429 {
			t.Fatalf("request 7 through replica %d: %v, want 429", i, err)
		}
	}
}
