package main

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/central/httpapi"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/internal/ratingcode"
)

func TestReportFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--office", "IRK", "--token", "x"}, "give --central"},
		{[]string{"--central", "http://127.0.0.1:1", "--token", "x"}, "give --office"},
		{[]string{"--central", "http://127.0.0.1:1", "--office", "irk", "--token", "x"}, "give --office"},
		{[]string{"--central", "http://127.0.0.1:1", "--office", "IRK"}, "sign in"},
		{[]string{"--central", "http://127.0.0.1:1", "--office", "IRK", "--token", "x", "--login", "sam"}, "one of"},
		{[]string{"--central", "http://127.0.0.1:1", "--office", "IRK", "--token", "x", "--from", "12.03.2025"}, "YYYY-MM-DD"},
		{[]string{"--central", "http://127.0.0.1:1", "--office", "IRK", "--token", "x", "--from", "2025-03-12", "--to", "2025-03-01"}, "before"},
		{[]string{"--central", "127.0.0.1:1", "--office", "IRK", "--token", "x"}, "http://host:port"},
	}
	for _, tc := range tests {
		var errOut bytes.Buffer
		_, code := runWith(t, nil, &errOut, append([]string{"report"}, tc.args...)...)
		if code != 2 || !strings.Contains(errOut.String(), tc.want) {
			t.Errorf("%v: code %d, %q; want 2 and %q", tc.args, code, errOut.String(), tc.want)
		}
	}
}

