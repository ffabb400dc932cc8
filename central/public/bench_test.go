package public_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/central/httpapi"
	"github.com/okno-mfc/okno/domain"
)

// The hall's figures (issue 14), on SQLite (and PostgreSQL with
// OKNO_TEST_POSTGRES):
//
//   - BenchmarkCallToBoard: 50 boards hold /hall/IRK/events open; a window
//     calls a ticket (POST /v1/events); the time until each board has the
//     call as its newest, p50 and p95 over every board and call. The
//     baseline (…Baseline) is the same with 50 supervisors on the
//     authenticated queue stream (/v1/offices/IRK/queue/stream), the
//     central's existing live view, seeing the ticket at the window.
//   - BenchmarkKioskTickets: 20 kiosks taking tickets at once (POST
//     /v1/public/offices/IRK/tickets), tickets a second. The baseline is
//     20 windows issuing walk-in tickets at once, each pushing its signed
//     ticket.issued (POST /v1/events, one event a batch).

const benchBoards = 50

func benchServer(b *testing.B, kind centraltest.Option) *centraltest.Server {
	srv := centraltest.Start(b, kind, centraltest.Config(func(c *httpapi.Config) {
		c.PagesPerSecond, c.PagesBurst, c.TicketsPerMinute = 1e6, 1e6, 1e8
		c.RequestsPerSecond, c.RequestBurst = 1e6, 1e6
	}))
	if err := srv.Store.PutOffice(context.Background(), office); err != nil {
		b.Fatal(err)
	}
	return srv
}

// watcher reads an event stream and signals each data line holding want.
type watcher struct {
	mu   sync.Mutex
	want string
	seen chan time.Time
}

func watch(b *testing.B, ctx context.Context, url, token string, ready *sync.WaitGroup) *watcher {
	w := &watcher{seen: make(chan time.Time, 16)}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req) //nolint:bodyclose // the reader below closes it
	if err != nil {
		b.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		b.Fatalf("%s: %d", url, resp.StatusCode)
	}
	go func() {
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		first := true
		for sc.Scan() {
			line := sc.Bytes()
			if !bytes.HasPrefix(line, []byte("data: ")) {
				continue
			}
			if first {
				first = false
				ready.Done()
			}
			w.mu.Lock()
			want := w.want
			w.mu.Unlock()
			if want != "" && bytes.Contains(line, []byte(want)) {
				w.mu.Lock()
				if w.want == want {
					w.want = ""
					w.seen <- time.Now()
				}
				w.mu.Unlock()
			}
		}
	}()
	return w
}

func (w *watcher) expect(s string) {
	w.mu.Lock()
	w.want = s
	w.mu.Unlock()
}

func BenchmarkCallToBoard(b *testing.B) {
	forKinds(b, func(b *testing.B, kind centraltest.Option) {
		callToBoard(b, kind, "/hall/IRK/events", false, func(number string) string { return `"calls":[{"number":"` + number + `"` })
	}, func(b *testing.B, kind centraltest.Option) {
		callToBoard(b, kind, "/v1/offices/IRK/queue/stream", true, func(number string) string { return `"ticket":"` + number + `"` })
	})
}

// forKinds runs f and its baseline on each store, named as
// scripts/benchratio pairs them (sqlite, sqliteBaseline).
func forKinds(b *testing.B, f, baseline func(*testing.B, centraltest.Option)) {
	for _, kind := range centraltest.Kinds() {
		b.Run(kind, func(b *testing.B) { f(b, centraltest.Kind(b, kind)) })
		b.Run(kind+"Baseline", func(b *testing.B) { baseline(b, centraltest.Kind(b, kind)) })
	}
}

func callToBoard(b *testing.B, kind centraltest.Option, path string, auth bool, marker func(string) string) {
	srv := benchServer(b, kind)
	ws := srv.Enrol(b, "IRK", 3)
	cl := srv.Client(b, ws.Token)
	ch := centraltest.NewChain("IRK", 3)
	push := func(evs ...domain.Event) {
		res, err := cl.PushEvents(context.Background(), evs)
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range res.Results {
			if r.Status != api.IngestAccepted {
				b.Fatalf("push: %+v", r)
			}
		}
	}
	token := ""
	if auth {
		token = srv.Session(b, "sup", domain.RoleSupervisor, "IRK", 0)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var ready sync.WaitGroup
	ready.Add(benchBoards)
	boards := make([]*watcher, benchBoards)
	for i := range boards {
		boards[i] = watch(b, ctx, srv.URL+path, token, &ready)
	}
	ready.Wait()
	var lat []time.Duration
	prev := ""
	b.ResetTimer()
	for range b.N {
		iss, id := ch.Issue("advertising_permit", "")
		var evs []domain.Event
		if prev != "" {
			evs = append(evs, ch.Move(domain.EvTicketServed, prev))
		}
		push(append(evs, iss)...)
		number := numberOf(nil, iss)
		for _, w := range boards {
			w.expect(marker(number))
		}
		start := time.Now()
		push(ch.Move(domain.EvTicketCalled, id))
		for _, w := range boards {
			select {
			case at := <-w.seen:
				lat = append(lat, at.Sub(start))
			case <-time.After(10 * time.Second):
				b.Fatalf("a board never saw %s", number)
			}
		}
		prev = id
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "p95-ms")
}

const benchKiosks = 20

func BenchmarkKioskTickets(b *testing.B) { forKinds(b, kioskTickets, walkInTickets) }

func kioskTickets(b *testing.B, kind centraltest.Option) {
	{
		srv := benchServer(b, kind)
		hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: benchKiosks}}
		per := max(1, b.N/benchKiosks)
		b.ResetTimer()
		start := time.Now()
		var wg sync.WaitGroup
		for range benchKiosks {
			wg.Go(func() {
				for range per {
					resp, err := hc.Post(srv.URL+"/v1/public/offices/IRK/tickets", "application/json", strings.NewReader(`{"service":"advertising_permit"}`))
					if err != nil {
						b.Error(err)
						return
					}
					resp.Body.Close()
					if resp.StatusCode != http.StatusCreated {
						b.Errorf("ticket: %d", resp.StatusCode)
						return
					}
				}
			})
		}
		wg.Wait()
		b.StopTimer()
		b.ReportMetric(float64(per*benchKiosks)/time.Since(start).Seconds(), "tickets/s")
	}
}

func walkInTickets(b *testing.B, kind centraltest.Option) {
	{
		srv := benchServer(b, kind)
		per := max(1, b.N/benchKiosks)
		clients := make([]func(domain.Event) error, benchKiosks)
		loads := make([][]domain.Event, benchKiosks)
		for w := range benchKiosks {
			ws := srv.Enrol(b, "IRK", w+1)
			cl := srv.Client(b, ws.Token)
			ch := centraltest.NewChain("IRK", w+1)
			for range per {
				iss, _ := ch.Issue("advertising_permit", "")
				loads[w] = append(loads[w], iss)
			}
			clients[w] = func(e domain.Event) error {
				res, err := cl.PushEvents(context.Background(), []domain.Event{e})
				if err == nil && res.Results[0].Status != api.IngestAccepted {
					err = fmt.Errorf("push: %+v", res.Results[0])
				}
				return err
			}
		}
		b.ResetTimer()
		start := time.Now()
		var wg sync.WaitGroup
		for w := range benchKiosks {
			wg.Go(func() {
				for _, e := range loads[w] {
					if err := clients[w](e); err != nil {
						b.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
		b.StopTimer()
		b.ReportMetric(float64(per*benchKiosks)/time.Since(start).Seconds(), "tickets/s")
	}
}
