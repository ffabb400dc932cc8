package central

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/okno-mfc/okno/domain"
)

// FuzzDecodeIngest feeds the decoder of POST /v1/events (and the checks
// each event then goes through) arbitrary bodies: it must answer every one
// with a batch or an error, never panic, and never answer a check failure
// with "accepted".
func FuzzDecodeIngest(f *testing.F) {
	e := domain.Event{ID: "01900000-0000-7000-8000-000000000001", Office: "IRK", Window: 3, Seq: 1,
		At: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), Kind: domain.EvTicketIssued, TicketID: "01900000-0000-7000-8000-000000000002",
		Payload: json.RawMessage(`{"number":"A-301","service":"advertising_permit"}`)}
	e.Seal("")
	valid, _ := json.Marshal(domain.IngestRequest{Events: []domain.Event{e}})
	for _, seed := range []string{
		string(valid),
		`{"events": []}`,
		`{"events": [{}]}`,
		`{"events": [{"id": "x", "seq": "1"}]}`,
		`{"events": [{"kind": "visitor.registered", "payload": {"visitor": {"id": "1", "snils": "112-233-445 95"}}}]}`,
		`{"events": [{"payload": "not an object"}]}`,
		`{"events": null, "more": 1}`,
		`{"events": [` + string(valid[11:len(valid)-2]) + `], "x": [}`,
		`[]`, `null`, ``, `{"events": [{"at": "yesterday"}]}`,
		`{"events": [{"window": 1e400}]}`,
	} {
		f.Add([]byte(seed))
	}
	s := &Server{}
	caller := &Session{Operator: domain.Operator{Login: "ws-IRK-03", Role: domain.RoleWorkstation, Office: "IRK", Window: 3}}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := decodeIngest(body)
		if err != nil {
			he := asHTTP(err)
			if he.status < 400 || he.status >= 500 || he.code == "" {
				t.Fatalf("decode error answered %d %q", he.status, he.code)
			}
			return
		}
		for i := range req.Events {
			ev := &req.Events[i]
			it := s.precheck(caller, ev)
			checkErr := ev.Check()
			if checkErr != nil && it.reject == "" && !it.done {
				t.Fatalf("event %d fails Check (%v) but would be accepted", i, checkErr)
			}
			if it.done && it.res.Status != domain.IngestRejected {
				t.Fatalf("event %d answered early with %q", i, it.res.Status)
			}
		}
	})
}
