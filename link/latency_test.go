package link

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/client"
	"github.com/okno-mfc/okno/domain"
)

// BenchmarkLiveLatency (issue 17): 200 supervisors follow an office's
// queue stream while its 100 windows each push a new ticket once a
// second (and call and serve the one they issued two seconds before);
// latency runs from the moment a window starts its push (the clerk's
// commit is a moment before: the link pushes on commit) to the moment a
// supervisor's stream delivers a snapshot holding the ticket. On a SQLite
// central, and (OKNO_TEST_POSTGRES and haproxy) on the three-replica
// cluster behind HAProxy, the supervisors spread over the replicas by the
// balancer. The baseline is one supervisor and one window on SQLite.
// The goal: p95 ≤ 500 ms.
func BenchmarkLiveLatency(b *testing.B) {
	sqlite := func(b *testing.B) liveTarget {
		srv := centraltest.Start(b)
		return liveTarget{url: srv.URL,
			enrol:   func(office string, w int) string { return srv.Enrol(b, office, w).Token },
			session: func(login, office string) string { return srv.Session(b, login, domain.RoleSupervisor, office, 0) }}
	}
	b.Run("sqlite", func(b *testing.B) { liveLatency(b, sqlite(b), 200, 100) })
	b.Run("sqliteBaseline", func(b *testing.B) { liveLatency(b, sqlite(b), 1, 1) })
	b.Run("cluster", func(b *testing.B) {
		pg := os.Getenv(centraltest.EnvPostgres)
		if pg == "" {
			b.Skipf("%s is not set", centraltest.EnvPostgres)
		}
		if _, err := exec.LookPath("haproxy"); err != nil {
			b.Skip("no haproxy: make cluster installs it")
		}
		cl := startCluster(b, pg)
		ctx := context.Background()
		liveLatency(b, liveTarget{url: cl.url,
			enrol: func(office string, w int) string {
				ws, err := cl.st.Enrol(ctx, api.EnrolRequest{Office: office, Window: w, PublicKey: PublicKey(centraltest.KeyFor(office, w))})
				if err != nil {
					b.Fatal(err)
				}
				return ws.Token
			},
			session: func(login, office string) string {
				tok, _, err := cl.st.CreateSession(ctx, domain.Operator{Login: login, Role: domain.RoleSupervisor, Office: office})
				if err != nil {
					b.Fatal(err)
				}
				return tok
			}}, 200, 100)
	})
}

type liveTarget struct {
	url     string
	enrol   func(office string, window int) string
	session func(login, office string) string
}

func liveLatency(b *testing.B, tg liveTarget, supervisors, windows int) {
	const warmup, rounds, pace = 2, 6, time.Second
	var lat []time.Duration
	var missed int64
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		office := fmt.Sprintf("LAT%d", i)
		ctx, cancel := context.WithCancel(context.Background())
		var sent sync.Map // ticket id → *liveTicket
		var ready sync.WaitGroup
		var wg sync.WaitGroup
		for s := range supervisors {
			c, _ := client.New(tg.url, client.WithToken(tg.session(fmt.Sprintf("sup%d", s), office)))
			ready.Add(1)
			wg.Add(1)
			go func() {
				defer wg.Done()
				first := true
				for ctx.Err() == nil {
					c.QueueStream(ctx, office, func(snap api.QueueSnapshot) error {
						if first {
							first = false
							ready.Done()
						}
						now := time.Now().UnixNano()
						for _, q := range snap.Waiting {
							if v, ok := sent.Load(q.ID); ok {
								v.(*liveTicket).seen[s].CompareAndSwap(0, now)
							}
						}
						return nil
					})
				}
			}()
		}
		ready.Wait()
		var tickets []*liveTicket
		var mu sync.Mutex
		var pushers sync.WaitGroup
		start := time.Now()
		for w := 1; w <= windows; w++ {
			c, _ := client.New(tg.url, client.WithToken(tg.enrol(office, w)))
			pushers.Add(1)
			go func() {
				defer pushers.Done()
				ch := centraltest.NewChain(office, w)
				ch.At = time.Now().UTC()
				var open []string
				begin := start.Add(time.Duration(w-1) * pace / time.Duration(windows))
				for r := range warmup + rounds + 2 {
					time.Sleep(time.Until(begin.Add(time.Duration(r) * pace)))
					var evs []domain.Event
					if len(open) >= 2 {
						evs = append(evs, ch.Move(domain.EvTicketCalled, open[0]), ch.Move(domain.EvTicketServed, open[0]))
						open = open[1:]
					}
					var t *liveTicket
					if r < warmup+rounds {
						e, id := ch.Issue("advertising_permit", "")
						evs = append(evs, e)
						open = append(open, id)
						if r >= warmup {
							t = &liveTicket{seen: make([]atomic.Int64, supervisors)}
							mu.Lock()
							tickets = append(tickets, t)
							mu.Unlock()
							t.start = time.Now().UnixNano()
							sent.Store(id, t)
						}
					}
					if _, err := c.PushEvents(ctx, evs); err != nil {
						b.Errorf("window %d: %v", w, err)
						return
					}
				}
			}()
		}
		b.StartTimer()
		pushers.Wait()
		b.StopTimer()
		cancel()
		wg.Wait()
		for _, t := range tickets {
			for s := range t.seen {
				at := t.seen[s].Load()
				if at == 0 {
					missed++
					lat = append(lat, 2*pace)
					continue
				}
				lat = append(lat, time.Duration(at-t.start))
			}
		}
		b.StartTimer()
	}
	slices.Sort(lat)
	pct := func(p float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(missed), "missed")
	b.Logf("%d supervisors, %d windows: %d sightings, push→stream p50 %.0f ms, p95 %.0f ms, %d missed", supervisors, windows, len(lat), pct(0.5), pct(0.95), missed)
}

type liveTicket struct {
	start int64
	seen  []atomic.Int64
}
