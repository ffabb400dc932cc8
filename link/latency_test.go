package link

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/client"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/internal/passwd"
	"github.com/okno-mfc/okno/localdb"
)

// BenchmarkLiveLatency (issue 17, item 7): 200 supervisors follow an
// office's queue stream while its 100 windows each issue a new ticket once
// a second (and call and serve the one they issued two seconds before).
// Latency runs from the clerk's commit at the workstation to the moment a
// supervisor's stream delivers a snapshot holding the ticket. liveReal of
// the windows are real workstations: a local store the clerk's ticket is
// committed to (the clock starts when IssueTicket returns) and its link
// (Link.Run) pushing it, as at an office; the other windows push signed
// batches of the same events straight to the central (their load on the
// central is the same; the 2-core machine cannot also run a hundred
// workstations' local databases and feed pulls). The workstations' stores
// do not fsync here: their commit is before the clock starts. On a SQLite
// central, and (OKNO_TEST_POSTGRES and haproxy) on the three-replica
// cluster behind HAProxy, the supervisors spread over the replicas by the
// balancer. The baseline is one supervisor and one real window on SQLite.
// The goal: p95 ≤ 500 ms.
func BenchmarkLiveLatency(b *testing.B) {
	sqlite := func(b *testing.B) liveTarget {
		srv := centraltest.Start(b)
		return liveTarget{url: srv.URL,
			enrol: func(b *testing.B, office string, w int) (Credential, string) {
				ws := srv.Enrol(b, office, w)
				return Credential{Central: srv.URL, Office: office, Window: w, Login: ws.Login, Secret: ws.Secret}, ws.Token
			},
			session: func(b *testing.B, login, office string) string {
				return srv.Session(b, login, domain.RoleSupervisor, office, 0)
			}}
	}
	b.Run("sqlite", func(b *testing.B) { liveLatency(b, sqlite(b), 200, 100) })
	b.Run("sqliteBaseline", func(b *testing.B) { liveLatency(b, sqlite(b), 1, 1) })
	// The cluster, started once for both of its runs (offices differ).
	parent := b
	var cl *cluster
	clusterOf := func(b *testing.B) liveTarget {
		pg := os.Getenv(centraltest.EnvPostgres)
		if pg == "" {
			b.Skipf("%s is not set", centraltest.EnvPostgres)
		}
		if _, err := exec.LookPath("haproxy"); err != nil {
			b.Skip("no haproxy: make cluster installs it")
		}
		if cl == nil {
			cl = startCluster(parent, pg) // stopped when both runs are done
		}
		ctx := context.Background()
		return liveTarget{url: cl.url,
			enrol: func(b *testing.B, office string, w int) (Credential, string) {
				ws, err := cl.st.Enrol(ctx, api.EnrolRequest{Office: office, Window: w, PublicKey: PublicKey(centraltest.KeyFor(office, w))})
				if err != nil {
					b.Fatal(err)
				}
				tok, _, err := cl.st.CreateSession(ctx, domain.Operator{Login: ws.Login, Role: domain.RoleWorkstation, Office: office, Window: w})
				if err != nil {
					b.Fatal(err)
				}
				return Credential{Central: cl.url, Office: office, Window: w, Login: ws.Login, Secret: ws.Token}, tok
			},
			session: func(b *testing.B, login, office string) string {
				// A supervisor is a user of the office, as at a real
				// office (and what makes the office known to the
				// central before any window enrols: a stream of an
				// office it knows nothing of is a 404).
				login = strings.ToLower(office) + "-" + login
				err := cl.st.AddUser(ctx, store.User{Login: login, Name: login, Role: domain.RoleSupervisor, Office: office}, centraltest.Password(login))
				if err != nil && !errors.Is(err, store.ErrExists) {
					b.Fatal(err)
				}
				tok, _, err := cl.st.CreateSession(ctx, domain.Operator{Login: login, Role: domain.RoleSupervisor, Office: office})
				if err != nil {
					b.Fatal(err)
				}
				return tok
			}}
	}
	b.Run("cluster", func(b *testing.B) { liveLatency(b, clusterOf(b), 200, 100) })
	b.Run("clusterBaseline", func(b *testing.B) { liveLatency(b, clusterOf(b), 1, 1) })
}

type liveTarget struct {
	url     string
	enrol   func(b *testing.B, office string, window int) (cred Credential, bearer string)
	session func(b *testing.B, login, office string) string
}

// liveOffices numbers the offices of the runs (one cluster serves two).
var liveOffices atomic.Int64

// liveReal is how many of the windows are real workstations (a local
// store and its link); the rest push straight to the central.
const liveReal = 10

