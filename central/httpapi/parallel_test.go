package httpapi_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/central/httpapi"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/client"
	"github.com/okno-mfc/okno/domain"
)

// TestFeedsWhileOfficesCommitInParallel: offices are written in parallel
// (issue 17: no global lock) through two servers over one database, while
// readers follow every office's feed and the all-offices feed with their
// cursors, as workstations and an admin do. No reader may skip an event:
// a position that commits after a greater one must not be passed over.
func TestFeedsWhileOfficesCommitInParallel(t *testing.T) {
	t.Parallel()
	for _, kind := range centraltest.Kinds() {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			a := centraltest.Start(t, centraltest.Kind(t, kind))
			urls := []string{a.URL}
			ctx := context.Background()
			if kind == "postgres" {
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
				urls = append(urls, b.URL)
			}
			const offices, windows, batches, per = 4, 3, 8, 15
			var writers sync.WaitGroup
			var done atomic.Bool
			for o := range offices {
				for w := 1; w <= windows; w++ {
					ws := a.Enrol(t, fmt.Sprintf("PAR%d", o), w)
					c, _ := client.New(urls[(o+w)%len(urls)], client.WithToken(ws.Token))
					ch := centraltest.NewChain(fmt.Sprintf("PAR%d", o), w)
					writers.Add(1)
					go func() {
						defer writers.Done()
						for range batches {
							evs := make([]domain.Event, per)
							for i := range evs {
								evs[i], _ = ch.Issue("advertising_permit", "")
							}
							res, err := c.PushEvents(ctx, evs)
							if err != nil {
								t.Error(err)
								return
							}
							for _, r := range res.Results {
								if r.Status != api.IngestAccepted {
									t.Errorf("%s: %s", r.Status, r.Reason)
									return
								}
							}
						}
					}()
				}
			}
			// Readers: each office's supervisor and an admin, following
			// their feeds until the writers are done and a last pull
			// brings nothing new.
			type reader struct {
				name string
				c    *client.Client
				got  map[string]int
			}
			var readers []*reader
			for o := range offices {
				tok := a.Session(t, fmt.Sprintf("sup%d", o), domain.RoleSupervisor, fmt.Sprintf("PAR%d", o), 0)
				c, _ := client.New(urls[o%len(urls)], client.WithToken(tok))
				readers = append(readers, &reader{name: fmt.Sprintf("PAR%d", o), c: c, got: map[string]int{}})
			}
			admin, _ := client.New(urls[len(urls)-1], client.WithToken(a.AdminToken))
			readers = append(readers, &reader{name: "all offices", c: admin, got: map[string]int{}})
			var rg sync.WaitGroup
			for _, r := range readers {
				rg.Add(1)
				go func() {
					defer rg.Done()
					var cursor int64
					for last := false; ; {
						finished := done.Load()
						page, err := r.c.Feed(ctx, cursor, 50)
						if err != nil {
							t.Error(err)
							return
						}
						for _, e := range page.Events {
							if e.Kind == domain.EvTicketIssued {
								r.got[e.ID]++
							}
						}
						cursor = page.Cursor
						if !page.More && last {
							return
						}
						last = finished && !page.More
					}
				}()
			}
			writers.Wait()
			done.Store(true)
			rg.Wait()
			total := 0
			for _, r := range readers {
				want := windows * batches * per
				if r.name == "all offices" {
					want *= offices
				}
				for id, n := range r.got {
					if n != 1 {
						t.Errorf("%s: event %s read %d times", r.name, id, n)
					}
				}
				if len(r.got) != want {
					t.Errorf("%s: read %d events, want %d (a reader skipped some)", r.name, len(r.got), want)
				}
				total += len(r.got)
			}
			t.Logf("%d events read by %d readers", total, len(readers))
		})
	}
}
