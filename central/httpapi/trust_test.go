package httpapi_test

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/domain"
)

// tickets makes n ticket.issued events of a chain.
func tickets(ch *centraltest.Chain, n int) []domain.Event {
	out := make([]domain.Event, n)
	for i := range out {
		out[i], _ = ch.Issue("advertising_permit", "")
	}
	return out
}

// rechain re-seals events from i on without re-signing them: what someone
// holding a session but not the workstation's key can do.
func rechain(evs []domain.Event, from int) {
	prev := ""
	if from > 0 {
		prev = evs[from-1].Hash
	}
	for i := from; i < len(evs); i++ {
		evs[i].Seal(prev)
		prev = evs[i].Hash
	}
}

func edit(e *domain.Event) {
	e.Payload = json.RawMessage(`{"number":"A-999","service":"advertising_permit"}`)
}

type answer struct {
	status api.IngestStatus
	reason string // a piece of the reason
}

// TestIngestRefusesTampering pushes a tampered chain of one window for
// each kind of tampering and checks each event's answer; then the genuine
// workstation pushes its chain, and every event of it is taken: an event
// that does not verify under the window's key never takes a seq. Only a
// fork signed with the window's own key holds its place.
func TestIngestRefusesTampering(t *testing.T) {
	const acc, rej, retry = api.IngestAccepted, api.IngestRejected, api.IngestRetry
	cases := []struct {
		name   string
		tamper func(evs []domain.Event) []domain.Event
		want   []answer
		fork   bool // signed with the window's key: it holds its seq, the genuine event after it does not
	}{
		{"intact", func(e []domain.Event) []domain.Event { return e },
			[]answer{{acc, ""}, {acc, ""}, {acc, ""}, {acc, ""}, {acc, ""}}, false},
		{"payload edited", func(e []domain.Event) []domain.Event { edit(&e[2]); return e },
			[]answer{{acc, ""}, {acc, ""}, {rej, "hash"}, {retry, "event 3 of window IRK/3 not received yet"}, {retry, "event 3"}}, false},
		{"payload edited and re-hashed", func(e []domain.Event) []domain.Event { edit(&e[2]); rechain(e[:3], 2); return e },
			[]answer{{acc, ""}, {acc, ""}, {rej, "bad signature"}, {retry, "event 3"}, {retry, "event 3"}}, false},
		{"event deleted", func(e []domain.Event) []domain.Event { return append(e[:2], e[3:]...) },
			[]answer{{acc, ""}, {acc, ""}, {retry, "event 3 of window IRK/3 not received yet"}, {retry, "event 3"}}, false},
		{"event deleted, renumbered and re-chained", func(e []domain.Event) []domain.Event {
			e = append(e[:2], e[3:]...)
			for i := range e {
				e[i].Seq = int64(i + 1)
			}
			rechain(e, 2)
			return e
		}, []answer{{acc, ""}, {acc, ""}, {rej, "bad signature"}, {rej, "bad signature"}}, false},
		{"two events swapped", func(e []domain.Event) []domain.Event {
			e[2], e[3] = e[3], e[2]
			e[2].Seq, e[3].Seq = 3, 4
			rechain(e, 2)
			return e
		}, []answer{{acc, ""}, {acc, ""}, {rej, "bad signature"}, {rej, "bad signature"}, {rej, "bad signature"}}, false},
		{"signature from another workstation", func(e []domain.Event) []domain.Event {
			domain.SignEvent(&e[1], centraltest.KeyFor("IRK", 4))
			return e
		}, []answer{{acc, ""}, {rej, "bad signature"}, {retry, "event 2"}, {retry, "event 2"}, {retry, "event 2"}}, false},
		{"unsigned", func(e []domain.Event) []domain.Event { e[0].Sig = ""; return e },
			[]answer{{rej, "not signed"}, {retry, "event 1"}, {retry, "event 1"}, {retry, "event 1"}, {retry, "event 1"}}, false},
		{"a seq taken by another event", func(e []domain.Event) []domain.Event {
			other := tickets(centraltest.NewChain("IRK", 3), 1)[0] // signed by the window's key, seq 1 again
			return append(e[:1], other)
		}, []answer{{acc, ""}, {rej, "already taken by event"}}, false},
		{"a validly signed event of a fork", func(e []domain.Event) []domain.Event {
			edit(&e[3])
			e[3].Seal(strings.Repeat("0", 64))
			domain.SignEvent(&e[3], centraltest.KeyFor("IRK", 3))
			return e
		}, []answer{{acc, ""}, {acc, ""}, {acc, ""}, {rej, "chain link mismatch"}, {rej, "chain link mismatch"}}, true},
		{"a first event linked to something", func(e []domain.Event) []domain.Event {
			e[0].Seal("abc")
			domain.SignEvent(&e[0], centraltest.KeyFor("IRK", 3))
			return e[:1]
		}, []answer{{rej, "must have an empty prev_hash"}}, true},
	}
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		srv := centraltest.Start(t, opt)
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				ws := srv.Enrol(t, "IRK", 3) // a fresh chain for each case: re-enrol and forget the old one
				for _, table := range []string{"events", "streams", "quarantine"} {
					if _, err := srv.SQL(t).Exec("DELETE FROM " + table + " WHERE win = 3"); err != nil {
						t.Fatal(err)
					}
				}
				genuine := tickets(centraltest.NewChain("IRK", 3), 5)
				evs := c.tamper(slices.Clone(genuine))
				got := push(t, srv, ws.Token, evs...)
				if len(got) != len(c.want) {
					t.Fatalf("%d answers for %d events", len(got), len(c.want))
				}
				quarantined := 0
				for i, w := range c.want {
					if got[i].Status != w.status || !strings.Contains(got[i].Reason, w.reason) {
						t.Errorf("event %d (seq %d): %s %q, want %s with %q", i, evs[i].Seq, got[i].Status, got[i].Reason, w.status, w.reason)
					}
					if w.status == rej && !c.fork {
						quarantined++
					}
				}
				if n := srv.Count(t, "SELECT COUNT(*) FROM quarantine WHERE win = 3"); n != quarantined {
					t.Errorf("%d events quarantined, want %d", n, quarantined)
				}
				if n := srv.Count(t, "SELECT COUNT(*) FROM events WHERE win = 3 AND status = 'rejected'"); c.fork != (n > 0) {
					t.Errorf("%d rejected events hold a seq in the chain", n)
				}
				// The genuine workstation pushes its chain again.
				again := push(t, srv, ws.Token, genuine...)
				if c.fork {
					return
				}
				for i, r := range again {
					if r.Status != acc && r.Status != api.IngestDuplicate {
						t.Errorf("genuine event %d after the tampering: %+v", i, r)
					}
				}
				page, err := srv.Client(t, ws.Token).WindowChain(context.Background(), "IRK", 3)
				if err != nil {
					t.Fatal(err)
				}
				if err := domain.CompareChains(genuine, api.Held(page.Events)); err != nil {
					t.Errorf("the central's chain is not the genuine one: %v", err)
				}
			})
		}
	})
}

