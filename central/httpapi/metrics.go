package httpapi

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"io"
	"runtime"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/common/expfmt"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/ingest"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/domain"
)

// metrics are the server's figures for Prometheus (client_golang), in a
// registry of the server's own (tests run many servers in one process):
// the Go runtime and the process (collectors), okno_build_info, requests
// by route and status, the time to answer by route — the queue streams
// apart, whose lifetimes are okno_queue_stream_duration_seconds —, and at
// scrape time the ingest's answers by result and the queue lengths by
// office.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	streams  prometheus.Gauge
	lifetime prometheus.Histogram
}

// streamRoute is the route whose requests last as long as the client
// listens: its lifetimes would swamp the latency histogram.
const streamRoute = "GET /v1/offices/{office}/queue/stream"

func newMetrics(version, storeKind string, in func() ingest.Stats, st *store.Store) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "okno_http_requests_total", Help: "HTTP requests by route pattern and status.",
		}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "okno_http_request_duration_seconds",
			Help:    "Time to answer, by route pattern (the queue stream apart: okno_queue_stream_duration_seconds).",
			Buckets: []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10},
		}, []string{"route"}),
		streams: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "okno_queue_streams", Help: "Open queue streams (Server-Sent Events, and the SSH board's watches).",
		}),
		lifetime: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "okno_queue_stream_duration_seconds",
			Help:    "How long queue streams stayed open, counted when they end.",
			Buckets: []float64{1, 10, 60, 300, 900, 3600, 4 * 3600, 12 * 3600, 24 * 3600},
		}),
	}
	build := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "okno_build_info",
		Help:        "Always 1: the okno version, the Go version that built it and the store the server runs on.",
		ConstLabels: prometheus.Labels{"version": version, "goversion": runtime.Version(), "store": storeKind},
	})
	build.Set(1)
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewBuildInfoCollector(),
		build, m.requests, m.latency, m.streams, m.lifetime,
		&scrapeCollector{ingest: in, store: st},
	)
	return m
}

func (m *metrics) request(route string, status int, d time.Duration) {
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	if route == streamRoute && status == 200 {
		m.lifetime.Observe(d.Seconds())
		return
	}
	m.latency.WithLabelValues(route).Observe(d.Seconds())
}

func (m *metrics) stream(delta int64) { m.streams.Add(float64(delta)) }

// write gathers every metric and writes them in the Prometheus text
// format; the content type is format's.
func (m *metrics) write(w io.Writer) (expfmt.Format, error) {
	families, err := m.reg.Gather()
	if err != nil {
		return "", err
	}
	format := expfmt.NewFormat(expfmt.TypeTextPlain)
	enc := expfmt.NewEncoder(w, format)
	for _, f := range families {
		if err := enc.Encode(f); err != nil {
			return "", err
		}
	}
	return format, nil
}

// scrapeCollector reads at scrape time what others keep: the ingest's
// answers by result and the store's queue lengths by office.
type scrapeCollector struct {
	ingest func() ingest.Stats
	store  *store.Store
}

var (
	descIngest = prometheus.NewDesc("okno_ingest_events_total", "Events answered by POST /v1/events, by result.", []string{"result"}, nil)
	descQuar   = prometheus.NewDesc("okno_ingest_quarantined_total", "Rejected events kept out of their window's chain (hash, signature, a seq taken).", nil, nil)
	descWait   = prometheus.NewDesc("okno_queue_waiting", "Tickets waiting, by office.", []string{"office"}, nil)
)

func (c *scrapeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- descIngest
	ch <- descQuar
	ch <- descWait
}

func (c *scrapeCollector) Collect(ch chan<- prometheus.Metric) {
	in := c.ingest()
	for _, status := range []api.IngestStatus{api.IngestAccepted, api.IngestDuplicate, api.IngestRejected, api.IngestRetry} {
		ch <- prometheus.MustNewConstMetric(descIngest, prometheus.CounterValue, float64(in.Answered[status]), string(status))
	}
	ch <- prometheus.MustNewConstMetric(descQuar, prometheus.CounterValue, float64(in.Quarantined))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	lengths, err := c.store.QueueLengths(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(descWait, err) // the scrape fails: Gather returns the error
		return
	}
	for office, n := range lengths {
		ch <- prometheus.MustNewConstMetric(descWait, prometheus.GaugeValue, float64(n), office)
	}
}

// metricsToken is the hash of the scrape token (okno serve
// --metrics-token-file): a credential for GET /metrics only, which does
// not expire with sessions.
type metricsToken [sha256.Size]byte

func newMetricsToken(secret string) *metricsToken {
	if secret == "" {
		return nil
	}
	h := metricsToken(sha256.Sum256([]byte(secret)))
	return &h
}

func (t *metricsToken) matches(bearer string) bool {
	if t == nil {
		return false
	}
	h := sha256.Sum256([]byte(bearer))
	return subtle.ConstantTimeCompare(h[:], t[:]) == 1
}

// scraper is the caller that presented the metrics token: no person, no
// office, and no other route.
func (s *Server) scraper() *store.Session {
	return &store.Session{Operator: domain.Operator{Login: "metrics-token"}, TokenHash: "metrics-token"}
}

// Metrics is the registry GET /metrics serves: another part of the
// central in this process (the SSH board) adds its figures there.
func (s *Server) Metrics() *prometheus.Registry { return s.metrics.reg }
