package httpapi_test

import (
	"context"
	"math"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/central/httpapi"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/domain"
)

// reportClock is a clock a test moves.
type reportClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *reportClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *reportClock) Set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

// reportDay is 12 March 2025 in UTC, the report tests' "today".
var reportDay = time.Date(2025, 3, 12, 0, 0, 0, 0, time.UTC)

func hm(day time.Time, h, m int) time.Time {
	return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
}

// startReport starts a server at 12:00 of reportDay with two days of
// tickets at IRK:
//
//	11 March, window 1, anna: A issued 10:00, called 10:05, served 10:17;
//	                          B issued 10:01, called 10:30 (29 min), no-show 10:32.
//	12 March, window 2, boris: C issued 11:30, called 11:40, served 11:50;
//	                           D (foreign passport) issued 11:50, waits.
func startReport(t *testing.T, opt centraltest.Option) (*centraltest.Server, *reportClock) {
	t.Helper()
	clock := &reportClock{now: hm(reportDay, 12, 0)}
	srv := centraltest.Start(t, opt, centraltest.Clock(clock.Now),
		centraltest.Config(func(c *httpapi.Config) { c.Location = time.UTC }))
	yesterday := reportDay.AddDate(0, 0, -1)
	w1, w2 := srv.Enrol(t, "IRK", 1), srv.Enrol(t, "IRK", 2)
	c1, c2 := centraltest.NewChain("IRK", 1), centraltest.NewChain("IRK", 2)
	c1.Actor, c2.Actor = "anna", "boris"
	at := func(c *centraltest.Chain, when time.Time) *centraltest.Chain { c.At = when.Add(-time.Second); return c }
	const svc = "advertising_permit"
	a, ta := at(c1, hm(yesterday, 10, 0)).Issue(svc, "")
	b, tb := at(c1, hm(yesterday, 10, 1)).Issue(svc, "")
	evs1 := []domain.Event{a, b,
		at(c1, hm(yesterday, 10, 5)).Move(domain.EvTicketCalled, ta),
		at(c1, hm(yesterday, 10, 17)).Move(domain.EvTicketServed, ta),
		at(c1, hm(yesterday, 10, 30)).Move(domain.EvTicketCalled, tb),
		at(c1, hm(yesterday, 10, 32)).Move(domain.EvTicketNoShow, tb),
	}
	c, tc := at(c2, hm(reportDay, 11, 30)).Issue(svc, "")
	d, _ := at(c2, hm(reportDay, 11, 50)).Issue("foreign_passport", "")
	evs2 := []domain.Event{c,
		at(c2, hm(reportDay, 11, 40)).Move(domain.EvTicketCalled, tc),
		d,
		at(c2, hm(reportDay, 11, 50)).Move(domain.EvTicketServed, tc),
	}
	for _, p := range []struct {
		tok string
		evs []domain.Event
	}{{w1.Token, evs1}, {w2.Token, evs2}} {
		for _, r := range push(t, srv, p.tok, p.evs...) {
			if r.Status != api.IngestAccepted {
				t.Fatalf("seed: %+v", r)
			}
		}
	}
	return srv, clock
}

