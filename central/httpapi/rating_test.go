package httpapi_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/internal/ratingcode"
)

// TestRatings rates on both stores: a case's code (its hash came in the
// hand-off) refused before the result is issued, then rated once while
// ten requests race (exactly one stored, the others 409 already_rated);
// a kiosk ticket's code refused until the ticket is served; a comment too
// long and a score out of range told; and the report's ratings per
// window, service and clerk with the share below 4.
func TestRatings(t *testing.T) {
	t.Parallel()
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		srv := centraltest.Start(t, opt)
		ctx := context.Background()
		if err := srv.Store.PutOffice(ctx, domain.Office{Code: "IRK", Name: "МФЦ Иркутск", Lang: "ru", AlwaysOpen: true}); err != nil {
			t.Fatal(err)
		}
		ws := srv.Enrol(t, "IRK", 3)
		dep := srv.Session(t, "dep1", domain.RoleDepartment, "*", 0)
		sup := srv.Session(t, "sveta", domain.RoleSupervisor, "IRK", 0)
		ch := centraltest.NewChain("IRK", 3)
		reg, vid := ch.Register()
		open, caseID := ch.Open(vid, "advertising_permit")
		code, err := ratingcode.New(nil)
		if err != nil {
			t.Fatal(err)
		}
		handoff := ch.Next(domain.EvCaseHandedOff, domain.HandOffPayload{RatingCodeHash: ratingcode.Hash(code)}, centraltest.CaseOf(caseID))
		for _, r := range push(t, srv, ws.Token, reg, open, handoff) {
			if r.Status != api.IngestAccepted {
				t.Fatalf("push: %+v", r)
			}
		}
		rate := func(c string, body string) (int, []byte) {
			st, b, _ := call(t, srv, http.MethodPost, "/v1/public/ratings/"+c, "", []byte(body))
			return st, b
		}
		printed := strings.ToLower(ratingcode.Format(code)) // as typed from the receipt
		st, b, _ := call(t, srv, http.MethodGet, "/v1/public/ratings/"+printed, "", nil)
		if rt := decode[api.RatingTarget](t, b); st != http.StatusOK || rt.State != api.RatingNotYet || rt.Subject != "case" || rt.ServiceNames["ru"] == "" {
			t.Fatalf("before the issue: %d %s", st, b)
		}
		if st, b := rate(code, `{"score": 5}`); st != http.StatusConflict || errCode(t, b) != api.CodeNotYet {
			t.Fatalf("rated before the issue: %d %s", st, b)
		}
		for _, s := range []domain.CaseState{domain.CaseAccepted, domain.CaseInWork, domain.CaseReady} {
			if st, b, _ := call(t, srv, http.MethodPost, "/v1/cases/"+caseID+"/status", dep, mustJSON(t, api.StatusRequest{Status: s})); st != http.StatusOK {
				t.Fatalf("status %s: %d %s", s, st, b)
			}
		}
		issue := ch.Next(domain.EvResultIssued, domain.IssuePayload{}, centraltest.CaseOf(caseID))
		if r := push(t, srv, ws.Token, issue); r[0].Status != api.IngestAccepted {
			t.Fatalf("issue: %+v", r)
		}
		// Bad input: each says what to do, and nothing is stored.
		if st, b := rate(code, `{"score": 6}`); st != http.StatusUnprocessableEntity || !strings.Contains(string(b), "1 to 5") {
			t.Errorf("score 6: %d %s", st, b)
		}
		long := string(mustJSON(t, api.RatingRequest{Score: 4, Comment: strings.Repeat("ы", 501)}))
		if st, b := rate(code, long); st != http.StatusUnprocessableEntity || !strings.Contains(string(b), "500") {
			t.Errorf("long comment: %d %s", st, b)
		}
		// Bytes that are not text: refused at the door over JSON, and by
		// the store itself for its other callers (the page's form).
		if st, b := rate(code, `{"score": 4, "comment": "a\u0000b"}`); st != http.StatusBadRequest && st != http.StatusUnprocessableEntity {
			t.Errorf("NUL in the comment: %d %s", st, b)
		}
		for _, bad := range []string{"a\x00b", "a\xffb"} {
			var inv *domain.InvalidError
			if _, err := srv.Store.Rate(ctx, code, 4, bad); !errors.As(err, &inv) || inv.Field != "comment" {
				t.Errorf("store.Rate with comment %q: %v", bad, err)
			}
		}
		if st, b := rate("K7M2-9QXA-3FH", `{"score": 4}`); st != http.StatusNotFound {
			t.Errorf("short code: %d %s", st, b)
		}
		other, _ := ratingcode.New(nil)
		if st, b := rate(other, `{"score": 4}`); st != http.StatusNotFound {
			t.Errorf("unknown code: %d %s", st, b)
		}
		// Ten at once: one rating.
		var wg sync.WaitGroup
		results := make(chan int, 10)
		for i := range 10 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				st, b := rate(printed, string(mustJSON(t, api.RatingRequest{Score: 3, Comment: "долго ждал " + string(rune('0'+i))})))
				if st != http.StatusCreated && (st != http.StatusConflict || errCode(t, b) != api.CodeAlreadyRated) {
					t.Errorf("racing rating: %d %s", st, b)
				}
				results <- st
			}()
		}
		wg.Wait()
		close(results)
		created := 0
		for st := range results {
			if st == http.StatusCreated {
				created++
			}
		}
		if created != 1 || srv.Count(t, `SELECT COUNT(*) FROM ratings`) != 1 {
			t.Fatalf("10 racing ratings: %d created, %d stored", created, srv.Count(t, `SELECT COUNT(*) FROM ratings`))
		}
		if _, b, _ := call(t, srv, http.MethodGet, "/v1/public/ratings/"+code, "", nil); decode[api.RatingTarget](t, b).State != api.RatingRated {
			t.Errorf("after the rating: %s", b)
		}
		if strings.Contains(string(b), "долго") {
			t.Errorf("the public answer shows the comment: %s", b)
		}

		// A kiosk ticket: its code comes with it, and rates it once served.
		st, b, _ = call(t, srv, http.MethodPost, "/v1/public/offices/IRK/tickets", "", []byte(`{"service": "advertising_permit"}`))
		if st != http.StatusCreated {
			t.Fatalf("kiosk ticket: %d %s", st, b)
		}
		kt := decode[struct {
			Number     string `json:"number"`
			RatingCode string `json:"rating_code"`
			RateURL    string `json:"rate_url"`
		}](t, b)
		tcode, ok := ratingcode.Normalize(kt.RatingCode)
		if !ok || kt.RateURL != "/rate/"+tcode {
			t.Fatalf("kiosk ticket's rating: %s", b)
		}
		if st, b := rate(tcode, `{"score": 5}`); st != http.StatusConflict || errCode(t, b) != api.CodeNotYet {
			t.Fatalf("a waiting ticket rated: %d %s", st, b)
		}
		var ticketID string
		if err := srv.SQL(t).QueryRow(`SELECT id FROM tickets WHERE number = '` + kt.Number + `' AND office = 'IRK'`).Scan(&ticketID); err != nil {
			t.Fatal(err)
		}
		ch.Actor, ch.At = "boris", time.Now().UTC()
		if r := push(t, srv, ws.Token, ch.Move(domain.EvTicketCalled, ticketID), ch.Move(domain.EvTicketServed, ticketID)); r[1].Status != api.IngestAccepted {
			t.Fatalf("serve: %+v", r)
		}
		if st, b := rate(tcode, `{"score": 5, "comment": "спасибо"}`); st != http.StatusCreated {
			t.Fatalf("served ticket: %d %s", st, b)
		}
		if st, b := rate(tcode, `{"score": 1}`); st != http.StatusConflict || errCode(t, b) != api.CodeAlreadyRated {
			t.Fatalf("second rating: %d %s", st, b)
		}

		// The report: two ratings today, one below 4.
		st, b, _ = call(t, srv, http.MethodGet, "/v1/offices/IRK/report", sup, nil)
		if st != http.StatusOK {
			t.Fatalf("report: %d %s", st, b)
		}
		rep := decode[api.OfficeReport](t, b)
		rf := rep.Total.Ratings
		if rf.Count != 2 || rf.Avg != 4 || rf.Below4Pct != 50 || len(rf.Windows) != 1 || rf.Windows[0].Key != "3" || rf.Windows[0].Count != 2 ||
			len(rf.Clerks) != 2 || len(rf.Services) != 1 || rf.Services[0].Key != "advertising_permit" {
			t.Fatalf("report's ratings: %+v", rf)
		}
		if d := rep.Days[len(rep.Days)-1].Ratings; d.Count != 2 {
			t.Errorf("today's ratings: %+v", d)
		}
		clerks := map[string]float64{}
		for _, c := range rf.Clerks {
			clerks[c.Key] = c.Avg
		}
		if clerks["boris"] != 5 || len(clerks) != 2 {
			t.Errorf("clerks: %+v", rf.Clerks)
		}
	})
}
