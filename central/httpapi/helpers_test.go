package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/domain"
)

// call sends one request and returns the status and the body.
func call(t testing.TB, srv *centraltest.Server, method, path, token string, body []byte, header ...string) (int, []byte, http.Header) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := srv.HTTP.Client().Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b, resp.Header
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func decode[T any](t testing.TB, b []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("decode %T from %s: %v", v, b, err)
	}
	return v
}

// push sends events as token and returns the answers (status 200 expected).
func push(t testing.TB, srv *centraltest.Server, token string, events ...domain.Event) []api.IngestResult {
	t.Helper()
	st, b, _ := call(t, srv, http.MethodPost, "/v1/events", token, mustJSON(t, api.IngestRequest{Events: events}))
	if st != http.StatusOK {
		t.Fatalf("push: %d %s", st, b)
	}
	return decode[api.IngestResponse](t, b).Results
}

// errCode reads the code of an error answer.
func errCode(t testing.TB, b []byte) string {
	t.Helper()
	return decode[api.ErrorBody](t, b).Error.Code
}

// forEachStore runs f over SQLite, and PostgreSQL when OKNO_TEST_POSTGRES is set.
func forEachStore(t *testing.T, f func(t *testing.T, opt centraltest.Option)) {
	for _, kind := range centraltest.Kinds() {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			f(t, centraltest.Kind(t, kind))
		})
	}
}
