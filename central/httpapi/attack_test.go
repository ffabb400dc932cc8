package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/client"
	"github.com/okno-mfc/okno/domain"
)

// junk makes n events of a window no workstation key signed: seq 1…n, each
// with a hash that matches nothing, some reusing the ids of genuine.
func junk(office string, window, n int, genuine []domain.Event) []domain.Event {
	out := make([]domain.Event, n)
	for i := range out {
		id := centraltest.NewID()
		if i < len(genuine) {
			id = genuine[i].ID // an attacker who learnt the ids
		}
		out[i] = domain.Event{ID: id, Office: office, Window: window, Seq: int64(i + 1), At: genuine[0].At,
			Kind: domain.EvTicketIssued, Payload: json.RawMessage(`{"number":"Z-001","service":"advertising_permit"}`),
			PrevHash: strings.Repeat("0", 64), Hash: strings.Repeat(fmt.Sprintf("%x", i%16), 64)}
		if i%2 == 1 { // half of them sealed properly, just not signed by the window's key
			out[i].Seal("")
			domain.SignEvent(&out[i], centraltest.KeyFor(office, 99))
		}
	}
	return out
}

// headLeak matches a reason that names a seq of a window's chain.
var headLeak = regexp.MustCompile(`(?i)event \d+ of window|seq \d+ of window|already taken`)

// TestJunkNeverBlocksTheGenuineWindow is issue 11's attack: people push
// 1,000 junk events for window 3, then its workstation pushes its own
// events, and every one of them is accepted and reaches the feed, the
// cases and the queue. The junk is refused or quarantined and shown to the
// supervisor; no answer names window 3's head to a caller of another
// window.
func TestJunkNeverBlocksTheGenuineWindow(t *testing.T) {
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		srv := centraltest.Start(t, opt)
		ctx := context.Background()
		ws := srv.Enrol(t, "IRK", 3)
		srv.Enrol(t, "IRK", 2)
		ch := centraltest.NewChain("IRK", 3)
		reg, vid := ch.Register()
		open, cid := ch.Open(vid, "advertising_permit")
		genuine := []domain.Event{reg, open, ch.HandOff(cid)}
		var ticketIDs []string
		for range 37 {
			iss, tid := ch.Issue("advertising_permit", "")
			genuine = append(genuine, iss)
			ticketIDs = append(ticketIDs, tid)
		}
		bad := junk("IRK", 3, 1000, genuine)

		// A clerk signed in at no window: 403 for the whole request.
		atNone := srv.Session(t, "anna", domain.RoleClerk, "IRK", 0)
		st, body, _ := call(t, srv, http.MethodPost, "/v1/events", atNone, mustJSON(t, api.IngestRequest{Events: bad}))
		if st != http.StatusForbidden || !strings.Contains(string(body), "sign in at the window") {
			t.Fatalf("a clerk at no window: %d %s", st, body)
		}
		// A clerk at window 2: every event refused, nothing recorded, no head named.
		for _, r := range push(t, srv, srv.Session(t, "anna", domain.RoleClerk, "IRK", 2), bad...) {
			if r.Status != api.IngestRejected || !strings.Contains(r.Reason, "own window's events only") || headLeak.MatchString(r.Reason) {
				t.Fatalf("window 3's junk from window 2: %+v", r)
			}
		}
		// A person signed in at window 3 itself, without its key: rejected
		// and quarantined, never in the chain.
		for _, r := range push(t, srv, srv.Session(t, "boris", domain.RoleClerk, "IRK", 3), bad...) {
			if r.Status != api.IngestRejected || !strings.Contains(r.Reason, "kept apart") {
				t.Fatalf("junk from a session at window 3: %+v", r)
			}
		}
		if n := srv.Count(t, "SELECT COUNT(*) FROM events WHERE win = 3"); n != 0 {
			t.Fatalf("%d junk events in window 3's chain", n)
		}

		// The genuine workstation: everything accepted.
		res, err := srv.Client(t, ws.Token).PushEvents(ctx, genuine)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range res.Results {
			if r.Status != api.IngestAccepted {
				t.Fatalf("genuine event %d: %+v", i, r)
			}
		}
		if len(res.Receipts) != 1 || res.Receipts[0].Seq != int64(len(genuine)) || res.Receipts[0].Verify(centralPub) != nil {
			t.Errorf("receipts: %+v", res.Receipts)
		}

		sup := srv.Client(t, srv.Session(t, "sup", domain.RoleSupervisor, "IRK", 0))
		feed, err := sup.Feed(ctx, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(feed.Events) != len(genuine) {
			t.Errorf("the feed holds %d events, want the %d genuine ones", len(feed.Events), len(genuine))
		}
		for i, fe := range feed.Events {
			if fe.Hash != genuine[i].Hash {
				t.Errorf("feed event %d is not the genuine one", i)
			}
		}
		cases, err := sup.Cases(ctx, client.CaseQuery{Office: "IRK"})
		if err != nil || len(cases.Cases) != 1 || cases.Cases[0].ID != cid || cases.Cases[0].State != domain.CaseSubmitted {
			t.Errorf("cases: %+v %v", cases, err)
		}
		q, err := sup.Queue(ctx, "IRK")
		if err != nil || len(q.Waiting) != len(ticketIDs) {
			t.Errorf("the queue holds %d tickets, want %d (%v)", len(q.Waiting), len(ticketIDs), err)
		}

		att, err := sup.Attention(ctx, "IRK", 7)
		if err != nil {
			t.Fatal(err)
		}
		if att.QuarantinedTotal != len(bad) || len(att.Quarantined) != 2 {
			t.Fatalf("attention: %d quarantined in %+v", att.QuarantinedTotal, att.Quarantined)
		}
		for _, g := range att.Quarantined {
			if g.Window != 3 || g.SentBy != "boris" || g.Count != len(bad)/2 || g.Reason == "" || (g.Problem != "hash" && g.Problem != "signature") {
				t.Errorf("quarantine group: %+v", g)
			}
		}
		if att.RejectedTotal != 0 {
			t.Errorf("attention: %d rejected in the chains", att.RejectedTotal)
		}
	})
}
