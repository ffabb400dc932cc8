package httpapi

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/ingest"
	"github.com/okno-mfc/okno/central/store"
)

// metrics are the server's counters, written in the Prometheus text format
// by hand (no client library): requests by route and status, a latency
// histogram by route, and at scrape time the ingest's answers by result
// (package ingest counts them) and the queue lengths by office.
type metrics struct {
	mu       sync.Mutex
	requests map[reqKey]uint64
	latency  map[string]*histogram
	streams  int64
}

type reqKey struct {
	route  string
	status int
}

var latencyBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

type histogram struct {
	counts []uint64 // per bucket, not cumulative
	sum    float64
	n      uint64
}

func newMetrics() *metrics {
	return &metrics{requests: map[reqKey]uint64{}, latency: map[string]*histogram{}}
}

func (m *metrics) request(route string, status int, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[reqKey{route, status}]++
	h := m.latency[route]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(latencyBuckets))}
		m.latency[route] = h
	}
	s := d.Seconds()
	for i, le := range latencyBuckets {
		if s <= le {
			h.counts[i]++
			break
		}
	}
	h.sum += s
	h.n++
}

func (m *metrics) stream(delta int64) {
	m.mu.Lock()
	m.streams += delta
	m.mu.Unlock()
}

// write renders the counters, the ingest's answers and the queue lengths
// from the store.
func (m *metrics) write(ctx context.Context, w io.Writer, st *store.Store, in ingest.Stats) error {
	m.mu.Lock()
	keys := make([]reqKey, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].route != keys[j].route {
			return keys[i].route < keys[j].route
		}
		return keys[i].status < keys[j].status
	})
	fmt.Fprintln(w, "# HELP okno_http_requests_total HTTP requests by route pattern and status.")
	fmt.Fprintln(w, "# TYPE okno_http_requests_total counter")
	for _, k := range keys {
		fmt.Fprintf(w, "okno_http_requests_total{route=%s,code=\"%d\"} %d\n", strconv.Quote(k.route), k.status, m.requests[k])
	}
	routes := make([]string, 0, len(m.latency))
	for r := range m.latency {
		routes = append(routes, r)
	}
	sort.Strings(routes)
	fmt.Fprintln(w, "# HELP okno_http_request_duration_seconds Time to answer, by route pattern.")
	fmt.Fprintln(w, "# TYPE okno_http_request_duration_seconds histogram")
	for _, r := range routes {
		h := m.latency[r]
		var cum uint64
		for i, le := range latencyBuckets {
			cum += h.counts[i]
			fmt.Fprintf(w, "okno_http_request_duration_seconds_bucket{route=%s,le=\"%g\"} %d\n", strconv.Quote(r), le, cum)
		}
		fmt.Fprintf(w, "okno_http_request_duration_seconds_bucket{route=%s,le=\"+Inf\"} %d\n", strconv.Quote(r), h.n)
		fmt.Fprintf(w, "okno_http_request_duration_seconds_sum{route=%s} %g\n", strconv.Quote(r), h.sum)
		fmt.Fprintf(w, "okno_http_request_duration_seconds_count{route=%s} %d\n", strconv.Quote(r), h.n)
	}
	fmt.Fprintln(w, "# HELP okno_ingest_events_total Events answered by POST /v1/events, by result.")
	fmt.Fprintln(w, "# TYPE okno_ingest_events_total counter")
	for _, status := range []api.IngestStatus{api.IngestAccepted, api.IngestDuplicate, api.IngestRejected, api.IngestRetry} {
		fmt.Fprintf(w, "okno_ingest_events_total{result=%q} %d\n", status, in.Answered[status])
	}
	fmt.Fprintln(w, "# HELP okno_ingest_quarantined_total Rejected events kept out of their window's chain (hash, signature, a seq taken).")
	fmt.Fprintln(w, "# TYPE okno_ingest_quarantined_total counter")
	fmt.Fprintf(w, "okno_ingest_quarantined_total %d\n", in.Quarantined)
	fmt.Fprintln(w, "# HELP okno_queue_streams Open queue streams (Server-Sent Events, and the SSH board's watches).")
	fmt.Fprintln(w, "# TYPE okno_queue_streams gauge")
	fmt.Fprintf(w, "okno_queue_streams %d\n", m.streams)
	m.mu.Unlock()

	lengths, err := st.QueueLengths(ctx)
	if err != nil {
		return err
	}
	offices := make([]string, 0, len(lengths))
	for o := range lengths {
		offices = append(offices, o)
	}
	sort.Strings(offices)
	fmt.Fprintln(w, "# HELP okno_queue_waiting Tickets waiting, by office.")
	fmt.Fprintln(w, "# TYPE okno_queue_waiting gauge")
	for _, o := range offices {
		fmt.Fprintf(w, "okno_queue_waiting{office=%q} %d\n", o, lengths[o])
	}
	return nil
}