// An event of another window: refused from this window's session, refused
// when re-addressed to this window, a duplicate when resent by an admin.
func TestIngestRefusesReplayFromAnotherWindow(t *testing.T) {
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		srv := centraltest.Start(t, opt)
		w3, w4 := srv.Enrol(t, "IRK", 3), srv.Enrol(t, "IRK", 4)
		ch3, ch4 := centraltest.NewChain("IRK", 3), centraltest.NewChain("IRK", 4)
		theirs := tickets(ch4, 2)
		if r := push(t, srv, w4.Token, theirs...); r[0].Status != api.IngestAccepted || r[1].Status != api.IngestAccepted {
			t.Fatalf("window 4: %+v", r)
		}
		ours := tickets(ch3, 2)
		push(t, srv, w3.Token, ours...)

		replay := theirs[1]
		r := push(t, srv, w3.Token, replay)
		if r[0].Status != api.IngestRejected || !strings.Contains(r[0].Reason, "replayed") {
			t.Errorf("as it is: %+v", r[0])
		}
		moved := theirs[1]
		moved.Window, moved.Seq = 3, 3
		moved.ID = centraltest.NewID()
		moved.Seal(ours[1].Hash) // it links on, but carries window 4's signature
		r = push(t, srv, w3.Token, moved)
		if r[0].Status != api.IngestRejected || !strings.Contains(r[0].Reason, "bad signature") {
			t.Errorf("re-addressed: %+v", r[0])
		}
		r = push(t, srv, srv.Session(t, "admin4", domain.RoleAdmin, "*", 4), theirs[1])
		if r[0].Status != api.IngestDuplicate {
			t.Errorf("resent by an admin at window 4: %+v", r[0])
		}
		if st, b, _ := call(t, srv, "POST", "/v1/events", srv.AdminToken, mustJSON(t, api.IngestRequest{Events: theirs[:1]})); st != 403 ||
			!strings.Contains(string(b), "sign in at the window") {
			t.Errorf("an admin not at a window: %d %s", st, b)
		}
	})
}

