package httpapi_test

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/central/httpapi"
)

// scrape reads /metrics with token and parses it as Prometheus does.
func scrape(t *testing.T, srv *centraltest.Server, token string) (map[string]*dto.MetricFamily, []byte) {
	t.Helper()
	st, body, h := call(t, srv, http.MethodGet, "/metrics", token, nil)
	if st != http.StatusOK {
		t.Fatalf("GET /metrics: %d %s", st, body)
	}
	if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Fatalf("Content-Type %q", ct)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	families, err := p.TextToMetricFamilies(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("the page does not parse as the Prometheus text format: %v\n%s", err, body)
	}
	return families, body
}

func label(m *dto.Metric, name string) string {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}

// TestMetrics: the standard collectors, the build info, requests by route
// and the queue streams' lifetimes kept out of the latency histogram.
func TestMetrics(t *testing.T) {
	t.Parallel()
	srv := centraltest.Start(t)
	srv.Enrol(t, "IRK", 3)
	call(t, srv, http.MethodGet, "/v1/offices/IRK/queue", srv.AdminToken, nil)
	// A queue stream, open for a moment.
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/v1/offices/IRK/queue/stream", nil)
	req.Header.Set("Authorization", "Bearer "+srv.AdminToken)
	resp, err := srv.HTTP.Client().Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("stream: %v", err)
	}
	time.Sleep(50 * time.Millisecond)
	cancel()
	resp.Body.Close()

	var families map[string]*dto.MetricFamily
	deadline := time.Now().Add(5 * time.Second)
	for {
		families, _ = scrape(t, srv, srv.AdminToken)
		if f := families["okno_queue_stream_duration_seconds"]; f != nil && f.GetMetric()[0].GetHistogram().GetSampleCount() == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the closed stream's lifetime was not counted in okno_queue_stream_duration_seconds")
		}
		time.Sleep(20 * time.Millisecond)
	}
	for _, name := range []string{"go_goroutines", "go_gc_duration_seconds", "go_build_info", "process_cpu_seconds_total",
		"process_resident_memory_bytes", "okno_build_info", "okno_http_requests_total", "okno_http_request_duration_seconds",
		"okno_queue_streams", "okno_ingest_events_total"} {
		if families[name] == nil {
			t.Errorf("no %s", name)
		}
	}
	if b := families["okno_build_info"]; b != nil && (label(b.GetMetric()[0], "version") != "test" || label(b.GetMetric()[0], "store") != "sqlite") {
		t.Errorf("okno_build_info: %v", b)
	}
	if f := families["okno_http_request_duration_seconds"]; f != nil {
		routes := map[string]bool{}
		for _, m := range f.GetMetric() {
			routes[label(m, "route")] = true
		}
		if !routes["GET /v1/offices/{office}/queue"] || routes["GET /v1/offices/{office}/queue/stream"] {
			t.Errorf("latency routes %v: want the queue, not the stream", routes)
		}
	}
	if f := families["okno_http_requests_total"]; f != nil {
		found := false
		for _, m := range f.GetMetric() {
			found = found || label(m, "route") == "GET /v1/offices/{office}/queue/stream" && label(m, "code") == "200"
		}
		if !found {
			t.Error("the stream is not counted in okno_http_requests_total")
		}
	}
}

// TestMetricsToken: the scrape token opens /metrics, and nothing else; a
// wrong one is refused.
func TestMetricsToken(t *testing.T) {
	t.Parallel()
	const token = "scrape-token-0123456789abcdef0123456789abcdef"
	srv := centraltest.Start(t, centraltest.Config(func(c *httpapi.Config) { c.MetricsToken = token }))
	scrape(t, srv, token)
	if st, b, _ := call(t, srv, http.MethodGet, "/metrics", token+"x", nil); st != http.StatusUnauthorized {
		t.Errorf("a wrong token: %d %s", st, b)
	}
	if st, b, _ := call(t, srv, http.MethodGet, "/v1/offices", token, nil); st != http.StatusUnauthorized {
		t.Errorf("the scrape token on another route: %d %s", st, b)
	}
	// Without a token configured, none works (not even an empty one).
	plain := centraltest.Start(t)
	if st, _, _ := call(t, plain, http.MethodGet, "/metrics", token, nil); st != http.StatusUnauthorized {
		t.Errorf("no token configured: %d", st)
	}
}

// TestMetricsPromtool: `promtool check metrics` accepts the page (skipped
// where promtool is not installed; .ci/run installs Debian's prometheus).
func TestMetricsPromtool(t *testing.T) {
	t.Parallel()
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		t.Skip("promtool is not installed (Debian: apt-get install prometheus)")
	}
	srv := centraltest.Start(t)
	call(t, srv, http.MethodGet, "/healthz", "", nil)
	_, body := scrape(t, srv, srv.AdminToken)
	cmd := exec.Command(promtool, "check", "metrics")
	cmd.Stdin = bytes.NewReader(body)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("promtool check metrics: %v\n%s", err, out)
	}
}

// TestPrometheusConfigInDocs: the scrape configuration docs/operations.md
// shows is one `promtool check config` accepts (its files made in a
// temporary folder).
func TestPrometheusConfigInDocs(t *testing.T) {
	t.Parallel()
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		t.Skip("promtool is not installed (Debian: apt-get install prometheus)")
	}
	doc, err := os.ReadFile("../../docs/operations.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "# prometheus.yml\n")
	block, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatal("docs/operations.md has no prometheus.yml block")
	}
	dir := t.TempDir()
	for _, f := range []string{"metrics.token", "central-ca.pem"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte(strings.Repeat("ab", 32)+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cfg := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(cfg, []byte(strings.ReplaceAll(block, "/etc/okno/", dir+"/")), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(promtool, "check", "config", cfg).CombinedOutput(); err != nil {
		t.Fatalf("promtool check config: %v\n%s", err, out)
	}
}
