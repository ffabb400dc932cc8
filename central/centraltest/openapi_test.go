package centraltest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// TestSpecLoads: openapi.yaml is a valid OpenAPI 3 document for
// kin-openapi (loads, resolves every $ref, validates).
func TestSpecLoads(t *testing.T) {
	t.Parallel()
	s, err := LoadSpec()
	if err != nil {
		t.Fatal(err)
	}
	if s.Doc.Paths.Find("/v1/events") == nil {
		t.Fatal("the document has no /v1/events")
	}
}

// TestCheckCatchesDrift: the checker refuses what the document does not
// say, and lets through what it does.
func TestCheckCatchesDrift(t *testing.T) {
	t.Parallel()
	s, err := LoadSpec()
	if err != nil {
		t.Fatal(err)
	}
	jsonCT := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	errBody := `{"error":{"code":"not_found","message":"no"}}`
	caseURL := "/v1/cases/0190d9c2-4b9e-7c3e-9a1b-000000000001"
	cases := []struct {
		name, method, path string
		status             int
		header             http.Header
		body               string
		ok                 bool
	}{
		{"documented", "GET", "/healthz", 200, jsonCT, `{"status":"ok","store":"sqlite","version":"x"}`, true},
		{"undocumented status", "GET", "/healthz", 418, jsonCT, errBody, false},
		{"body off schema", "GET", "/healthz", 200, jsonCT, `{"status":"ok","store":"oracle"}`, false},
		{"wrong content type", "GET", "/healthz", 200, http.Header{"Content-Type": {"text/html"}}, `<p>ok</p>`, false},
		{"error shape", "GET", caseURL, 404, jsonCT, `{"error":"gone"}`, false},
		{"error code outside the enum", "GET", caseURL, 404, jsonCT, `{"error":{"code":"gone","message":"no"}}`, false},
		{"documented error", "GET", caseURL, 404, jsonCT, errBody, true},
		{"unknown path 404", "GET", "/v2/nothing", 404, jsonCT, errBody, true},
		{"unknown path 200", "GET", "/v2/nothing", 200, jsonCT, `{}`, false},
		{"405 without Allow", "PATCH", "/v1/catalog", 405, jsonCT, `{"error":{"code":"method_not_allowed","message":"no"}}`, false},
		{"405 with Allow", "PATCH", "/v1/catalog", 405, http.Header{"Content-Type": {"application/json"}, "Allow": {"GET, PUT"}}, `{"error":{"code":"method_not_allowed","message":"no"}}`, true},
		{"stream, body not kept", "GET", "/v1/offices/IRK/queue/stream", 200, http.Header{"Content-Type": {"text/event-stream"}}, "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := httptest.NewRequest(c.method, c.path, nil)
			var body []byte
			if c.body != "" {
				body = []byte(c.body)
			}
			err := s.Check(req, c.status, c.header, body)
			if (err == nil) != c.ok {
				t.Fatalf("Check: %v, want ok=%v", err, c.ok)
			}
		})
	}
}

// TestCheckedFailsTheTest: a handler that answers off the document fails
// the test that called it.
func TestCheckedFailsTheTest(t *testing.T) {
	t.Parallel()
	rec := &recordingTB{TB: t}
	h := Checked(rec, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTeapot)
		w.Write([]byte(`{}`))
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/healthz", nil))
	if msg := rec.String(); !strings.Contains(msg, "status 418 is not documented") {
		t.Fatalf("an undocumented answer passed: %q", msg)
	}
}

// recordingTB keeps what Errorf was told instead of failing.
type recordingTB struct {
	testing.TB
	mu  sync.Mutex
	msg strings.Builder
}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Fprintf(&r.msg, format, args...)
}

func (r *recordingTB) String() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.msg.String()
}