// No workstation for the window: refused and not recorded. A workstation
// enrolled without a key: "retry" until it is enrolled with one.
func TestIngestNeedsAnEnrolledKey(t *testing.T) {
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		srv := centraltest.Start(t, opt)
		ctx := context.Background()
		r := push(t, srv, srv.Session(t, "admin7", domain.RoleAdmin, "*", 7), tickets(centraltest.NewChain("IRK", 7), 1)...)
		if r[0].Status != api.IngestRejected || !strings.Contains(r[0].Reason, "unknown workstation") {
			t.Errorf("unknown workstation: %+v", r[0])
		}
		if n := srv.Count(t, "SELECT COUNT(*) FROM events WHERE win = 7"); n != 0 {
			t.Errorf("%d events of an unknown workstation recorded", n)
		}

		resp, err := srv.Store.Enrol(ctx, api.EnrolRequest{Office: "IRK", Window: 8})
		if err != nil {
			t.Fatal(err)
		}
		c := srv.Client(t, "")
		if _, err := c.SignIn(ctx, resp.Login, resp.Token, 0); err != nil {
			t.Fatal(err)
		}
		evs := tickets(centraltest.NewChain("IRK", 8), 2)
		got, err := c.PushEvents(ctx, evs)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range got.Results {
			if r.Status != api.IngestRetry || !strings.Contains(r.Reason, "without a public key") {
				t.Errorf("no key enrolled: %+v", r)
			}
		}
		ws := srv.Enrol(t, "IRK", 8) // again, with the key
		for _, r := range push(t, srv, ws.Token, evs...) {
			if r.Status != api.IngestAccepted {
				t.Errorf("after enrolling with the key: %+v", r)
			}
		}
	})
}

// The central's copy of a window's chain (the audit endpoint) matches the
// workstation's; truncating either side is caught by CompareChains; the
// central's own events are signed with its key.
func TestWindowEventsAndCentralSignatures(t *testing.T) {
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		srv := centraltest.Start(t, opt)
		ctx := context.Background()
		ws := srv.Enrol(t, "IRK", 3)
		ch := centraltest.NewChain("IRK", 3)
		reg, vid := ch.Register()
		open, cid := ch.Open(vid, "advertising_permit")
		local := append([]domain.Event{reg, open, ch.HandOff(cid)}, tickets(ch, 4)...)
		push(t, srv, ws.Token, local...)
		bad := ch.Next(domain.EvTicketIssued, nil) // no payload: rejected, kept in the chain
		local = append(local, bad)
		if r := push(t, srv, ws.Token, bad); r[0].Status != api.IngestRejected {
			t.Fatalf("%+v", r)
		}

		c := srv.Client(t, ws.Token)
		page, err := c.WindowEvents(ctx, "IRK", 3, 0, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Events) != 3 || !page.More || page.Cursor != 3 || page.LastSeq != 8 || page.LastHash != bad.Hash {
			t.Fatalf("first page: %+v", page)
		}
		if page.PublicKey != domain.EncodePublicKey(ws.Key.Public().(ed25519.PublicKey)) {
			t.Fatalf("public key %q is not the enrolled one", page.PublicKey)
		}
		all, err := c.WindowChain(ctx, "IRK", 3)
		if err != nil {
			t.Fatal(err)
		}
		if err := domain.CompareChains(local, api.Held(all.Events)); err != nil {
			t.Fatalf("the central's copy differs: %v", err)
		}
		var ce *domain.ChainError
		if err := domain.CompareChains(local[:5], api.Held(all.Events)); !errors.As(err, &ce) || ce.Problem != domain.ChainExtra || ce.Seq != 6 {
			t.Errorf("local truncated: %v", err)
		}
		if err := domain.CompareChains(local, api.Held(all.Events[:6])); !errors.As(err, &ce) || ce.Problem != domain.ChainMissing || ce.Seq != 7 {
			t.Errorf("central truncated: %v", err)
		}
		if err := domain.VerifyChain(local, ws.Key.Public().(ed25519.PublicKey)); err != nil {
			t.Errorf("the pushed chain does not verify: %v", err)
		}

		dep := srv.Client(t, srv.Session(t, "dep", domain.RoleDepartment, "*", 0))
		for _, st := range []domain.CaseState{domain.CaseAccepted, domain.CaseInWork} {
			if _, err := dep.SetStatus(ctx, cid, api.StatusRequest{Status: st}); err != nil {
				t.Fatal(err)
			}
		}
		sup := srv.Client(t, srv.Session(t, "sup", domain.RoleSupervisor, "IRK", 0))
		head, err := sup.WindowEvents(ctx, "IRK", 0, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		centralPub := centraltest.CentralKey.Public().(ed25519.PublicKey)
		if head.PublicKey != domain.EncodePublicKey(centralPub) || head.LastSeq < 2 {
			t.Fatalf("window 0: %+v", head)
		}
		feed, err := sup.Feed(ctx, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		var own []domain.Event
		for _, fe := range feed.Events {
			if fe.Window == 0 {
				own = append(own, fe.Event)
			}
		}
		if err := domain.VerifyChain(own, centralPub); err != nil || len(own) != int(head.LastSeq) {
			t.Fatalf("the central's own chain (%d events): %v", len(own), err)
		}
	})
}
