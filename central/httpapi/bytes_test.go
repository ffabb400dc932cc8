package httpapi_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/domain"
)

// rawMark stands for raw bytes a JSON encoder would not write: the body is
// marshalled with it, then it is replaced.
const rawMark = "@@RAW@@"

// badEvent is one event a hostile or broken sender might push.
type badEvent struct {
	name string
	// make returns the bad event, the next of ch (seq 2, after a good one)
	make func(ch *centraltest.Chain) domain.Event
	raw  string // what rawMark becomes in the body ("" for nothing)
	want string // a piece of the reason
}

// signedWith makes the chain's next ticket.issued event, changed by set
// before it is sealed and signed with the window's key: what a key holder
// (or a buggy workstation) could send.
func signedWith(set func(*domain.Event)) func(ch *centraltest.Chain) domain.Event {
	if set == nil {
		set = func(*domain.Event) {}
	}
	return func(ch *centraltest.Chain) domain.Event {
		return ch.Next(domain.EvTicketIssued, domain.TicketIssuedPayload{Number: "A-001", Service: "advertising_permit"},
			centraltest.TicketOf(centraltest.NewID()), set)
	}
}

func withPayload(p string) func(*domain.Event) {
	return func(e *domain.Event) { e.Payload = json.RawMessage(p) }
}

var badEvents = []badEvent{
	{"payload: invalid UTF-8, signed", signedWith(withPayload("{\"number\":\"A-\xff01\",\"service\":\"advertising_permit\"}")), "", "payload: is not valid UTF-8"},
	{"payload: overlong NUL (C0 80), signed", signedWith(withPayload("{\"number\":\"A-\xc0\x80\",\"service\":\"advertising_permit\"}")), "", "payload: is not valid UTF-8"},
	{"payload: a UTF-16 surrogate (ED A0 80), signed", signedWith(withPayload("{\"number\":\"A-\xed\xa0\x80\",\"service\":\"advertising_permit\"}")), "", "payload: is not valid UTF-8"},
	{"payload: truncated UTF-8, signed", signedWith(withPayload("{\"number\":\"A-\xd0\",\"service\":\"advertising_permit\"}")), "", "payload: is not valid UTF-8"},
	{"payload: \\u0000, signed", signedWith(withPayload(`{"number":"A-\u0000","service":"advertising_permit"}`)), "", "payload: contains a NUL"},
	{"payload: \\u0000 in a key, signed", signedWith(withPayload(`{"number":"A-001","service":"advertising_permit","\u0000":1}`)), "", "payload: contains a NUL"},
	{"payload: invalid UTF-8, not signed by the key", func(ch *centraltest.Chain) domain.Event {
		e := signedWith(withPayload("{\"number\":\"A-\xff\",\"service\":\"advertising_permit\"}"))(ch)
		e.Sig = ""
		return e
	}, "", "not signed"},
	{"payload: a wrong type, signed", signedWith(withPayload(`{"number":1,"service":"advertising_permit"}`)), "", "payload"},
	{"payload: not an object, signed", signedWith(withPayload(`["A-001"]`)), "", "payload"},
	{"payload: overlong text, signed", signedWith(withPayload(`{"number":"` + strings.Repeat("9", 100_000) + `","service":"advertising_permit"}`)), "", "number"},
	{"actor: \\u0000, signed", signedWith(func(e *domain.Event) { e.Actor = "anna\x00" }), "", "actor: contains a NUL"},
	{"actor: raw invalid UTF-8", signedWith(func(e *domain.Event) { e.Actor = rawMark }), "\xff\xfe", "hash"},
	{"case_id: \\u0000, signed", signedWith(func(e *domain.Event) { e.CaseID = "\x00" }), "", "case_id: contains a NUL"},
	{"ticket_id: \\u0000, signed", signedWith(func(e *domain.Event) { e.TicketID = "x\x00" }), "", "ticket_id: contains a NUL"},
	{"visitor_id: \\u0000, signed", signedWith(func(e *domain.Event) { e.VisitorID = "\x00" }), "", "visitor_id: contains a NUL"},
	{"visitor_id: raw invalid UTF-8", signedWith(func(e *domain.Event) { e.VisitorID = rawMark }), "\xc0\x80", "hash"},
	{"kind: \\u0000, signed", signedWith(func(e *domain.Event) { e.Kind = "ticket.issued\x00" }), "", "kind: contains a NUL"},
	{"prev_hash: \\u0000, signed", func(ch *centraltest.Chain) domain.Event {
		e := signedWith(nil)(ch)
		e.Seal("\x00" + e.PrevHash)
		domain.SignEvent(&e, ch.Key)
		return e
	}, "", "prev_hash: contains a NUL"},
	{"hash: \\u0000", func(ch *centraltest.Chain) domain.Event {
		e := signedWith(nil)(ch)
		e.Hash = "\x00" + e.Hash[1:]
		return e
	}, "", "hash"},
	{"sig: \\u0000", func(ch *centraltest.Chain) domain.Event {
		e := signedWith(nil)(ch)
		e.Sig = "\x00"
		return e
	}, "", "bad signature"},
	{"id: \\u0000", func(ch *centraltest.Chain) domain.Event {
		e := signedWith(nil)(ch)
		e.ID = "\x00"
		return e
	}, "", "must be a UUID"},
	{"office: raw invalid UTF-8", func(ch *centraltest.Chain) domain.Event {
		e := signedWith(nil)(ch)
		e.Office = rawMark
		return e
	}, "\xff", "office"},
	{"at: 9999-12-31", signedWith(func(e *domain.Event) { e.At = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC) }), "", "at: 9999-12-31T23:59:59Z is more than 24h0m0s after"},
	{"at: 0001-01-01", signedWith(func(e *domain.Event) { e.At = time.Date(1, 1, 1, 0, 0, 1, 0, time.UTC) }), "", "at: 0001-01-01T00:00:01Z is before 2000-01-01"},
	{"at: a nanosecond before 2000", signedWith(func(e *domain.Event) { e.At = domain.EarliestEventTime.Add(-time.Nanosecond) }), "", "is before 2000-01-01"},
	{"at: 25 h ahead", signedWith(func(e *domain.Event) { e.At = time.Now().Add(25 * time.Hour) }), "", "after the checker's clock"},
}

