package ingest

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/domain"
)

// fuzzKey is window IRK/3's key in the fuzz targets.
var fuzzKey = func() ed25519.PrivateKey {
	seed := sha256.Sum256([]byte("okno fuzz key IRK/3"))
	return ed25519.NewKeyFromSeed(seed[:])
}()

// FuzzCheckEvents feeds the checks each pushed event goes through before
// the store sees it arbitrary batches (decoded leniently: the strict
// decoder of POST /v1/events is fuzzed in package httpapi): every event
// must get a verdict that holds, never a panic. An event that does not verify under its window's key is
// quarantined (never in the chain); one that does is let through only if
// every rule holds — its texts UTF-8 without NUL, its time in range, its
// hash and payload valid. Each event is also judged re-sealed and signed
// with the window's key, as a key holder could send it, so the content
// checks are reached whatever the fuzzer does to the hash.
func FuzzCheckEvents(f *testing.F) {
	e := domain.Event{ID: "01900000-0000-7000-8000-000000000001", Office: "IRK", Window: 3, Seq: 1,
		At: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), Kind: domain.EvTicketIssued, TicketID: "01900000-0000-7000-8000-000000000002",
		Payload: json.RawMessage(`{"number":"A-301","service":"advertising_permit"}`)}
	e.Seal("")
	domain.SignEvent(&e, fuzzKey)
	valid, _ := json.Marshal(api.IngestRequest{Events: []domain.Event{e}})
	for _, seed := range []string{
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
	} {
		f.Add([]byte(seed))
	}
	caller := &store.Session{Operator: domain.Operator{Login: "ws-IRK-03", Role: domain.RoleWorkstation, Office: "IRK", Window: 3}}
	pub := fuzzKey.Public().(ed25519.PublicKey)
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	judge := func(t *testing.T, ev *domain.Event) *item {
		t.Helper()
		it := precheck(caller, ev)
		if it.done {
			if it.Result.Status != api.IngestRejected || domain.CheckText(it.Result.Reason) != nil {
				t.Fatalf("answered early with %q %q", it.Result.Status, it.Result.Reason)
			}
			return it
		}
		check{it: it, pub: pub, now: now}.verify()
		verifies := domain.VerifyEvent(ev, pub) == nil
		switch {
		case !verifies && it.Quarantine == nil:
			t.Fatalf("does not verify under the window's key, yet not quarantined: %+v", ev)
		case verifies && it.Quarantine != nil:
			t.Fatalf("verifies, yet quarantined (%s)", it.Quarantine.Reason)
		case it.Quarantine != nil || it.Reject != "":
			return it
		}
		// Let through to the store: every rule must hold.
		if err := ev.CheckAt(now); err != nil {
			t.Fatalf("fails CheckAt (%v) but would be accepted", err)
		}
		if !domain.InTimeRange(ev.At, now) || domain.CheckJSONText(ev.Payload) != nil || domain.CheckText(ev.Actor) != nil ||
			domain.CheckText(ev.CaseID+ev.TicketID+ev.VisitorID+ev.PrevHash) != nil || it.Payload == nil ||
			ev.Kind == domain.EvCaseStatusChanged || ev.Kind == domain.EvCatalogUpdated {
			t.Fatalf("let through: %+v", ev)
		}
		return it
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var req api.IngestRequest
		if json.Unmarshal(body, &req) != nil {
			return
		}
		for i := range req.Events {
			ev := req.Events[i]
			judge(t, &ev)
			signed := req.Events[i]
			signed.Seal(signed.PrevHash)
			domain.SignEvent(&signed, fuzzKey)
			if it := judge(t, &signed); it.Quarantine != nil {
				t.Fatalf("a sealed and signed event was quarantined: %s", it.Quarantine.Reason)
			}
		}
	})
}