func liveLatency(b *testing.B, tg liveTarget, supervisors, windows int) {
	const warmup, rounds, pace = 2, 6, time.Second
	var lat, pushLat []time.Duration      // from the clerk's commit (real windows), from the push (the others)
	var sameLat, crossLat []time.Duration // pushLat by the supervisor's replica: the committing one, another
	var rtts []time.Duration              // the pushes' round trips: how much of push→stream is the push itself
	var missed int64
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		office := fmt.Sprintf("LAT%d", liveOffices.Add(1))
		ctx, cancel := context.WithCancel(context.Background())
		var sent sync.Map // ticket id → *liveTicket
		var ready sync.WaitGroup
		var wg sync.WaitGroup
		var refused atomic.Pointer[error]
		supAt := make([]atomic.Pointer[string], supervisors) // the replica each supervisor's stream is on
		for s := range supervisors {
			tap := newReplicaTap()
			c, _ := client.New(tg.url, client.WithToken(tg.session(b, fmt.Sprintf("sup%d", s), office)), client.WithTransport(tap))
			ready.Add(1)
			wg.Add(1)
			go func() {
				defer wg.Done()
				first := true
				for ctx.Err() == nil {
					err := c.QueueStream(ctx, office, func(snap api.QueueSnapshot) error {
						if first {
							first = false
							ready.Done()
						}
						supAt[s].Store(tap.last.Load())
						now := time.Now().UnixNano()
						for _, q := range snap.Waiting {
							if v, ok := sent.Load(q.ID); ok {
								v.(*liveTicket).seen[s].CompareAndSwap(0, now)
							}
						}
						return nil
					})
					// A refusal is the benchmark's fault (or the
					// central's): say so rather than ask again forever.
					if ae := (*client.APIError)(nil); errors.As(err, &ae) {
						refused.CompareAndSwap(nil, &err)
						if first {
							first = false
							ready.Done()
						}
						return
					}
					select { // a lost stream: again, as WatchQueue would
					case <-ctx.Done():
					case <-time.After(100 * time.Millisecond):
					}
				}
			}()
		}
		if !waitTimeout(&ready, time.Minute) {
			cancel()
			b.Fatalf("%d supervisors: some have had no first snapshot for a minute", supervisors)
		}
		if err := refused.Load(); err != nil {
			cancel()
			wg.Wait()
			b.Fatalf("a supervisor's stream was refused: %v", *err)
		}
		var tickets []*liveTicket
		var mu sync.Mutex
		var pushers sync.WaitGroup
		start := time.Now()
		record := func(t *liveTicket, id string) {
			if t == nil {
				return
			}
			mu.Lock()
			tickets = append(tickets, t)
			mu.Unlock()
			sent.Store(id, t)
		}
		for w := 1; w <= windows; w++ {
			cred, bearer := tg.enrol(b, office, w)
			if w <= min(liveReal, windows) {
				st := liveStation(b, ctx, cred)
				pushers.Add(1)
				go func() {
					defer pushers.Done()
					svc := st.Catalog().Services[0].Code
					var open []string
					begin := start.Add(time.Duration(w-1) * pace / time.Duration(windows))
					for r := range warmup + rounds + 2 {
						time.Sleep(time.Until(begin.Add(time.Duration(r) * pace)))
						if len(open) >= 2 {
							if _, err := st.CallNext(ctx, "anna", nil); err != nil {
								b.Errorf("window %d: call: %v", w, err)
								return
							}
							if _, err := st.Move(ctx, "anna", open[0], domain.EvTicketServed); err != nil {
								b.Errorf("window %d: serve: %v", w, err)
								return
							}
							open = open[1:]
						}
						if r < warmup+rounds {
							tk, err := st.IssueTicket(ctx, "anna", svc, "", "")
							committed := time.Now().UnixNano() // the clerk's commit
							if err != nil {
								b.Errorf("window %d: issue: %v", w, err)
								return
							}
							open = append(open, tk.ID)
							if r >= warmup {
								record(&liveTicket{start: committed, seen: make([]atomic.Int64, supervisors)}, tk.ID)
							}
						}
					}
				}()
				continue
			}
			tap := newReplicaTap()
			c, _ := client.New(tg.url, client.WithToken(bearer), client.WithTransport(tap))
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
					var tk *liveTicket
					if len(open) >= 2 {
						evs = append(evs, ch.Move(domain.EvTicketCalled, open[0]), ch.Move(domain.EvTicketServed, open[0]))
						open = open[1:]
					}
					if r < warmup+rounds {
						e, id := ch.Issue("advertising_permit", "")
						evs = append(evs, e)
						open = append(open, id)
						if r >= warmup {
							// The clock starts as the push does.
							tk = &liveTicket{start: time.Now().UnixNano(), pushed: true, seen: make([]atomic.Int64, supervisors)}
							record(tk, id)
						}
					}
					pushed := time.Now()
					if _, err := c.PushEvents(ctx, evs); err != nil {
						b.Errorf("window %d: %v", w, err)
						return
					}
					if tk != nil {
						tk.rtt = time.Since(pushed)
					}
					if tk != nil {
						tk.via.Store(tap.last.Load()) // the replica that committed it
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
			into := &lat
			if t.pushed {
				into = &pushLat
				rtts = append(rtts, t.rtt)
			}
			for s := range t.seen {
				d := 2 * pace
				if at := t.seen[s].Load(); at == 0 {
					missed++
				} else {
					d = time.Duration(at - t.start)
				}
				*into = append(*into, d)
				// Behind a balancer: was the supervisor's stream on the
				// replica that committed the ticket?
				if via, on := t.via.Load(), supAt[s].Load(); t.pushed && via != nil && on != nil && *via != "" && *on != "" {
					if *via == *on {
						sameLat = append(sameLat, d)
					} else {
						crossLat = append(crossLat, d)
					}
				}
			}
		}
		b.StartTimer()
	}
	slices.Sort(lat)
	slices.Sort(pushLat)
	slices.Sort(sameLat)
	slices.Sort(crossLat)
	slices.Sort(rtts)
	pct := func(lat []time.Duration, p float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(lat, 0.50), "p50-ms")
	b.ReportMetric(pct(lat, 0.95), "p95-ms")
	b.ReportMetric(pct(lat, 0.99), "p99-ms")
	b.ReportMetric(float64(missed), "missed")
	if len(pushLat) > 0 {
		b.ReportMetric(pct(pushLat, 0.95), "push-p95-ms")
		b.ReportMetric(pct(rtts, 0.95), "push-rtt-p95-ms")
		b.Logf("the pushes' round trips (push → answer): p50 %.0f ms, p95 %.0f ms", pct(rtts, 0.5), pct(rtts, 0.95))
	}
	b.Logf("%d supervisors, %d windows (%d real): commit→stream %d sightings, p50 %.0f ms, p95 %.0f ms; push→stream %d sightings, p50 %.0f ms, p95 %.0f ms; %d missed",
		supervisors, windows, min(liveReal, windows), len(lat), pct(lat, 0.5), pct(lat, 0.95), len(pushLat), pct(pushLat, 0.5), pct(pushLat, 0.95), missed)
	if len(crossLat) > 0 {
		// Issue 17, item 3: a supervisor on replica B sees a commit made
		// through replica A within the same goal.
		b.ReportMetric(pct(sameLat, 0.95), "same-replica-p95-ms")
		b.ReportMetric(pct(crossLat, 0.95), "cross-replica-p95-ms")
		b.Logf("push→stream by the supervisor's replica: the committing one %d sightings, p50 %.0f ms, p95 %.0f ms; another %d sightings, p50 %.0f ms, p95 %.0f ms",
			len(sameLat), pct(sameLat, 0.5), pct(sameLat, 0.95), len(crossLat), pct(crossLat, 0.5), pct(crossLat, 0.95))
	}
}