func closeTo(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

func sameFigures(t *testing.T, what string, got, want api.DayFigures) {
	t.Helper()
	if got.Visitors != want.Visitors || got.Served != want.Served || got.NoShows != want.NoShows ||
		got.ArrivalsLastHr != want.ArrivalsLastHr || !closeTo(got.AvgWaitSec, want.AvgWaitSec) ||
		!closeTo(got.MaxWaitSec, want.MaxWaitSec) || !closeTo(got.WithinNormPct, want.WithinNormPct) ||
		!closeTo(got.AvgServiceSec, want.AvgServiceSec) {
		t.Errorf("%s:\n got  %+v\n want %+v", what, got, want)
	}
}

func TestReportDays(t *testing.T) {
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		srv, _ := startReport(t, opt)
		ctx := context.Background()
		rep, err := srv.Store.Report(ctx, "IRK", reportDay.AddDate(0, 0, -2), reportDay, domain.DefaultCatalog(), time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		if rep.From != "2025-03-10" || rep.To != "2025-03-12" || len(rep.Days) != 3 {
			t.Fatalf("period: %s…%s, %d days", rep.From, rep.To, len(rep.Days))
		}
		sameFigures(t, "10 March", rep.Days[0].DayFigures, api.DayFigures{})
		sameFigures(t, "11 March", rep.Days[1].DayFigures, api.DayFigures{Visitors: 2, Served: 1, NoShows: 1,
			AvgWaitSec: (300 + 1740) / 2, MaxWaitSec: 1740, WithinNormPct: 50, AvgServiceSec: 720})
		sameFigures(t, "12 March", rep.Days[2].DayFigures, api.DayFigures{Visitors: 2, Served: 1,
			AvgWaitSec: 600, MaxWaitSec: 600, WithinNormPct: 100, AvgServiceSec: 600, ArrivalsLastHr: 2})
		sameFigures(t, "total", rep.Total.DayFigures, api.DayFigures{Visitors: 4, Served: 2, NoShows: 1,
			AvgWaitSec: (300 + 1740 + 600 + 600) / 4.0, MaxWaitSec: 1740, WithinNormPct: 75, AvgServiceSec: 660})

		ops := rep.Days[1].Operators
		if len(ops) != 1 || ops[0].Operator != "anna" || ops[0].Served != 1 || !slices.Equal(ops[0].Windows, []int{1}) || ops[0].AvgServiceSec != 720 {
			t.Errorf("11 March operators: %+v", ops)
		}
		if ops := rep.Total.Operators; len(ops) != 2 || ops[0].Operator != "anna" || ops[1].Operator != "boris" || ops[1].AvgServiceSec != 600 {
			t.Errorf("total operators: %+v", ops)
		}
		svcs := rep.Days[2].Services
		if len(svcs) != 2 || svcs[0].Service != "advertising_permit" || svcs[0].Served != 1 || svcs[0].WaitNormMin != 15 ||
			svcs[1].Service != "foreign_passport" || svcs[1].Visitors != 1 || svcs[1].AvgWaitSec != 600 {
			t.Errorf("12 March services: %+v", svcs)
		}

		// Today's figures are the live queue's figures.
		sup := srv.Client(t, srv.Session(t, "sup", domain.RoleSupervisor, "IRK", 0))
		snap, err := sup.Queue(ctx, "IRK")
		if err != nil {
			t.Fatal(err)
		}
		sameFigures(t, "today vs the snapshot", rep.Days[2].DayFigures, snap.Today)

		// The client and the route.
		mustRoute(t, srv, "GET /v1/offices/{office}/report")
		got, err := sup.OfficeReport(ctx, "IRK", "2025-03-11", "2025-03-12")
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Days) != 2 || got.Total.Visitors != 4 || got.Days[0].Date != "2025-03-11" {
			t.Errorf("over HTTP: %+v", got)
		}
		if today, err := sup.OfficeReport(ctx, "IRK", "", ""); err != nil || len(today.Days) != 1 || today.Days[0].Date != "2025-03-12" {
			t.Errorf("today over HTTP: %+v %v", today, err)
		}
		for _, q := range []string{"?from=12.03.2025", "?from=2025-03-12&to=2025-03-11", "?from=2024-01-01&to=2025-03-12", "?office=MSK"} {
			if st, b, _ := call(t, srv, http.MethodGet, "/v1/offices/IRK/report"+q, srv.Session(t, "sup", domain.RoleSupervisor, "IRK", 0), nil); st != http.StatusBadRequest {
				t.Errorf("report%s: %d %s", q, st, b)
			}
		}
		if st, _, _ := call(t, srv, http.MethodGet, "/v1/offices/MSK/report", srv.Session(t, "sup", domain.RoleSupervisor, "IRK", 0), nil); st != http.StatusForbidden {
			t.Errorf("another office's report: %d", st)
		}
	})
}