// badRequest is a whole request with bad bytes: a 4xx in the JSON error
// shape, nothing stored.
type badRequest struct {
	name, method, path string
	body               string
	header             []string
	want               int
}

func badRequests(caseID string) []badRequest {
	const bad, big = http.StatusBadRequest, http.StatusRequestHeaderFieldsTooLarge
	ev := `{"id":"01900000-0000-7000-8000-000000000001","office":"IRK","window":1,"seq":1,"at":"2026-03-02T09:00:00Z","kind":"ticket.issued","prev_hash":"","hash":"x",`
	return []badRequest{
		{"events: a raw NUL in a string", "POST", "/v1/events", ev + "\"actor\":\"a\x00\"}]}", nil, bad},
		{"events: a raw control character", "POST", "/v1/events", ev + "\"actor\":\"a\x01\"}]}", nil, bad},
		{"events: seq of the wrong type", "POST", "/v1/events", `{"events":[{"seq":"1"}]}`, nil, bad},
		{"events: window out of int range", "POST", "/v1/events", `{"events":[{"window":1e400}]}`, nil, bad},
		{"events: seq past int64", "POST", "/v1/events", `{"events":[{"seq":18446744073709551616}]}`, nil, bad},
		{"events: at not a time", "POST", "/v1/events", `{"events":[{"at":"9999-99-99"}]}`, nil, bad},
		{"cases: number NUL", "GET", "/v1/cases?number=%00", "", nil, bad},
		{"cases: service invalid UTF-8", "GET", "/v1/cases?service=%FF", "", nil, bad},
		{"cases: state overlong NUL", "GET", "/v1/cases?state=%C0%80", "", nil, bad},
		{"cases: visitor_id surrogate", "GET", "/v1/cases?visitor_id=%ED%A0%80", "", nil, bad},
		{"cases: office NUL", "GET", "/v1/cases?office=%00", "", nil, bad},
		{"cases: overdue invalid UTF-8", "GET", "/v1/cases?overdue=%FF", "", nil, bad},
		{"cases: limit NUL", "GET", "/v1/cases?limit=%00", "", nil, bad},
		{"cases: a parameter's name", "GET", "/v1/cases?%FF=1", "", nil, bad},
		{"cases: a malformed escape", "GET", "/v1/cases?number=%zz", "", nil, bad},
		{"case: id NUL", "GET", "/v1/cases/%00", "", nil, bad},
		{"case: id invalid UTF-8", "GET", "/v1/cases/%FF%FE", "", nil, bad},
		{"status: case id NUL", "POST", "/v1/cases/%00/status", `{"status":"accepted"}`, nil, bad},
		{"status: note NUL", "POST", "/v1/cases/" + caseID + "/status", `{"status":"accepted","note":"\u0000"}`, nil, bad},
		{"status: note invalid UTF-8", "POST", "/v1/cases/" + caseID + "/status", "{\"status\":\"accepted\",\"note\":\"\xff\"}", nil, bad},
		{"feed: after invalid UTF-8", "GET", "/v1/feed?after=%FF", "", nil, bad},
		{"queue: office invalid UTF-8", "GET", "/v1/offices/%FF/queue", "", nil, bad},
		{"attention: office NUL", "GET", "/v1/offices/%00/attention", "", nil, bad},
		{"keys: office NUL", "GET", "/v1/offices/%00/keys", "", nil, bad},
		{"chain: window NUL", "GET", "/v1/offices/IRK/windows/%00/events", "", nil, bad},
		{"blob: hash NUL", "GET", "/v1/blobs/%00", "", nil, bad},
		{"queue/next: services NUL", "POST", "/v1/offices/IRK/queue/next", `{"window":1,"services":["\u0000"]}`, nil, bad},
		{"sign-in: login NUL", "POST", "/v1/sessions", `{"login":"anna\u0000","password":"x"}`, nil, bad},
		{"sign-in: password NUL", "POST", "/v1/sessions", `{"login":"anna","password":"\u0000"}`, nil, bad},
		{"sign-in: login invalid UTF-8", "POST", "/v1/sessions", "{\"login\":\"\xff\",\"password\":\"x\"}", nil, bad},
		{"sign-in: login of the wrong type", "POST", "/v1/sessions", `{"login":1,"password":"x"}`, nil, bad},
		{"enrol: equipment NUL", "POST", "/v1/workstations", `{"office":"IRK","window":50,"equipment":["\u0000"]}`, nil, bad},
		{"enrol: equipment invalid UTF-8", "POST", "/v1/workstations", "{\"office\":\"IRK\",\"window\":50,\"equipment\":[\"\xff\"]}", nil, bad},
		{"enrol: public key NUL", "POST", "/v1/workstations", `{"office":"IRK","window":50,"public_key":"\u0000"}`, nil, bad},
		{"catalog: a name with NUL", "PUT", "/v1/catalog", `{"version":"x\u0000"}`, nil, bad},
		{"header: Idempotency-Key invalid UTF-8", "POST", "/v1/offices/IRK/queue/next", `{"window":1}`, []string{"Idempotency-Key", "\xff\xfe"}, bad},
		{"header: Authorization invalid UTF-8", "GET", "/v1/cases", "", []string{"Authorization", "Bearer \xff"}, bad},
		{"a path over 8 KiB", "GET", "/v1/cases/" + strings.Repeat("a", 100<<10), "", nil, big},
		{"headers over 64 KiB", "GET", "/v1/cases", "", []string{"X-Padding", strings.Repeat("a", 100<<10)}, big},
	}
}