// liveStation is a real workstation of cred's window: a local store
// (no fsync: the clerk's commit is before the clock starts) signing with
// the window's test key, and its link running until ctx ends.
func liveStation(b *testing.B, ctx context.Context, cred Credential) *localdb.Store {
	b.Helper()
	st, err := localdb.Open(ctx, filepath.Join(b.TempDir(), "okno.db"), localdb.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	if err := st.Init(ctx, cred.Office, cred.Window); err != nil {
		b.Fatal(err)
	}
	st.SetSigner(KeySigner{Key: centraltest.KeyFor(cred.Office, cred.Window)})
	cl, err := client.New(cred.Central, client.WithTimeout(30*time.Second))
	if err != nil {
		b.Fatal(err)
	}
	l := New(Config{Store: st, Client: cl, Cred: cred, Hash: passwd.Fast})
	done := make(chan struct{})
	go func() { defer close(done); l.Run(ctx) }()
	b.Cleanup(func() { <-done; st.Close() })
	return st
}

// waitTimeout waits for wg, at most d; false if it did not end by then.
func waitTimeout(wg *sync.WaitGroup, d time.Duration) bool {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
		return true
	case <-time.After(d):
		return false
	}
}

type liveTicket struct {
	start  int64
	pushed bool                   // the clock started at the push (not a real window)
	rtt    time.Duration          // the push's round trip (pushed only)
	via    atomic.Pointer[string] // the replica whose answer to the push said so (X-Okno-Replica)
	seen   []atomic.Int64
}

// replicaTap is an HTTP transport of its own (as client.New makes one
// per client) that remembers the X-Okno-Replica header of the last
// answer: the balancer of make cluster names the replica that served it.
type replicaTap struct {
	rt   http.RoundTripper
	last atomic.Pointer[string]
}

func newReplicaTap() *replicaTap {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 16 // as client.New's
	t := &replicaTap{rt: tr}
	t.last.Store(new(string))
	return t
}

func (t *replicaTap) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.rt.RoundTrip(r)
	if err == nil {
		v := resp.Header.Get("X-Okno-Replica")
		t.last.Store(&v)
	}
	return resp, err
}
