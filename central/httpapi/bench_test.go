package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/domain"
)

// The ingest benchmark: benchWindows workstations push batches of
// benchBatch events each, concurrently, over loopback HTTP, to the real
// handler over a SQLite file (BenchmarkIngest) and to a bare net/http JSON
// handler that decodes the batch and answers without other work
// (BenchmarkIngestBaseline). Both report events/s; b.N counts events (at
// least 30,000 are sent).

const (
	benchWindows = 100
	benchBatch   = 100
)

// benchLoad makes the request bodies of each window: its events in seq
// order, a realistic mix (a ticket, a visitor, a case with its documents).
func benchLoad(b *testing.B, events int) [][][]byte {
	b.Helper()
	batches := max(1, (events+benchBatch-1)/benchBatch)
	// At least three batches a window, so `-benchtime 1x` (make bench)
	// still measures a steady load: 30,000 events.
	perWindow := max(3, (batches+benchWindows-1)/benchWindows)
	out := make([][][]byte, benchWindows)
	for w := range benchWindows {
		ch := centraltest.NewChain("BEN", w+1)
		var evs []domain.Event
		for len(evs) < perWindow*benchBatch {
			iss, tid := ch.Issue("advertising_permit", "")
			reg, vid := ch.Register()
			open, cid := ch.Open(vid, "advertising_permit")
			evs = append(evs, iss, ch.Move(domain.EvTicketCalled, tid), reg, open)
			for _, doc := range []string{"application", "passport", "power_of_attorney", "site_plan"} {
				evs = append(evs, ch.Next(domain.EvDocumentChecked, domain.DocumentPayload{Doc: doc, Presented: true, Form: domain.FormOriginal, Count: 1}, centraltest.CaseOf(cid)))
			}
			evs = append(evs, ch.HandOff(cid), ch.Move(domain.EvTicketServed, tid))
		}
		for i := 0; i < perWindow; i++ {
			body, err := json.Marshal(api.IngestRequest{Events: evs[i*benchBatch : (i+1)*benchBatch]})
			if err != nil {
				b.Fatal(err)
			}
			out[w] = append(out[w], body)
		}
	}
	return out
}

// pushLoad sends every window's bodies, windows in parallel, each in order.
func pushLoad(b *testing.B, url string, tokens []string, load [][][]byte) int {
	b.Helper()
	tr := &http.Transport{MaxIdleConnsPerHost: benchWindows, MaxConnsPerHost: benchWindows}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: 60 * time.Second}
	var wg sync.WaitGroup
	var mu sync.Mutex
	events, failed := 0, error(nil)
	for w := range load {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, body := range load[w] {
				req, _ := http.NewRequest(http.MethodPost, url+"/v1/events", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+tokens[w])
				resp, err := hc.Do(req)
				if err != nil {
					mu.Lock()
					failed = err
					mu.Unlock()
					return
				}
				var ir api.IngestResponse
				err = json.NewDecoder(resp.Body).Decode(&ir)
				resp.Body.Close()
				mu.Lock()
				if err == nil && resp.StatusCode != http.StatusOK {
					err = fmt.Errorf("status %d", resp.StatusCode)
				}
				for _, r := range ir.Results {
					if r.Status == api.IngestAccepted {
						events++
					} else if failed == nil {
						failed = fmt.Errorf("event %s: %s %s", r.ID, r.Status, r.Reason)
					}
				}
				if err != nil {
					failed = err
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if failed != nil {
		b.Fatal(failed)
	}
	return events
}

func BenchmarkIngest(b *testing.B) {
	srv := centraltest.Start(b)
	tokens := make([]string, benchWindows)
	for w := range tokens {
		tokens[w] = srv.Enrol(b, "BEN", w+1).Token
	}
	load := benchLoad(b, b.N)
	b.ResetTimer()
	start := time.Now()
	n := pushLoad(b, srv.URL, tokens, load)
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "events/s")
}

func BenchmarkIngestBaseline(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req api.IngestRequest
		dec := json.NewDecoder(io.LimitReader(r.Body, 8<<20))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		res := api.IngestResponse{Results: make([]api.IngestResult, len(req.Events))}
		for i, e := range req.Events {
			res.Results[i] = api.IngestResult{ID: e.ID, Status: api.IngestAccepted}
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(res)
	}))
	defer srv.Close()
	tokens := make([]string, benchWindows)
	load := benchLoad(b, b.N)
	b.ResetTimer()
	start := time.Now()
	n := pushLoad(b, srv.URL, tokens, load)
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "events/s")
}
