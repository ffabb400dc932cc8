package httpapi_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/client"
	"github.com/okno-mfc/okno/domain"
)

// handedOff pushes a visitor and a handed-off case through window 3 of IRK.
func handedOff(t *testing.T, srv *centraltest.Server, ws centraltest.Workstation) (caseID, visitorID string) {
	t.Helper()
	ch := centraltest.NewChain(ws.Office, ws.Window)
	reg, vid := ch.Register()
	open, cid := ch.Open(vid, "advertising_permit")
	for _, r := range push(t, srv, ws.Token, reg, open, ch.HandOff(cid)) {
		if r.Status != api.IngestAccepted {
			t.Fatalf("%+v", r)
		}
	}
	return cid, vid
}

// TestDepartmentStatus moves a case through the API: allowed transitions
// answer 200 and reach the office's feed; a transition the state machine
// refuses is a 409, an unknown status a 422.
func TestDepartmentStatus(t *testing.T) {
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		srv := centraltest.Start(t, opt)
		ctx := context.Background()
		ws := srv.Enrol(t, "IRK", 3)
		cid, _ := handedOff(t, srv, ws)
		dep := srv.Client(t, srv.Session(t, "dep", domain.RoleDepartment, "*", 0))

		for _, s := range []domain.CaseState{domain.CaseAccepted, domain.CaseInWork, domain.CaseReady} {
			resp, err := dep.SetStatus(ctx, cid, api.StatusRequest{Status: s, Note: "ok"})
			if err != nil {
				t.Fatalf("set %s: %v", s, err)
			}
			if resp.Case.State != s || resp.Event.Window != 0 || resp.Event.Office != "IRK" || resp.Event.Hash != resp.Event.ComputeHash() {
				t.Fatalf("set %s: %+v", s, resp)
			}
		}
		_, err := dep.SetStatus(ctx, cid, api.StatusRequest{Status: domain.CaseInWork})
		var rej *client.RejectedError
		if !errors.As(err, &rej) || rej.Status != http.StatusConflict || !errors.Is(err, client.ErrConflict) {
			t.Fatalf("ready → in_work: %v, want a 409", err)
		}
		_, err = dep.SetStatus(ctx, cid, api.StatusRequest{Status: "lost"})
		if !errors.As(err, &rej) || rej.Status != http.StatusUnprocessableEntity {
			t.Fatalf("unknown status: %v, want a 422", err)
		}
		_, err = dep.SetStatus(ctx, centraltest.NewID(), api.StatusRequest{Status: domain.CaseAccepted})
		if !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("unknown case: %v", err)
		}

		// The window's feed brings the three status changes, chained on one stream.
		wc := srv.Client(t, ws.Token)
		page, err := wc.Feed(ctx, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		var central []api.FeedEvent
		for _, e := range page.Events {
			if e.Window == 0 {
				central = append(central, e)
			}
		}
		if len(central) != 3 || central[0].Seq != 1 || central[1].PrevHash != central[0].Hash || central[2].Seq != 3 {
			t.Fatalf("central stream in the feed: %+v", central)
		}
		// The feed is paged by cursor; applying it again gives nothing new.
		p1, _ := wc.Feed(ctx, 0, 2)
		p2, _ := wc.Feed(ctx, p1.Cursor, 1000)
		if !p1.More || len(p1.Events) != 2 || len(p2.Events) != len(page.Events)-2 || p2.More {
			t.Fatalf("paging: %d+%d of %d, more %v/%v", len(p1.Events), len(p2.Events), len(page.Events), p1.More, p2.More)
		}
		p3, _ := wc.Feed(ctx, p2.Cursor, 0)
		if len(p3.Events) != 0 || p3.Cursor != p2.Cursor {
			t.Fatalf("after the end: %+v", p3)
		}

		// The clerk sees the case and its history; another office's clerk does not.
		detail, err := wc.Case(ctx, cid)
		if err != nil || detail.Case.State != domain.CaseReady || len(detail.History) != 5 {
			t.Fatalf("case: %+v %v", detail, err)
		}
		msk := srv.Client(t, srv.Session(t, "ivan", domain.RoleClerk, "MSK", 1))
		if _, err := msk.Case(ctx, cid); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("another office's clerk: %v", err)
		}
		if _, err := msk.Cases(ctx, client.CaseQuery{Office: "IRK"}); !errors.Is(err, client.ErrForbidden) {
			t.Fatalf("another office's search: %v", err)
		}
		list, err := dep.Cases(ctx, client.CaseQuery{State: domain.CaseReady})
		if err != nil || len(list.Cases) != 1 {
			t.Fatalf("search ready: %+v %v", list, err)
		}
	})
}

// TestStatusIdempotencyKey: a retried status change with the same key gets
// the first answer and makes no second event.
func TestStatusIdempotencyKey(t *testing.T) {
	t.Parallel()
	srv := centraltest.Start(t)
	ws := srv.Enrol(t, "IRK", 3)
	cid, _ := handedOff(t, srv, ws)
	tok := srv.Session(t, "dep", domain.RoleDepartment, "*", 0)
	body := mustJSON(t, api.StatusRequest{Status: domain.CaseAccepted})
	st1, b1, _ := call(t, srv, http.MethodPost, "/v1/cases/"+cid+"/status", tok, body, "Idempotency-Key", "k-1")
	st2, b2, h2 := call(t, srv, http.MethodPost, "/v1/cases/"+cid+"/status", tok, body, "Idempotency-Key", "k-1")
	if st1 != 200 || st2 != 200 || string(b1) != string(b2) || h2.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay: %d %s / %d %s", st1, b1, st2, b2)
	}
	if n := srv.Count(t, "SELECT COUNT(*) FROM events WHERE win = 0"); n != 1 {
		t.Fatalf("%d status events, want 1", n)
	}
	// Without a key the same request is a second attempt: accepted → accepted is refused.
	st3, b3, _ := call(t, srv, http.MethodPost, "/v1/cases/"+cid+"/status", tok, body)
	if st3 != http.StatusConflict {
		t.Fatalf("no key: %d %s", st3, b3)
	}
	// The same key for another request is refused.
	st4, _, _ := call(t, srv, http.MethodPost, "/v1/cases/"+centraltest.NewID()+"/status", tok, body, "Idempotency-Key", "k-1")
	if st4 != http.StatusUnprocessableEntity {
		t.Fatalf("key reuse: %d", st4)
	}
}
