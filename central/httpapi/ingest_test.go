package httpapi_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/domain"
)

func statuses(rs []api.IngestResult) []api.IngestStatus {
	out := make([]api.IngestStatus, len(rs))
	for i, r := range rs {
		out[i] = r.Status
	}
	return out
}

func TestIngestIdempotent(t *testing.T) {
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		srv := centraltest.Start(t, opt)
		ws := srv.Enrol(t, "IRK", 3)
		ch := centraltest.NewChain("IRK", 3)
		reg, vid := ch.Register()
		open, cid := ch.Open(vid, "advertising_permit")
		bad := ch.HandOff("01900000-0000-7000-8000-000000000000") // a case the central does not know
		batch := []domain.Event{reg, open, bad, ch.HandOff(cid)}

		first := push(t, srv, ws.Token, batch...)
		want := []api.IngestStatus{api.IngestAccepted, api.IngestAccepted, api.IngestRejected, api.IngestAccepted}
		if got := statuses(first); !equal(got, want) {
			t.Fatalf("first push: %v, want %v (%+v)", got, want, first)
		}
		for i := range 2 {
			again := push(t, srv, ws.Token, batch...)
			for j, r := range again {
				if r.Status != api.IngestDuplicate || r.First != first[j].Status || r.Reason != first[j].Reason {
					t.Errorf("push %d, event %d: %+v, want duplicate of %+v", i+2, j, r, first[j])
				}
			}
		}
		if n := srv.Count(t, "SELECT COUNT(*) FROM events WHERE win = 3"); n != 4 {
			t.Errorf("%d events stored, want 4", n)
		}
		if n := srv.Count(t, "SELECT COUNT(*) FROM events WHERE status = 'rejected' AND payload IS NULL"); n != 1 {
			t.Errorf("the rejected event should be kept once, without its payload: %d", n)
		}
		if n := srv.Count(t, "SELECT COUNT(*) FROM cases"); n != 1 {
			t.Errorf("%d cases, want 1", n)
		}
	})
}

func equal[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestIngestOrder(t *testing.T) {
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		srv := centraltest.Start(t, opt)
		ws := srv.Enrol(t, "IRK", 3)
		ch := centraltest.NewChain("IRK", 3)
		reg, vid := ch.Register()
		open, cid := ch.Open(vid, "advertising_permit")
		hand := ch.HandOff(cid)

		// Out of order in the batch: applied in seq order.
		res := push(t, srv, ws.Token, hand, reg, open)
		if got := statuses(res); !equal(got, []api.IngestStatus{"accepted", "accepted", "accepted"}) {
			t.Fatalf("out-of-order batch: %+v", res)
		}

		// A gap: seq 5 before 4 is answered retry and not stored.
		iss, tid := ch.Issue("advertising_permit", "")
		called := ch.Move(domain.EvTicketCalled, tid)
		res = push(t, srv, ws.Token, called)
		if res[0].Status != api.IngestRetry || !strings.Contains(res[0].Reason, "event 4 of window IRK/3 not received yet") {
			t.Fatalf("gap: %+v", res[0])
		}
		if n := srv.Count(t, "SELECT COUNT(*) FROM events WHERE seq = 5"); n != 0 {
			t.Fatalf("a retried event was stored")
		}
		res = push(t, srv, ws.Token, iss, called)
		if got := statuses(res); !equal(got, []api.IngestStatus{"accepted", "accepted"}) {
			t.Fatalf("after the gap closed: %+v", res)
		}

		// Another event reusing seq 5, signed with the window's key:
		// rejected, naming the holder, and kept apart from the chain.
		other := centraltest.NewChain("IRK", 3)
		other.Seq, other.Prev = 4, iss.Hash
		clash := other.Move(domain.EvTicketServed, tid)
		res = push(t, srv, ws.Token, clash)
		if res[0].Status != api.IngestRejected || !strings.Contains(res[0].Reason, "already taken by event "+called.ID) {
			t.Fatalf("seq reuse: %+v", res[0])
		}
		if n := srv.Count(t, "SELECT COUNT(*) FROM quarantine WHERE problem = 'seq_taken' AND id = '"+clash.ID+"'"); n != 1 {
			t.Errorf("the event claiming a taken seq is not in the quarantine: %d", n)
		}
		// The same id with other content, signed: rejected, not stored.
		forged := called
		forged.Actor = "someone-else"
		forged.Seal(forged.PrevHash)
		domain.SignEvent(&forged, ws.Key)
		res = push(t, srv, ws.Token, forged)
		if res[0].Status != api.IngestRejected || !strings.Contains(res[0].Reason, "different event") {
			t.Fatalf("id reuse: %+v", res[0])
		}
		// Not signed by the key: quarantined, whatever its id.
		forged.Sig = ""
		res = push(t, srv, ws.Token, forged)
		if res[0].Status != api.IngestRejected || !strings.Contains(res[0].Reason, "not signed") {
			t.Fatalf("id reuse, unsigned: %+v", res[0])
		}
		if n := srv.Count(t, "SELECT COUNT(*) FROM events WHERE win = 3"); n != 5 {
			t.Errorf("%d events in the chain, want 5", n)
		}
	})
}

