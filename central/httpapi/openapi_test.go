package httpapi_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/central/httpapi"
	"github.com/okno-mfc/okno/client"
	"github.com/okno-mfc/okno/domain"
)

// TestOpenAPIValid: kin-openapi loads and validates the document (every
// test server also checks each answer against it: centraltest.Checked).
func TestOpenAPIValid(t *testing.T) {
	t.Parallel()
	if _, err := centraltest.LoadSpec(); err != nil {
		t.Fatal(err)
	}
}

// TestOpenAPIMatchesRoutes: the OpenAPI file describes exactly the routes
// the server serves, with the same roles.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	t.Parallel()
	type operation struct {
		Roles     []string       `yaml:"x-roles"`
		Responses map[string]any `yaml:"responses"`
	}
	var raw struct {
		Paths map[string]map[string]yaml.Node `yaml:"paths"`
	}
	if err := yaml.Unmarshal(httpapi.OpenAPI(), &raw); err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	spec := struct {
		Paths map[string]map[string]operation
	}{Paths: map[string]map[string]operation{}}
	for path, ops := range raw.Paths {
		spec.Paths[path] = map[string]operation{}
		for method, node := range ops {
			if method == "parameters" {
				continue
			}
			var op operation
			if err := node.Decode(&op); err != nil {
				t.Fatalf("%s %s: %v", method, path, err)
			}
			spec.Paths[path][method] = op
		}
	}
	srv := centraltest.Start(t)
	served := map[string]bool{}
	for _, rt := range srv.API.Routes() {
		method, path, _ := strings.Cut(rt.Pattern, " ")
		served[strings.ToLower(method)+" "+path] = true
		op, ok := spec.Paths[path][strings.ToLower(method)]
		if !ok {
			t.Errorf("%s is not in openapi.yaml", rt.Pattern)
			continue
		}
		want := []string{"public"}
		if rt.Roles != nil {
			want = nil
			for _, r := range rt.Roles {
				want = append(want, string(r))
			}
		}
		slices.Sort(want)
		got := slices.Clone(op.Roles)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: x-roles %v, the server allows %v", rt.Pattern, got, want)
		}
		if len(op.Responses) == 0 {
			t.Errorf("%s: no responses described", rt.Pattern)
		}
	}
	for path, ops := range spec.Paths {
		for method := range ops {
			if method != "parameters" && !served[method+" "+path] {
				t.Errorf("openapi.yaml describes %s %s, which the server does not serve", method, path)
			}
		}
	}
	st, body, _ := call(t, srv, http.MethodGet, "/v1/openapi.yaml", "", nil)
	if st != http.StatusOK || !bytes.Equal(body, httpapi.OpenAPI()) {
		t.Fatalf("GET /v1/openapi.yaml: %d", st)
	}
}

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestLogsHoldNoPersonalData runs a session with personal data in events
// (valid and invalid), searches and errors, and looks for the data in
// every log line.
func TestLogsHoldNoPersonalData(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	srv := centraltest.Start(t, centraltest.Logger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	ctx := context.Background()
	ws := srv.Enrol(t, "IRK", 3)
	c := srv.Client(t, ws.Token)
	ch := centraltest.NewChain("IRK", 3)
	reg, vid := ch.Register()
	open, cid := ch.Open(vid, "advertising_permit")
	bad := ch.Next(domain.EvVisitorUpdated, domain.VisitorPayload{Visitor: domain.Visitor{ID: vid, FullName: "Сидорова Ксения", DocType: domain.DocPassportRU,
		DocNumber: "4510 987654", SNILS: "112-233-445 00", Phone: "+7 999 111-22-33"}}, centraltest.VisitorOf(vid))
	if _, err := c.PushEvents(ctx, []domain.Event{reg, open, ch.HandOff(cid), bad}); err != nil {
		t.Fatal(err)
	}
	c.Cases(ctx, client.CaseQuery{VisitorID: vid})
	call(t, srv, http.MethodPost, "/v1/events", ws.Token, []byte(`{"events": [{"payload": {"visitor": {"full_name": "Сидорова Ксения", "snils": "112-233-445 95"}}, "seq": "x"}]}`))
	call(t, srv, http.MethodPost, "/v1/sessions", "", []byte(`{"login": "Сидорова Ксения", "password": "4510 987654"}`))
	srv.API.Close() // flush
	out := logs.String()
	if !strings.Contains(out, `"route":"POST /v1/events"`) {
		t.Fatalf("the log does not show the requests:\n%s", out)
	}
	// Needles are whole values in every spelling, long enough never to turn
	// up by chance in a timestamp's nanoseconds or a hash (a bare "914" did).
	for _, secret := range []string{"Фёдорова", "Мар'яна", "2512 345678", "2512345678", "112-233-445", "11223344", "79140000000", "914 000-00-00",
		"Сидорова", "Ксения", "4510 987654", "4510987654", "999 111", "79991112233"} {
		if strings.Contains(out, secret) {
			t.Errorf("the log holds %q:\n%s", secret, out)
		}
	}
}
