package httpapi

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/ingest"
	"github.com/okno-mfc/okno/domain"
)

// fuzzKey is window IRK/3's key in the fuzz targets.
var fuzzKey = func() ed25519.PrivateKey {
	seed := sha256.Sum256([]byte("okno fuzz key IRK/3"))
	return ed25519.NewKeyFromSeed(seed[:])
}()

// FuzzDecodeIngest feeds the decoder of POST /v1/events arbitrary bodies:
// it must answer every one with a batch of at most MaxBatch events or a
// 4xx carrying a code, never panic. What each event then goes through is
// fuzzed in package ingest (FuzzCheckEvents).
func FuzzDecodeIngest(f *testing.F) {
	for _, seed := range ingestSeeds() {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := decodeIngest(body)
		if err != nil {
			he := asHTTP(err)
			if he.status < 400 || he.status >= 500 || he.code == "" {
				t.Fatalf("decode error answered %d %q", he.status, he.code)
			}
			return
		}
		if len(req.Events) > ingest.MaxBatch {
			t.Fatalf("decoded a batch of %d events", len(req.Events))
		}
	})
}

// ingestSeeds are bodies of POST /v1/events: one valid event signed with
// fuzzKey, variants of it with bad bytes and times, and malformed bodies.
func ingestSeeds() []string {

	e := domain.Event{ID: "01900000-0000-7000-8000-000000000001", Office: "IRK", Window: 3, Seq: 1,
		At: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), Kind: domain.EvTicketIssued, TicketID: "01900000-0000-7000-8000-000000000002",
		Payload: json.RawMessage(`{"number":"A-301","service":"advertising_permit"}`)}
	e.Seal("")
	domain.SignEvent(&e, fuzzKey)
	valid, _ := json.Marshal(api.IngestRequest{Events: []domain.Event{e}})
	return []string{
		string(valid),
		strings.Replace(string(valid), "A-301", `A-\u0000`, 1),
		strings.Replace(string(valid), "A-301", "A-\xff", 1),
		strings.Replace(string(valid), "A-301", "A-\xc0\x80", 1),
		strings.Replace(string(valid), "A-301", `A-\\u0000`, 1),
		strings.Replace(string(valid), `"kind"`, `"actor":"\u0000","kind"`, 1),
		strings.Replace(string(valid), "2026-03-02", "9999-12-31", 1),
		strings.Replace(string(valid), "2026-03-02", "0001-01-01", 1),
		strings.Replace(string(valid), "2026-03-02T09:00:00Z", "2026-03-02T09:00:00.123456789+05:45", 1),
		`{"events": []}`,
		`{"events": [{}]}`,
		`{"events": [{"id": "x", "seq": "1"}]}`,
		`{"events": [{"kind": "visitor.registered", "payload": {"visitor": {"id": "1", "snils": "112-233-445 95"}}}]}`,
		`{"events": [{"payload": "not an object"}]}`,
		`{"events": null, "more": 1}`,
		`{"events": [` + string(valid[11:len(valid)-2]) + `], "x": [}`,
		`[]`, `null`, ``, `{"events": [{"at": "yesterday"}]}`,
		`{"events": [{"window": 1e400}]}`,
	}
}

// FuzzCheckRequest: whatever the path, query and headers, a request is
// either refused with a 400 or 431 carrying a code, or every text the
// handlers read from it is UTF-8 without NUL.
func FuzzCheckRequest(f *testing.F) {
	for _, seed := range [][3]string{
		{"/v1/cases", "number=IRK-03&limit=10", "Bearer abc"},
		{"/v1/cases/\x00", "", ""},
		{"/v1/cases", "service=%FF", ""},
		{"/v1/cases", "state=%C0%80&x=%zz", ""},
		{"/v1/feed", "after=1", "Bearer \xff"},
		{"/v1/offices/IRK/queue", strings.Repeat("a=b&", 3000), ""},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	f.Fuzz(func(t *testing.T, path, query, auth string) {
		r := &http.Request{Method: http.MethodGet, URL: &url.URL{Path: path, RawQuery: query}, Header: http.Header{}}
		r.RequestURI = r.URL.RequestURI()
		r.Header.Set("Authorization", auth)
		he := checkRequest(r)
		if he != nil {
			if (he.status != http.StatusBadRequest && he.status != http.StatusRequestHeaderFieldsTooLarge) || he.code == "" || he.msg == "" ||
				domain.CheckText(he.msg) != nil {
				t.Fatalf("refused with %d %q %q", he.status, he.code, he.msg)
			}
			return
		}
		if domain.CheckText(path) != nil || domain.CheckText(auth) != nil {
			t.Fatalf("let through path %q, Authorization %q", path, auth)
		}
		for k, vs := range r.URL.Query() {
			for _, v := range append(vs, k) {
				if domain.CheckText(v) != nil {
					t.Fatalf("let through query %q", query)
				}
			}
		}
	})
}