// TestBadBytesNeverReachAStore pushes events and requests with invalid
// UTF-8, NUL (raw and escaped), overlong encodings, wrong types and
// oversized heads, on both stores: no 5xx, every refusal in the JSON error
// shape, one bad event never fails its batch, and nothing of the bad
// bytes is stored or relayed.
func TestBadBytesNeverReachAStore(t *testing.T) {
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		srv := centraltest.Start(t, opt)
		var goodIDs, badIDs []string
		for i, c := range badEvents {
			w := 100 + i
			ws := srv.Enrol(t, "IRK", w)
			ch := centraltest.NewChain("IRK", w)
			good, _ := ch.Issue("advertising_permit", "")
			bad := c.make(ch)
			body := mustJSON(t, api.IngestRequest{Events: []domain.Event{good, bad}})
			body = bytes.ReplaceAll(body, []byte(rawMark), []byte(c.raw))
			st, b, _ := call(t, srv, http.MethodPost, "/v1/events", ws.Token, body)
			if st != http.StatusOK {
				t.Errorf("%s: %d %s", c.name, st, b)
				continue
			}
			res := decode[api.IngestResponse](t, b).Results
			if res[0].Status != api.IngestAccepted {
				t.Errorf("%s: the good event of the batch: %+v", c.name, res[0])
			}
			if res[1].Status != api.IngestRejected || !strings.Contains(res[1].Reason, c.want) {
				t.Errorf("%s: %+v, want rejected with %q", c.name, res[1], c.want)
			}
			goodIDs, badIDs = append(goodIDs, good.ID), append(badIDs, bad.ID)
		}

		ws := srv.Enrol(t, "IRK", 1)
		ch := centraltest.NewChain("IRK", 1)
		reg, vid := ch.Register()
		open, caseID := ch.Open(vid, "advertising_permit")
		push(t, srv, ws.Token, reg, open, ch.HandOff(caseID))
		tokens := []string{srv.AdminToken, srv.Session(t, "clerk1", domain.RoleClerk, "IRK", 1)}
		tables := []string{"users", "sessions", "workstations", "events", "quarantine", "cases", "catalogs", "idempotency"}
		before := map[string]int{}
		for _, tb := range tables {
			before[tb] = srv.Count(t, "SELECT COUNT(*) FROM "+tb)
		}
		for _, c := range badRequests(caseID) {
			for _, tok := range tokens {
				st, b, h := call(t, srv, c.method, c.path, tok, []byte(c.body), c.header...)
				if st >= 500 || st < 400 {
					t.Errorf("%s: %d %s", c.name, st, b)
					continue
				}
				if c.want != 0 && st != c.want && st != http.StatusForbidden {
					t.Errorf("%s: %d, want %d: %s", c.name, st, c.want, b)
				}
				if !strings.HasPrefix(h.Get("Content-Type"), "application/json") || errCode(t, b) == "" {
					t.Errorf("%s: not the JSON error shape: %s", c.name, b)
				}
			}
		}
		for _, tb := range tables {
			if n := srv.Count(t, "SELECT COUNT(*) FROM "+tb); n != before[tb] {
				t.Errorf("%s: %d rows after the bad requests, %d before", tb, n, before[tb])
			}
		}

		// Nothing bad is relayed: the feed is UTF-8 without NUL and holds
		// the good events only; no stored text holds a NUL or bad bytes.
		_, feed, _ := call(t, srv, http.MethodGet, "/v1/feed?after=0&limit=1000", srv.AdminToken, nil)
		if !utf8.Valid(feed) || bytes.Contains(feed, []byte(`\u0000`)) {
			t.Errorf("the feed is not clean text")
		}
		page := decode[api.FeedPage](t, feed)
		inFeed := map[string]bool{}
		for _, fe := range page.Events {
			inFeed[fe.ID] = true
		}
		for i, id := range goodIDs {
			if !inFeed[id] || inFeed[badIDs[i]] {
				t.Errorf("%s: good in the feed %v, bad in the feed %v", badEvents[i].name, inFeed[id], inFeed[badIDs[i]])
			}
		}
		if n := srv.Count(t, "SELECT COUNT(*) FROM events WHERE status = 'rejected' AND payload IS NOT NULL"); n != 0 {
			t.Errorf("%d rejected events kept their payload", n)
		}
		for _, col := range []string{"kind", "actor", "case_id", "ticket_id", "visitor_id", "prev_hash", "reason"} {
			func() {
				rows, err := srv.SQL(t).Query("SELECT " + col + " FROM events UNION ALL SELECT reason FROM quarantine")
				if err != nil {
					t.Fatal(err)
				}
				defer rows.Close()
				for rows.Next() {
					var v string
					if err := rows.Scan(&v); err != nil {
						t.Fatal(err)
					}
					if domain.CheckText(v) != nil {
						t.Errorf("a stored %s holds bad bytes: %q", col, v)
					}
				}
				if err := rows.Err(); err != nil {
					t.Fatal(err)
				}
			}()
		}
	})
}
