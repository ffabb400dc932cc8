package httpapi

import (
	"net/http"
	"strings"
	"testing"
)

// TestBadJSONSaysWhat: a body that does not decode is answered 400 with
// what is wrong and where, in words a developer of a client can act on.
func TestBadJSONSaysWhat(t *testing.T) {
	for _, c := range []struct{ body, want string }{
		{``, "the body is empty"},
		{`{"events": [`, "ends too early"},
		{`events=1`, "malformed JSON at byte 0"},
		{`{"events": [], "extra": 1}`, `unknown field "extra"; check the field names against /v1/openapi.yaml`},
		{`{"events": [{"id": "x", "colour": "red"}]}`, `unknown field "events[0].colour"`},
		{`{"events": [{}, {"seq": "one"}]}`, "events[1].seq: expected int64, got JSON string"},
		{`{"events": {}}`, "events: expected []domain.Event, got JSON object"},
		{`{"events": []} {"events": []}`, "one JSON value and nothing after it"},
		{`{"events": [], "events": []}`, "events: a name given twice in one object"},
		{`{"events": [{"at": "yesterday"}]}`, "events[0].at: expected time.Time"},
		{`[]`, "the body: expected api.IngestRequest, got JSON array"},
	} {
		_, err := decodeIngest([]byte(c.body))
		he := asHTTP(err)
		if he == nil || he.status != http.StatusBadRequest || !strings.Contains(he.Error(), c.want) {
			t.Errorf("%q: %v; want 400 saying %q", c.body, err, c.want)
		}
	}
	// Bytes that are not UTF-8 do not fail the batch: the event's own
	// text checks refuse that event alone.
	req, err := decodeIngest([]byte("{\"events\": [{\"actor\": \"\xff\"}, {\"actor\": \"anna\"}]}"))
	if err != nil || len(req.Events) != 2 || req.Events[0].Actor != "\uFFFD" {
		t.Fatalf("a batch with invalid UTF-8 in one event: %+v, %v", req, err)
	}
}