// reportServer is a central at 12:00 UTC on 12 March 2025 with two days of
// tickets at IRK (see central/httpapi/report_test.go for the same story).
func reportServer(t *testing.T) *centraltest.Server {
	t.Helper()
	today := time.Date(2025, 3, 12, 0, 0, 0, 0, time.UTC)
	srv := centraltest.Start(t, centraltest.Clock(func() time.Time { return today.Add(12 * time.Hour) }),
		centraltest.Config(func(c *httpapi.Config) { c.Location = time.UTC }))
	for _, pattern := range []string{"GET /v1/offices/{office}/report"} {
		found := false
		for _, r := range srv.API.Routes() {
			found = found || r.Pattern == pattern
		}
		if !found {
			t.Fatalf("the central does not serve %s, which okno report reads", pattern)
		}
	}
	hm := func(day time.Time, h, m int) time.Time {
		return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute - time.Second)
	}
	yesterday := today.AddDate(0, 0, -1)
	chains, tokens := map[int]*centraltest.Chain{}, map[int]string{}
	push := func(window int, actor string, steps func(c *centraltest.Chain) []domain.Event) {
		ch := chains[window]
		if ch == nil {
			ch = centraltest.NewChain("IRK", window)
			chains[window], tokens[window] = ch, srv.Enrol(t, "IRK", window).Token
		}
		ws := struct{ Token string }{tokens[window]}
		ch.Actor = actor
		res, err := srv.Client(t, ws.Token).PushEvents(context.Background(), steps(ch))
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res.Results {
			if r.Status != api.IngestAccepted {
				t.Fatalf("seed: %+v", r)
			}
		}
	}
	push(1, "anna", func(c *centraltest.Chain) []domain.Event {
		c.At = hm(yesterday, 10, 0)
		a, ta := c.Issue("advertising_permit", "")
		c.At = hm(yesterday, 10, 1)
		b, tb := c.Issue("advertising_permit", "")
		c.At = hm(yesterday, 10, 5)
		evs := []domain.Event{a, b, c.Move(domain.EvTicketCalled, ta)}
		c.At = hm(yesterday, 10, 17)
		evs = append(evs, c.Move(domain.EvTicketServed, ta))
		c.At = hm(yesterday, 10, 30)
		evs = append(evs, c.Move(domain.EvTicketCalled, tb))
		c.At = hm(yesterday, 10, 32)
		return append(evs, c.Move(domain.EvTicketNoShow, tb))
	})
	push(2, "boris", func(c *centraltest.Chain) []domain.Event {
		c.At = hm(today, 11, 30)
		x, tx := c.Issue("legal_act_copy", "")
		c.At = hm(today, 11, 40)
		evs := []domain.Event{x, c.Move(domain.EvTicketCalled, tx)}
		c.At = hm(today, 11, 50)
		return append(evs, c.Move(domain.EvTicketServed, tx))
	})
	// Two cases handed off yesterday at 10:40: the architecture department
	// made its one ready today at 12:00, education's is still open.
	var arch string
	push(3, "vera", func(c *centraltest.Chain) []domain.Event {
		c.At = hm(yesterday, 10, 40)
		reg, vid := c.Register()
		o1, c1 := c.Open(vid, "advertising_permit")
		o2, c2 := c.Open(vid, "kindergarten_queue")
		arch = c1
		h1 := c.Next(domain.EvCaseHandedOff, domain.HandOffPayload{RatingCodeHash: ratingcode.Hash(reportRatingCode)}, centraltest.CaseOf(c1))
		return []domain.Event{reg, o1, h1, o2, c.HandOff(c2)}
	})
	dep := srv.Client(t, srv.Session(t, "dep", domain.RoleDepartment, "*", 0))
	for _, st := range []domain.CaseState{domain.CaseAccepted, domain.CaseInWork, domain.CaseReady} {
		if _, err := dep.SetStatus(context.Background(), arch, api.StatusRequest{Status: st}); err != nil {
			t.Fatal(err)
		}
	}
	// Vera issues the architecture department's result today, and its
	// visitor rates it 3 with the code of the receipt.
	push(3, "vera", func(c *centraltest.Chain) []domain.Event {
		c.At = hm(today, 11, 55)
		return []domain.Event{c.Next(domain.EvResultIssued, domain.IssuePayload{}, centraltest.CaseOf(arch))}
	})
	resp, err := http.Post(srv.URL+"/v1/public/ratings/"+reportRatingCode, "application/json", strings.NewReader(`{"score": 3, "comment": "долго"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("rating: %s", resp.Status)
	}
	return srv
}

// reportRatingCode is the rating code of the architecture case's receipt.
const reportRatingCode = "K7M29QXA3FHD"

func TestReportTableAndCSV(t *testing.T) {
	t.Parallel()
	srv := reportServer(t)
	tok := srv.Session(t, "sup", domain.RoleSupervisor, "IRK", 0)
	base := []string{"report", "--central", srv.URL, "--office", "IRK", "--from", "2025-03-10", "--to", "2025-03-12"}
	var errOut bytes.Buffer

	out, code := runWith(t, nil, &errOut, append(base, "--csv", "--token", tok)...)
	want := `office,date,visitors,served,no_shows,avg_wait_sec,max_wait_sec,within_norm_pct,avg_service_sec,ratings,avg_rating,ratings_below4_pct
IRK,2025-03-10,0,0,0,0.0,0.0,0.0,0.0,0,0.00,0.0
IRK,2025-03-11,2,1,1,1020.0,1740.0,50.0,720.0,0,0.00,0.0
IRK,2025-03-12,1,1,0,600.0,600.0,100.0,600.0,1,3.00,100.0
IRK,total,3,2,1,880.0,1740.0,66.7,660.0,1,3.00,100.0
`
	if code != 0 || out != want {
		t.Fatalf("csv: code %d %s\n%s\nwant\n%s", code, errOut.String(), out, want)
	}

	out, code = runWith(t, nil, &errOut, append(base, "--token", tok, "--lang", "en")...)
	if code != 0 {
		t.Fatalf("table: code %d %s", code, errOut.String())
	}
	for _, w := range []string{"Office IRK, 2025-03-10 – 2025-03-12", "By service", "By operator", "By department",
		"Ratings, 2025-03-10 – 2025-03-12: 1, average 3.00, below 4: 100.0%"} {
		if !strings.Contains(out, w) {
			t.Errorf("table lacks %q:\n%s", w, out)
		}
	}
	for _, l := range []struct{ key, want string }{
		{"2025-03-11", "2 1 1 17:00 29:00 50.0% 12:00"},
		{"2025-03-10", "0 0 0 — — — —"},
		{"Total", "3 2 1 14:40 29:00 66.7% 11:00"},
		{"anna", "1 1 12:00"},
		{"legal_act_copy", "Copies and extracts"},
	} {
		if got := reportLine(out, l.key); !strings.Contains(got, l.want) {
			t.Errorf("line %q: %q, want %q", l.key, got, l.want)
		}
	}

	for _, l := range []struct{ key, want string }{
		{"Управление архитектуры", " 1 1 0 0 0 1.1"},
		{"Управление образования", "администрации 1 0 0 0 1 —"},
	} {
		if got := strings.Join(strings.Fields(lineWith(t, out, l.key)), " "); !strings.HasSuffix(got, l.want) {
			t.Errorf("line %q: %q, want it to end %q", l.key, got, l.want)
		}
	}
	out, code = runWith(t, nil, &errOut, append(base, "--csv", "--departments", "--token", tok)...)
	wantDept := `office,from,to,department,received,decided_in_time,decided_late,overdue,open,withdrawn,avg_days
IRK,2025-03-10,2025-03-12,Управление архитектуры и градостроительства администрации,1,1,0,0,0,0,1.1
IRK,2025-03-10,2025-03-12,Управление образования администрации,1,0,0,0,1,0,0.0
`
	if code != 0 || out != wantDept {
		t.Fatalf("csv by department: code %d %s\n%s\nwant\n%s", code, errOut.String(), out, wantDept)
	}

	table, _ := runWith(t, nil, &errOut, append(base, "--token", tok, "--lang", "en")...)
	if got := reportLine(table, "vera"); got != "vera 1 3.00 100.0%" {
		t.Errorf("the clerk's ratings: %q", got)
	}
	out, code = runWith(t, nil, &errOut, append(base, "--csv", "--ratings", "--token", tok)...)
	wantRatings := `office,from,to,by,key,ratings,avg_rating,below4_pct
IRK,2025-03-10,2025-03-12,window,3,1,3.00,100.0
IRK,2025-03-10,2025-03-12,service,advertising_permit,1,3.00,100.0
IRK,2025-03-10,2025-03-12,clerk,vera,1,3.00,100.0
IRK,2025-03-10,2025-03-12,total,,1,3.00,100.0
`
	if code != 0 || out != wantRatings {
		t.Fatalf("csv of ratings: code %d %s\n%s\nwant\n%s", code, errOut.String(), out, wantRatings)
	}
	if strings.Contains(out, "долго") {
		t.Errorf("the report shows a comment")
	}

	// A password on stdin; a wrong one.
	srv.AddUser(t, "head", domain.RoleSupervisor, "*")
	out, code = runWith(t, strings.NewReader(centraltest.Password("head")+"\n"), &errOut, append(base, "--csv", "--login", "head")...)
	if code != 0 || out != want {
		t.Fatalf("--login: code %d %s", code, errOut.String())
	}
	errOut.Reset()
	if _, code = runWith(t, strings.NewReader("wrong password\n"), &errOut, append(base, "--login", "head")...); code != 1 ||
		!strings.Contains(errOut.String(), "wrong login or password") {
		t.Fatalf("wrong password: code %d %s", code, errOut.String())
	}
	// A clerk may not; another office's supervisor may not.
	for _, who := range []string{srv.Session(t, "clerk1", domain.RoleClerk, "IRK", 1), srv.Session(t, "sup2", domain.RoleSupervisor, "MSK", 0)} {
		errOut.Reset()
		if _, code = runWith(t, nil, &errOut, append(base, "--token", who)...); code != 1 || !strings.Contains(errOut.String(), "may not see") {
			t.Errorf("forbidden: code %d %s", code, errOut.String())
		}
	}
	// No central there.
	errOut.Reset()
	if _, code = runWith(t, nil, &errOut, "report", "--central", "http://127.0.0.1:1", "--office", "IRK", "--token", tok); code != 1 ||
		!strings.Contains(errOut.String(), "cannot reach") {
		t.Errorf("offline: code %d %s", code, errOut.String())
	}
}

func TestClockTime(t *testing.T) {
	t.Parallel()
	for sec, want := range map[float64]string{0: "—", 59.6: "1:00", 1740: "29:00", 3725: "1:02:05"} {
		if got := clockTime(sec); got != want {
			t.Errorf("clockTime(%g) = %q, want %q", sec, got, want)
		}
	}
}

// reportLine is the first line of out that starts with key, its fields
// joined by one space.
func reportLine(out, key string) string {
	for _, l := range strings.Split(out, "\n") {
		if f := strings.Fields(l); len(f) > 0 && f[0] == key {
			return strings.Join(f, " ")
		}
	}
	return ""
}
