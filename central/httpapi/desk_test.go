package httpapi_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/central/httpapi"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/client"
	"github.com/okno-mfc/okno/domain"
)

const (
	deptArch = "Управление архитектуры и градостроительства администрации"
	deptEdu  = "Управление образования администрации"
)

// TestDepartmentDesk: a department's officer sees the handed-off cases of
// their department only, newest hand-off first; each status takes its
// reasons; a case back from more_docs has its term moved on by the working
// days it waited; an extension needs a later day and a basis; the report
// counts each department's cases.
func TestDepartmentDesk(t *testing.T) {
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		ctx := context.Background()
		monday := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		clock := &reportClock{now: monday.Add(time.Hour)}
		srv := centraltest.Start(t, opt, centraltest.Clock(clock.Now),
			centraltest.StoreOptions(func(o *store.Options) { o.SessionIdle, o.SessionMax = 24*time.Hour*400, 24*time.Hour*400 }),
			centraltest.Config(func(c *httpapi.Config) { c.Location = time.UTC }))
		ws := srv.Enrol(t, "IRK", 3)
		ch := centraltest.NewChain("IRK", 3)
		ch.At = monday
		reg, vid := ch.Register()
		evs := []domain.Event{reg}
		open := func(service string, handOff bool) string {
			e, id := ch.Open(vid, service)
			evs = append(evs, e)
			if handOff {
				evs = append(evs, ch.HandOff(id))
			}
			return id
		}
		a1 := open("advertising_permit", true)
		edu := open("kindergarten_queue", true)
		a2 := open("building_permit", true)
		draft := open("advertising_permit", false)
		for _, r := range push(t, srv, ws.Token, evs...) {
			if r.Status != api.IngestAccepted {
				t.Fatalf("seed: %+v", r)
			}
		}
		arch := srv.Client(t, srv.OfficerSession(t, "arch", "*", deptArch))
		educ := srv.Client(t, srv.OfficerSession(t, "edu", "*", deptEdu))

		list, err := arch.Cases(ctx, client.CaseQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if len(list.Cases) != 2 || list.Cases[0].ID != a2 || list.Cases[1].ID != a1 || list.Cases[0].Department != deptArch {
			t.Fatalf("the architecture desk's inbox: %+v", list.Cases)
		}
		if l, _ := educ.Cases(ctx, client.CaseQuery{}); len(l.Cases) != 1 || l.Cases[0].ID != edu {
			t.Fatalf("the education desk's inbox: %+v", l.Cases)
		}
		if l, _ := arch.Cases(ctx, client.CaseQuery{Service: "building_permit"}); len(l.Cases) != 1 || l.Cases[0].ID != a2 {
			t.Fatalf("filtered by service: %+v", l.Cases)
		}
		if _, err := arch.Cases(ctx, client.CaseQuery{Department: deptEdu}); !errors.Is(err, client.ErrForbidden) {
			t.Fatalf("another department's list: %v, want 403", err)
		}
		if d, err := arch.Case(ctx, draft); err != nil || d.Case.State != domain.CaseDraft {
			t.Fatalf("a draft of the desk's department, not in the inbox, opened by id: %+v %v", d.Case, err)
		}
		for _, id := range []string{edu} {
			if _, err := arch.Case(ctx, id); !errors.Is(err, domain.ErrNotFound) {
				t.Errorf("case %s seen by the wrong desk: %v", id, err)
			}
			if _, err := arch.SetStatus(ctx, id, api.StatusRequest{Status: domain.CaseAccepted}); !errors.Is(err, domain.ErrNotFound) {
				t.Errorf("case %s moved by the wrong desk: %v", id, err)
			}
		}
		// A supervisor or admin may filter by department.
		admin := srv.Client(t, srv.AdminToken)
		if l, _ := admin.Cases(ctx, client.CaseQuery{Department: deptEdu}); len(l.Cases) != 1 || l.Cases[0].ID != edu {
			t.Fatalf("the admin's department filter: %+v", l.Cases)
		}

		set := func(c *client.Client, id string, req api.StatusRequest) (api.StatusResponse, error) {
			return c.SetStatus(ctx, id, req)
		}
		want422 := func(what string, err error) {
			t.Helper()
			var rej *client.RejectedError
			if !errors.As(err, &rej) || rej.Status != http.StatusUnprocessableEntity {
				t.Errorf("%s: %v, want a 422", what, err)
			}
		}
		for _, s := range []domain.CaseState{domain.CaseAccepted, domain.CaseInWork} {
			if _, err := set(arch, a1, api.StatusRequest{Status: s}); err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}
		_, err = set(arch, a1, api.StatusRequest{Status: domain.CaseMoreDocs, Due: "2026-11-30"})
		want422("more_docs without documents", err)
		_, err = set(arch, a1, api.StatusRequest{Status: domain.CaseMoreDocs, Documents: []string{"Выписка ЕГРН"}, Due: "2026-11-20"})
		want422("more_docs due in the past", err)
		_, err = set(arch, a1, api.StatusRequest{Status: domain.CaseInWork, Ground: "ст. 19"})
		want422("a ground without a refusal", err)
		r, err := set(arch, a1, api.StatusRequest{Status: domain.CaseMoreDocs, Documents: []string{"Выписка ЕГРН"}, Due: "2026-11-30", Note: "нет выписки"})
		if err != nil || r.Case.State != domain.CaseMoreDocs || len(r.Case.Requested) != 1 || r.Case.RequestedDue != "2026-11-30" {
			t.Fatalf("more_docs: %+v %v", r.Case, err)
		}
		before := r.Case.Deadline
		// The window sees what was asked for.
		if d, err := srv.Client(t, ws.Token).Case(ctx, a1); err != nil || d.Case.Requested[0] != "Выписка ЕГРН" {
			t.Fatalf("the window's view: %+v %v", d.Case, err)
		}
		// The documents come on Thursday: three working days paused.
		clock.Set(monday.AddDate(0, 0, 3).Add(2 * time.Hour))
		r, err = set(arch, a1, api.StatusRequest{Status: domain.CaseInWork})
		if err != nil {
			t.Fatal(err)
		}
		bd, _ := domain.ParseDate(before)
		wantDeadline := domain.DefaultCalendar().NextWorkingDay(domain.DefaultCalendar().AddWorkingDays(bd, 3)).Format(time.DateOnly)
		if r.Case.Deadline != wantDeadline || r.Case.Requested != nil {
			t.Fatalf("back in work: deadline %s (was %s), want %s; %+v", r.Case.Deadline, before, wantDeadline, r.Case)
		}
		// An extension: a later day and a basis.
		_, err = arch.ExtendDeadline(ctx, a1, api.DeadlineRequest{Deadline: before, Basis: "ч. 2 ст. 26"})
		want422("an extension to an earlier day", err)
		_, err = arch.ExtendDeadline(ctx, a1, api.DeadlineRequest{Deadline: "2027-03-01"})
		want422("an extension without a basis", err)
		if r, err = arch.ExtendDeadline(ctx, a1, api.DeadlineRequest{Deadline: "2027-03-01", Basis: "ч. 2 ст. 26"}); err != nil || r.Case.Deadline != "2027-03-01" || r.Event.Kind != domain.EvDeadlineExtended {
			t.Fatalf("extension: %+v %v", r, err)
		}
		if r, err = set(arch, a1, api.StatusRequest{Status: domain.CaseReady, Result: domain.ResultElectronic}); err != nil || r.Case.Result != domain.ResultElectronic {
			t.Fatalf("ready: %+v %v", r.Case, err)
		}
		_, err = set(arch, a2, api.StatusRequest{Status: domain.CaseRefused})
		want422("a refusal without a ground", err)
		if r, err = set(arch, a2, api.StatusRequest{Status: domain.CaseRefused, Ground: "п. 2 ч. 1 ст. 27"}); err != nil || r.Case.Ground == "" {
			t.Fatalf("refused: %+v %v", r.Case, err)
		}
		if _, err := arch.ExtendDeadline(ctx, a2, api.DeadlineRequest{Deadline: "2027-03-01", Basis: "x"}); !errors.Is(err, client.ErrConflict) {
			t.Fatalf("an extension of a refused case: %v, want 409", err)
		}

		// The window's feed carries every change of the desk.
		page, err := srv.Client(t, ws.Token).Feed(ctx, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[domain.EventKind]int{}
		for _, e := range page.Events {
			if e.Window == 0 {
				kinds[e.Kind]++
			}
		}
		if kinds[domain.EvCaseStatusChanged] != 6 || kinds[domain.EvDeadlineExtended] != 1 {
			t.Fatalf("the central's events in the feed: %v", kinds)
		}

		// The report: the architecture desk decided two in time, education has one open.
		var rep api.OfficeReport
		st, b, _ := call(t, srv, http.MethodGet, "/v1/offices/IRK/report?from=2026-11-23&to=2026-11-26", srv.AdminToken, nil)
		if st != http.StatusOK {
			t.Fatalf("report: %d %s", st, b)
		}
		rep = decode[api.OfficeReport](t, b)
		if len(rep.Departments) != 2 {
			t.Fatalf("departments: %+v", rep.Departments)
		}
		got := map[string]api.DepartmentFigures{}
		for _, f := range rep.Departments {
			got[f.Department] = f
		}
		if a := got[deptArch]; a.Received != 2 || a.DecidedInTime != 2 || a.Overdue != 0 || a.AvgDays < 2.9 || a.AvgDays > 3.2 {
			t.Errorf("architecture: %+v", a)
		}
		if e := got[deptEdu]; e.Received != 1 || e.Open != 1 || e.DecidedInTime != 0 {
			t.Errorf("education: %+v", e)
		}
		// Two months on, the education case is overdue in a report up to then.
		clock.Set(monday.AddDate(0, 2, 0))
		_, b, _ = call(t, srv, http.MethodGet, "/v1/offices/IRK/report?from=2026-11-23&to=2027-01-22", srv.AdminToken, nil)
		rep = decode[api.OfficeReport](t, b)
		for _, f := range rep.Departments {
			if f.Department == deptEdu && f.Overdue != 1 {
				t.Errorf("education two months on: %+v", f)
			}
		}
	})
}

// TestOfficerMoved: an officer moved to another department loses the
// sessions that carried the old one.
func TestOfficerMoved(t *testing.T) {
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		ctx := context.Background()
		srv := centraltest.Start(t, opt)
		tok := srv.OfficerSession(t, "arch", "*", deptArch)
		if err := srv.Store.SetDepartment(ctx, "arch", deptEdu); err != nil {
			t.Fatal(err)
		}
		if _, err := srv.Client(t, tok).Cases(ctx, client.CaseQuery{}); !errors.Is(err, client.ErrUnauthorized) {
			t.Fatalf("the old session: %v, want 401", err)
		}
		resp, err := srv.Client(t, "").SignIn(ctx, "arch", centraltest.Password("arch"), 0)
		if err != nil || resp.Operator.Department != deptEdu {
			t.Fatalf("signed in again: %+v %v", resp.Operator, err)
		}
		if err := srv.Store.SetDepartment(ctx, "admin", deptEdu); err == nil {
			t.Fatal("an admin was given a department")
		}
		if err := srv.Store.SetDepartment(ctx, "nobody", deptEdu); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("an unknown login: %v", err)
		}
	})
}