func TestIngestRules(t *testing.T) {
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		srv := centraltest.Start(t, opt)
		ws := srv.Enrol(t, "IRK", 3)
		ch := centraltest.NewChain("IRK", 3)
		reg, vid := ch.Register()
		open, cid := ch.Open(vid, "advertising_permit")
		hand := ch.HandOff(cid)
		twice := ch.HandOff(cid) // the state machine refuses a second hand-off
		status := ch.Next(domain.EvCaseStatusChanged, domain.StatusPayload{Status: domain.CaseReady}, centraltest.CaseOf(cid))
		tampered := ch.Next(domain.EvVisitorUpdated, domain.VisitorPayload{Visitor: domain.Visitor{ID: vid}}, centraltest.VisitorOf(vid))
		tampered.Payload = []byte(`{"visitor":{"id":"` + vid + `","full_name":"X"}}`) // hash no longer matches

		res := push(t, srv, ws.Token, reg, open, hand, twice, status, tampered)
		want := []api.IngestStatus{"accepted", "accepted", "accepted", "rejected", "rejected", "rejected"}
		if got := statuses(res); !equal(got, want) {
			t.Fatalf("got %v want %v: %+v", got, want, res)
		}
		for i, frag := range map[int]string{3: "cannot hand_off a case that is submitted", 4: "department", 5: "hash"} {
			if !strings.Contains(res[i].Reason, frag) {
				t.Errorf("event %d: reason %q, want it to mention %q", i, res[i].Reason, frag)
			}
		}

		// Events of another office or another window are refused and not recorded.
		msk := centraltest.NewChain("MSK", 3)
		e1, _ := msk.Register()
		w4 := centraltest.NewChain("IRK", 4)
		e2, _ := w4.Register()
		res = push(t, srv, ws.Token, e1, e2)
		if got := statuses(res); !equal(got, []api.IngestStatus{"rejected", "rejected"}) ||
			!strings.Contains(res[0].Reason, "office MSK") || !strings.Contains(res[1].Reason, "window 4") {
			t.Fatalf("foreign events: %+v", res)
		}
		if n := srv.Count(t, "SELECT COUNT(*) FROM events WHERE office = 'MSK' OR win = 4"); n != 0 {
			t.Errorf("foreign events were stored: %d", n)
		}
	})
}

// TestIngestBadInput: malformed bodies are refused whole, and nothing is
// stored; an invalid identifier in a visitor's payload rejects that event,
// whose personal data is not kept.
func TestIngestBadInput(t *testing.T) {
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		srv := centraltest.Start(t, opt)
		ws := srv.Enrol(t, "IRK", 3)
		ch := centraltest.NewChain("IRK", 3)
		good, _ := ch.Register()
		huge := bytes.Repeat([]byte(" "), 9<<20)
		many := make([]domain.Event, 1001)
		for i := range many {
			many[i] = good
		}
		cases := []struct {
			name string
			body []byte
			want int
		}{
			{"malformed", []byte(`{"events": [`), http.StatusBadRequest},
			{"not JSON", []byte(`events=1`), http.StatusBadRequest},
			{"empty", nil, http.StatusBadRequest},
			{"unknown field", []byte(`{"events": [], "extra": 1}`), http.StatusBadRequest},
			{"unknown event field", []byte(`{"events": [{"id": "x", "colour": "red"}]}`), http.StatusBadRequest},
			{"wrong type", []byte(`{"events": [{"seq": "one"}]}`), http.StatusBadRequest},
			{"wrong type of events", []byte(`{"events": {}}`), http.StatusBadRequest},
			{"two values", []byte(`{"events": []} {"events": []}`), http.StatusBadRequest},
			{"huge body", append(append([]byte(`{"events": [`), huge...), ']', '}'), http.StatusRequestEntityTooLarge},
			{"too many events", mustJSON(t, api.IngestRequest{Events: many}), http.StatusRequestEntityTooLarge},
		}
		for _, c := range cases {
			st, b, _ := call(t, srv, http.MethodPost, "/v1/events", ws.Token, c.body)
			if st != c.want {
				t.Errorf("%s: status %d, want %d: %s", c.name, st, c.want, b)
				continue
			}
			if code := errCode(t, b); code == "" {
				t.Errorf("%s: no error code: %s", c.name, b)
			}
		}
		if n := srv.Count(t, "SELECT COUNT(*) FROM events"); n != 0 {
			t.Fatalf("%d events stored from bad requests", n)
		}

		// A visitor with a SNILS whose check number is wrong.
		ch2 := centraltest.NewChain("IRK", 3)
		vid := centraltest.NewID()
		v := domain.Visitor{ID: vid, FullName: "Петров Пётр", DocType: domain.DocPassportRU, DocNumber: "2512 345678", SNILS: "112-233-445 00"}
		bad := ch2.Next(domain.EvVisitorRegistered, domain.VisitorPayload{Visitor: v}, centraltest.VisitorOf(vid))
		res := push(t, srv, ws.Token, bad)
		if res[0].Status != api.IngestRejected || !strings.Contains(res[0].Reason, "snils") {
			t.Fatalf("invalid SNILS: %+v", res[0])
		}
		if n := srv.Count(t, "SELECT COUNT(*) FROM events WHERE payload IS NOT NULL OR status <> 'rejected'"); n != 0 {
			t.Errorf("the rejected visitor's data was stored")
		}
		if n := srv.Count(t, "SELECT COUNT(*) FROM cases") + srv.Count(t, "SELECT COUNT(*) FROM tickets"); n != 0 {
			t.Errorf("projections changed by a rejected event")
		}
	})
}