func TestAttentionAndOffices(t *testing.T) {
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		srv, clock := startReport(t, opt)
		ctx := context.Background()
		ws := srv.Enrol(t, "IRK", 3)
		ch := centraltest.NewChain("IRK", 3)
		ch.At = hm(reportDay, 9, 0).AddDate(0, 0, -60)
		reg, vid := ch.Register()
		// Overdue: handed off with a deadline of 1 March.
		late := centraltest.NewID()
		number := domain.NewCaseNumber("IRK", 3, ch.At, 99).String()
		evs := []domain.Event{reg, ch.Next(domain.EvCaseOpened, domain.CaseOpenedPayload{Number: number, Service: "advertising_permit", Deadline: "2025-03-01"},
			centraltest.CaseOf(late), centraltest.VisitorOf(vid)), ch.HandOff(late)}
		// Ready 40 days ago and never collected; and one ready yesterday.
		open2, old := ch.Open(vid, "archive_certificate")
		evs = append(evs, open2, ch.HandOff(old))
		open3, fresh := ch.Open(vid, "archive_certificate")
		evs = append(evs, open3, ch.HandOff(fresh))
		// Rejected: the hand-off of a case the central never saw.
		bad := ch.HandOff(centraltest.NewID())
		res := push(t, srv, ws.Token, append(evs, bad)...)
		for _, r := range res[:len(res)-1] {
			if r.Status != api.IngestAccepted {
				t.Fatalf("seed: %+v", r)
			}
		}
		if res[len(res)-1].Status != api.IngestRejected {
			t.Fatalf("the bad hand-off: %+v", res[len(res)-1])
		}
		dep := srv.Client(t, srv.Session(t, "dep", domain.RoleDepartment, "*", 0))
		ready := func(id string, when time.Time) {
			clock.Set(when)
			for _, st := range []domain.CaseState{domain.CaseAccepted, domain.CaseInWork, domain.CaseReady} {
				if _, err := dep.SetStatus(ctx, id, api.StatusRequest{Status: st}); err != nil {
					t.Fatalf("%s → %s: %v", id, st, err)
				}
			}
		}
		ready(old, hm(reportDay, 10, 0).AddDate(0, 0, -40))
		ready(fresh, hm(reportDay, 10, 0).AddDate(0, 0, -1))
		clock.Set(hm(reportDay, 12, 0))

		a, err := srv.Store.Attention(ctx, "IRK", 7, store.Keeping{Days: 30, Loc: time.UTC}, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		if a.OverdueTotal != 1 || len(a.Overdue) != 1 || a.Overdue[0].ID != late || a.Overdue[0].State != domain.CaseSubmitted {
			t.Errorf("overdue: %d %+v", a.OverdueTotal, a.Overdue)
		}
		if a.UnclaimedTotal != 1 || len(a.Unclaimed) != 1 || a.Unclaimed[0].ID != old {
			t.Errorf("unclaimed: %d %+v", a.UnclaimedTotal, a.Unclaimed)
		}
		if a.RejectedTotal != 1 || len(a.Rejected) != 1 || a.Rejected[0].ID != bad.ID || a.Rejected[0].Reason == "" ||
			a.Rejected[0].Window != 3 || a.Rejected[0].Kind != domain.EvCaseHandedOff {
			t.Errorf("rejected: %d %+v", a.RejectedTotal, a.Rejected)
		}
		// A day later the rejection is still listed; eight days later not.
		clock.Set(hm(reportDay, 12, 0).AddDate(0, 0, 8))
		if a, err := srv.Store.Attention(ctx, "IRK", 7, store.Keeping{Days: 30, Loc: time.UTC}, time.UTC); err != nil || a.RejectedTotal != 0 {
			t.Errorf("eight days later: %d rejected, %v", a.RejectedTotal, err)
		}
		clock.Set(hm(reportDay, 12, 0))

		srv.Enrol(t, "MSK", 1)
		list, err := srv.Store.Offices(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(list.Offices) != 2 || list.Offices[0] != (api.OfficeInfo{Code: "IRK", Windows: 3}) || list.Offices[1].Code != "MSK" {
			t.Errorf("offices: %+v", list.Offices)
		}

		mustRoute(t, srv, "GET /v1/offices/{office}/attention")
		mustRoute(t, srv, "GET /v1/offices")
		sup := srv.Client(t, srv.Session(t, "sup", domain.RoleSupervisor, "IRK", 0))
		if got, err := sup.Attention(ctx, "IRK", 0); err != nil || got.OverdueTotal != 1 || got.UnclaimedTotal != 1 || got.RejectedTotal != 1 {
			t.Errorf("attention over HTTP: %+v %v", got, err)
		}
		if got, err := sup.Offices(ctx); err != nil || len(got.Offices) != 1 || got.Offices[0].Code != "IRK" {
			t.Errorf("a supervisor of IRK sees %+v %v", got, err)
		}
		head := srv.Client(t, srv.Session(t, "head", domain.RoleSupervisor, "*", 0))
		if got, err := head.Offices(ctx); err != nil || len(got.Offices) != 2 {
			t.Errorf("head office sees %+v %v", got, err)
		}
		clerk := srv.Client(t, srv.Session(t, "clerk9", domain.RoleClerk, "IRK", 1))
		if _, err := clerk.Attention(ctx, "IRK", 0); err == nil {
			t.Error("a clerk read the attention list")
		}
	})
}

// mustRoute fails the test unless the server serves pattern: a route
// deleted from routes.go fails here, it is never skipped.
func mustRoute(t *testing.T, srv *centraltest.Server, pattern string) {
	t.Helper()
	for _, r := range srv.API.Routes() {
		if r.Pattern == pattern {
			return
		}
	}
	t.Fatalf("%s is not in the server's routes (routes.go)", pattern)
}
