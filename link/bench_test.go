package link

import (
	"context"
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/client"
	"github.com/okno-mfc/okno/internal/faultproxy"
	"github.com/okno-mfc/okno/internal/passwd"
	"github.com/okno-mfc/okno/internal/seed"
	"github.com/okno-mfc/okno/localdb"
)

const backlogEvents = 50_000

// backlogFixture returns a copy of a workstation folder holding a backlog
// of about 50,000 unsent events (built once, cached in the temp folder),
// with its signing key.
func backlogFixture(b *testing.B) string {
	b.Helper()
	ctx := context.Background()
	cache := filepath.Join(os.TempDir(), "okno-bench-backlog-v1")
	if _, err := os.Stat(filepath.Join(cache, "done")); err != nil {
		os.RemoveAll(cache)
		st, err := localdb.Open(ctx, filepath.Join(cache, "okno.db"), localdb.Options{NoSync: true})
		if err != nil {
			b.Fatal(err)
		}
		if err := st.Init(ctx, "IRK", 9); err != nil {
			b.Fatal(err)
		}
		key, err := LoadOrCreateKey(cache)
		if err != nil {
			b.Fatal(err)
		}
		st.SetSigner(KeySigner{Key: key})
		r, g := rand.New(rand.NewPCG(9, 9)), seed.New(9)
		for {
			ob, _ := st.Outbox(ctx)
			if ob.Pending >= backlogEvents {
				break
			}
			work(b, st, g, r, 50)
		}
		st.Close()
		os.WriteFile(filepath.Join(cache, "done"), nil, 0o600)
	}
	dir := b.TempDir()
	for _, f := range []string{"okno.db", KeyFile} {
		data, err := os.ReadFile(filepath.Join(cache, f))
		if err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), data, 0o600); err != nil {
			b.Fatal(err)
		}
	}
	return dir
}

// backlogStation opens a copy of the backlog enrolled at a fresh central,
// through a proxy.
func backlogStation(b *testing.B) (*liveCentral, *localdb.Store, *Link, *faultproxy.Proxy) {
	b.Helper()
	ctx := context.Background()
	dir := backlogFixture(b)
	c := startCentral(b, filepath.Join(b.TempDir(), "central.db"))
	st, err := localdb.Open(ctx, filepath.Join(dir, "okno.db"), localdb.Options{})
	if err != nil {
		b.Fatal(err)
	}
	key, err := LoadOrCreateKey(dir)
	if err != nil {
		b.Fatal(err)
	}
	ws, err := c.st.Enrol(ctx, api.EnrolRequest{Office: "IRK", Window: 9, PublicKey: PublicKey(key)})
	if err != nil {
		b.Fatal(err)
	}
	p, err := faultproxy.Start(c.addr())
	if err != nil {
		b.Fatal(err)
	}
	cl, _ := client.New("http://"+p.Addr(), client.WithTimeout(30*time.Second))
	l := New(Config{Store: st, Client: cl, Cred: Credential{Office: "IRK", Window: 9, Login: ws.Login, Secret: ws.Token}, Hash: passwd.Fast})
	b.Cleanup(func() { p.Close(); st.Close(); c.stop() })
	return c, st, l, p
}

// BenchmarkBacklog pushes a 50,000-event backlog over loopback to a SQLite
// central (batches of DefaultBatch, two on the wire) and reports
// events/s; the baseline sends the same batches to a bare HTTP handler that
// only decodes them. "cut" cuts every connection once mid-sync and reports
// how many events had to be sent again.
func BenchmarkBacklog(b *testing.B) {
	b.Run("push", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			_, st, l, _ := backlogStation(b)
			ob, _ := st.Outbox(context.Background())
			b.StartTimer()
			start := time.Now()
			sum, err := l.SyncOnce(context.Background())
			if err != nil || sum.Left != 0 || sum.Sent != ob.Pending {
				b.Fatalf("push: %+v %v (had %d)", sum, err, ob.Pending)
			}
			b.ReportMetric(float64(sum.Sent)/time.Since(start).Seconds(), "events/s")
		}
	})
	b.Run("pushBaseline", func(b *testing.B) {
		bare := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var req api.IngestRequest
			if err := json.NewDecoder(io.LimitReader(r.Body, 64<<20)).Decode(&req); err != nil {
				http.Error(w, err.Error(), 400)
				return
			}
			resp := api.IngestResponse{Results: make([]api.IngestResult, len(req.Events))}
			for i, ev := range req.Events {
				resp.Results[i] = api.IngestResult{ID: ev.ID, Status: api.IngestAccepted}
			}
			json.NewEncoder(w).Encode(resp)
		}))
		defer bare.Close()
		for b.Loop() {
			b.StopTimer()
			_, st, _, _ := backlogStation(b)
			evs, _ := st.Pending(context.Background(), backlogEvents*2)
			cl, _ := client.New(bare.URL, client.WithToken("x"))
			b.StartTimer()
			start := time.Now()
			for i := 0; i < len(evs); i += DefaultBatch {
				if _, err := cl.PushEvents(context.Background(), evs[i:min(i+DefaultBatch, len(evs))]); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(evs))/time.Since(start).Seconds(), "events/s")
		}
	})
	b.Run("cut", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			c, st, l, p := backlogStation(b)
			b.StartTimer()
			go func() {
				// Cut the line when about half the backlog is across.
				for {
					ob, _ := st.Outbox(context.Background())
					if ob.Sent >= backlogEvents/2 {
						p.CutAll()
						return
					}
					time.Sleep(2 * time.Millisecond)
				}
			}()
			var sum Summary
			var err error
			for i := 0; i < 5; i++ {
				if sum, err = l.SyncOnce(context.Background()); err == nil && sum.Left == 0 {
					break
				}
			}
			if sum.Left != 0 {
				b.Fatalf("not drained after the cut: %+v %v", sum, err)
			}
			b.ReportMetric(float64(c.ingested(b, "duplicate")), "resent-events")
			b.ReportMetric(float64(l.cfg.Batch), "batch")
		}
	})
}
