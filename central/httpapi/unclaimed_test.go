package httpapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/central/httpapi"
	"github.com/okno-mfc/okno/domain"
)

// TestUnclaimedResults, on both stores: a result ready 31 days ago is on
// the supervisor's list and one ready 29 days ago is not; bad requests get
// clear 4xx; an extension takes a result off the list until its new last
// day; a return is the central's event, the case is returned, the window
// cannot issue it, and its visitor's status page says it went back.
func TestUnclaimedResults(t *testing.T) {
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		clock := &reportClock{now: hm(reportDay, 12, 0)}
		srv := centraltest.Start(t, opt, centraltest.Clock(clock.Now),
			centraltest.Config(func(c *httpapi.Config) { c.Location = time.UTC }))
		ctx := context.Background()
		ws := srv.Enrol(t, "IRK", 3)
		ch := centraltest.NewChain("IRK", 3)
		ch.At = hm(reportDay, 9, 0).AddDate(0, 0, -60)
		reg, vid := ch.Register()
		evs := []domain.Event{reg}
		open := func(code string) (string, string) {
			o, id := ch.Open(vid, "archive_certificate")
			num := centraltest.Number(o)
			evs = append(evs, o, ch.HandOffCode(id, num, code))
			return id, num
		}
		old, oldNum := open("310310")
		young, youngNum := open("290290")
		elec, _ := open("400400")
		working, _ := open("111111")
		for _, r := range push(t, srv, ws.Token, evs...) {
			if r.Status != api.IngestAccepted {
				t.Fatalf("seed: %+v", r)
			}
		}
		dep := srv.Client(t, srv.Session(t, "dep", domain.RoleDepartment, "*", 0))
		move := func(id string, when time.Time, to ...api.StatusRequest) {
			clock.Set(when)
			for _, st := range to {
				if _, err := dep.SetStatus(ctx, id, st); err != nil {
					t.Fatalf("%s → %s: %v", id, st.Status, err)
				}
			}
		}
		toReady := []api.StatusRequest{{Status: domain.CaseAccepted}, {Status: domain.CaseInWork}, {Status: domain.CaseReady}}
		// In the order of time (the session's rate limit counts on the clock).
		move(elec, hm(reportDay, 10, 0).AddDate(0, 0, -40), api.StatusRequest{Status: domain.CaseAccepted}, api.StatusRequest{Status: domain.CaseInWork},
			api.StatusRequest{Status: domain.CaseReady, Result: domain.ResultElectronic})
		move(working, hm(reportDay, 10, 0).AddDate(0, 0, -40), api.StatusRequest{Status: domain.CaseAccepted}, api.StatusRequest{Status: domain.CaseInWork})
		move(old, hm(reportDay, 10, 0).AddDate(0, 0, -31), toReady...)
		move(young, hm(reportDay, 10, 0).AddDate(0, 0, -29), toReady...)
		clock.Set(hm(reportDay, 12, 0))

		mustRoute(t, srv, "GET /v1/offices/{office}/unclaimed")
		supTok := srv.Session(t, "sveta", domain.RoleSupervisor, "IRK", 0)
		sup := srv.Client(t, supTok)
		list, err := sup.Unclaimed(ctx, "IRK")
		if err != nil {
			t.Fatal(err)
		}
		if list.Total != 1 || len(list.Results) != 1 || list.Results[0].Case.ID != old || list.PeriodDays != 30 || list.Today != "2025-03-12" ||
			list.Results[0].CollectBy != "2025-03-11" || list.Results[0].DaysOver != 1 {
			t.Fatalf("unclaimed on 12 March: %+v", list)
		}
		// The visitor's status answer says until when: the same last day.
		until := func(num, code string) string {
			t.Helper()
			st, b, _ := call(t, srv, http.MethodGet, "/v1/public/cases/"+num+"?code="+code, "", nil)
			pc := decode[api.PublicCase](t, b)
			if st != http.StatusOK || pc.Collect == nil {
				t.Fatalf("the status of %s: %d %s", num, st, b)
			}
			return pc.Collect.Until
		}
		if got := until(oldNum, "310310"); got != "2025-03-11" {
			t.Errorf("the visitor is told to collect it by %q; the list says 2025-03-11", got)
		}
		if got := until(youngNum, "290290"); got != "2025-03-13" {
			t.Errorf("the younger result: kept until %q, want 2025-03-13", got)
		}
		if a, err := sup.Attention(ctx, "IRK", 0); err != nil || a.UnclaimedTotal != 1 || a.Unclaimed[0].ID != old {
			t.Errorf("the attention list's unclaimed: %+v %v", a.Unclaimed, err)
		}

		// Bad requests: each a 4xx saying what is wrong.
		post := func(id, what string, body any) (int, string) {
			st, b, _ := call(t, srv, http.MethodPost, "/v1/offices/IRK/unclaimed/"+id+"/"+what, supTok, mustJSON(t, body))
			return st, string(b)
		}
		for _, c := range []struct {
			id, what string
			body     any
			status   int
			says     string
		}{
			{centraltest.NewID(), "return", api.ReturnResultRequest{Reason: "не явился"}, http.StatusNotFound, "no case"},
			{"IRK-1", "extend", api.ExtendCollectRequest{Days: 7, Reason: "x"}, http.StatusNotFound, "UUID"},
			{working, "return", api.ReturnResultRequest{Reason: "не явился"}, http.StatusConflict, "in_work"},
			{working, "extend", api.ExtendCollectRequest{Days: 7, Reason: "x"}, http.StatusConflict, "in_work"},
			{elec, "return", api.ReturnResultRequest{Reason: "не явился"}, http.StatusConflict, "electronically"},
			{young, "return", api.ReturnResultRequest{Reason: "не явился"}, http.StatusConflict, "kept for its visitor to the end of 2025-03-13"},
			{old, "extend", api.ExtendCollectRequest{Days: -3, Reason: "x"}, http.StatusUnprocessableEntity, "days: keep the result 1 to 365 more days, not -3"},
			{old, "extend", api.ExtendCollectRequest{Days: 7}, http.StatusUnprocessableEntity, "reason"},
			{old, "return", api.ReturnResultRequest{}, http.StatusUnprocessableEntity, "reason"},
			{old, "return", map[string]any{"reason": "x", "days": 3}, http.StatusBadRequest, "days"},
		} {
			if st, b := post(c.id, c.what, c.body); st != c.status || !strings.Contains(b, c.says) {
				t.Errorf("%s %s %+v: %d %s; want %d saying %q", c.what, c.id, c.body, st, b, c.status, c.says)
			}
		}
		clerk := srv.Session(t, "anna", domain.RoleClerk, "IRK", 3)
		if st, _, _ := call(t, srv, http.MethodGet, "/v1/offices/IRK/unclaimed", clerk, nil); st != http.StatusForbidden {
			t.Errorf("a clerk's list: %d", st)
		}
		if st, _, _ := call(t, srv, http.MethodPost, "/v1/offices/IRK/unclaimed/"+old+"/return", srv.Session(t, "msk", domain.RoleSupervisor, "MSK", 0), mustJSON(t, api.ReturnResultRequest{Reason: "x"})); st != http.StatusForbidden {
			t.Errorf("another office's supervisor returned it: %d", st)
		}

		// Kept 7 more days from today: off the list until the 19th is over.
		ext, err := sup.ExtendCollect(ctx, "IRK", old, api.ExtendCollectRequest{Days: 7, Reason: "заявитель в больнице, придёт позже"})
		if err != nil {
			t.Fatal(err)
		}
		if ext.Event.Kind != domain.EvCollectExtended || ext.Event.Actor != "sveta" || ext.Event.Window != 0 || ext.Case.CollectBy != "2025-03-19" || ext.Case.State != domain.CaseReady {
			t.Fatalf("extension: %+v", ext)
		}
		if l, err := sup.Unclaimed(ctx, "IRK"); err != nil || l.Total != 0 {
			t.Fatalf("after the extension: %+v %v", l, err)
		}
		if got := until(oldNum, "310310"); got != "2025-03-19" {
			t.Errorf("after the extension the visitor is told %q, want 2025-03-19", got)
		}
		clock.Set(hm(reportDay, 23, 0).AddDate(0, 0, 7))                              // 19 March: its last day
		sup = srv.Client(t, srv.Session(t, "sveta", domain.RoleSupervisor, "IRK", 0)) // the sessions of a week ago ended
		dep = srv.Client(t, srv.Session(t, "dep", domain.RoleDepartment, "*", 0))
		clerk = srv.Session(t, "anna", domain.RoleClerk, "IRK", 3)
		if l, err := sup.Unclaimed(ctx, "IRK"); err != nil || l.Total != 1 || l.Results[0].Case.ID != young {
			t.Fatalf("on 19 March: %+v %v", l, err)
		}
		clock.Set(hm(reportDay, 9, 0).AddDate(0, 0, 8)) // 20 March
		l, err := sup.Unclaimed(ctx, "IRK")
		if err != nil || l.Total != 2 || l.Results[0].Case.ID != old || l.Results[0].CollectBy != "2025-03-19" || l.Results[0].DaysOver != 1 {
			t.Fatalf("on 20 March: %+v %v", l, err)
		}

		// Returned: the central's event, the case's state and history.
		ret, err := sup.ReturnResult(ctx, "IRK", old, api.ReturnResultRequest{Reason: "не явился в срок хранения"})
		if err != nil {
			t.Fatal(err)
		}
		if ret.Event.Kind != domain.EvCaseReturned || ret.Event.Actor != "sveta" || ret.Case.State != domain.CaseReturned || ret.Case.ReturnReason != "не явился в срок хранения" {
			t.Fatalf("return: %+v", ret)
		}
		supTok = srv.Session(t, "sveta", domain.RoleSupervisor, "IRK", 0)
		if st, b := post(old, "return", api.ReturnResultRequest{Reason: "again"}); st != http.StatusConflict || !strings.Contains(b, "already") {
			t.Errorf("a second return: %d %s", st, b)
		}
		detail, err := dep.Case(ctx, old)
		if err != nil {
			t.Fatal(err)
		}
		if h := detail.History; detail.Case.State != domain.CaseReturned || len(h) == 0 || h[len(h)-1].Kind != domain.EvCaseReturned || h[len(h)-1].Actor != "sveta" {
			t.Errorf("the department's view: %+v", detail)
		}
		if l, err := sup.Unclaimed(ctx, "IRK"); err != nil || l.Total != 1 {
			t.Errorf("after the return: %+v %v", l, err)
		}
		st, b, _ := call(t, srv, http.MethodGet, "/v1/public/cases/"+oldNum+"?code=310310", "", nil)
		pc := decode[api.PublicCase](t, b)
		if st != http.StatusOK || pc.State != domain.CaseReturned || pc.History[len(pc.History)-1].Step != api.StepReturned || pc.Collect != nil {
			t.Errorf("the status page's answer: %d %s", st, b)
		}
		// The window hears of it in its feed, and cannot issue it.
		feed, err := srv.Client(t, clerk).Feed(ctx, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(feed.Events); n == 0 || feed.Events[n-1].Kind != domain.EvCaseReturned {
			t.Errorf("the window's feed ends with %v", feed.Events[n-1].Kind)
		}
		ch.At = clock.Now()
		issue := ch.Next(domain.EvResultIssued, domain.NotePayload{}, centraltest.CaseOf(old))
		if r := push(t, srv, clerk, issue); r[0].Status != api.IngestRejected || !strings.Contains(r[0].Reason, "went back to the department") {
			t.Errorf("issuing a returned result: %+v", r[0])
		}
		// A window may not return one itself.
		ch.At = clock.Now()
		if r := push(t, srv, clerk, ch.Next(domain.EvCaseReturned, domain.ReturnPayload{Reason: "x", CollectBy: "2025-03-01"}, centraltest.CaseOf(young))); r[0].Status != api.IngestRejected || !strings.Contains(r[0].Reason, "supervisor") {
			t.Errorf("a window's case.returned: %+v", r[0])
		}

		// An office's own period: 60 days at IRK takes the other off the list.
		if err := srv.Store.PutOffice(ctx, domain.Office{Code: "IRK", Name: "МФЦ Иркутск", UnclaimedDays: 60}); err != nil {
			t.Fatal(err)
		}
		if l, err := sup.Unclaimed(ctx, "IRK"); err != nil || l.Total != 0 || l.PeriodDays != 60 {
			t.Errorf("with 60 days at IRK: %+v %v", l, err)
		}
		if err := srv.Store.PutOffice(ctx, domain.Office{Code: "IRK", Name: "МФЦ Иркутск"}); err != nil {
			t.Fatal(err)
		}
		if l, err := sup.Unclaimed(ctx, "IRK"); err != nil || l.Total != 1 || l.PeriodDays != 30 {
			t.Errorf("back to the server's 30 days: %+v %v", l, err)
		}

		// The SSH board's hands are the same transactions, as the person.
		board, err := srv.API.Board(domain.Operator{Login: "sveta", Role: domain.RoleSupervisor, Office: "IRK"})
		if err != nil {
			t.Fatal(err)
		}
		if err := board.ReturnResult(ctx, "IRK", young, ""); err == nil || !strings.Contains(err.Error(), "reason") {
			t.Errorf("the board's return without a reason: %v", err)
		}
		if err := board.ExtendCollect(ctx, "IRK", young, 3, "позвонил, придёт"); err != nil {
			t.Fatal(err)
		}
		if l, err := sup.Unclaimed(ctx, "IRK"); err != nil || l.Total != 0 {
			t.Errorf("after the board's extension: %+v %v", l, err)
		}
		if d, err := dep.Case(ctx, young); err != nil || d.Case.CollectBy != "2025-03-23" || d.History[len(d.History)-1].Actor != "sveta" {
			t.Errorf("the board's extension: %+v %v", d.Case, err)
		}
		msk, err := srv.API.Board(domain.Operator{Login: "m", Role: domain.RoleSupervisor, Office: "MSK"})
		if err != nil {
			t.Fatal(err)
		}
		if err := msk.ReturnResult(ctx, "IRK", young, "x"); err == nil {
			t.Error("a supervisor of MSK returned IRK's result over the board")
		}
	})
}
