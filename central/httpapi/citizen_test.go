package httpapi_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/domain"
)

// TestPublicCaseStatus reads a case's status by its number and code, on
// both stores: the history as the department moves it, the same answer for
// a wrong code and an unknown number, a typo told apart, and ten wrong
// codes closing the number for the hour.
func TestPublicCaseStatus(t *testing.T) {
	t.Parallel()
	for _, kind := range centraltest.Kinds() {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			var mu sync.Mutex
			now := time.Now()
			clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
			srv := centraltest.Start(t, centraltest.Kind(t, kind), centraltest.Clock(clock))
			ws := srv.Enrol(t, "IRK", 3)
			dep := srv.Session(t, "dep1", domain.RoleDepartment, "*", 0)
			ch := centraltest.NewChain("IRK", 3)
			reg, vid := ch.Register()
			open, caseID := ch.Open(vid, "advertising_permit")
			number := centraltest.Number(open)
			open2, case2 := ch.Open(vid, "advertising_permit")
			number2 := centraltest.Number(open2)
			for _, r := range push(t, srv, ws.Token, reg, open, ch.HandOffCode(caseID, number, "042042"), open2, ch.HandOffCode(case2, number2, "777777")) {
				if r.Status != api.IngestAccepted {
					t.Fatalf("push: %+v", r)
				}
			}
			get := func(num, code string) (int, []byte, http.Header) {
				return call(t, srv, http.MethodGet, "/v1/public/cases/"+num+"?code="+code, "", nil)
			}
			st, b, h := get(number, "042042")
			if st != http.StatusOK {
				t.Fatalf("right code: %d %s", st, b)
			}
			pc := decode[api.PublicCase](t, b)
			if pc.State != domain.CaseSubmitted || pc.Number != number || pc.Office != "IRK" || pc.ServiceNames["ru"] == "" || len(pc.History) != 2 ||
				pc.History[0].Step != api.StepAccepted || pc.History[1].Step != api.StepSent || pc.Collect != nil {
				t.Fatalf("after the hand-off: %s", b)
			}
			if h.Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control %q", h.Get("Cache-Control"))
			}
			// The code may be typed with a space; the number in lower case.
			if st, b, _ := get(strings.ToLower(number), "042+042"); st != http.StatusOK {
				t.Fatalf("code with a space: %d %s", st, b)
			}
			for _, s := range []domain.CaseState{domain.CaseAccepted, domain.CaseInWork, domain.CaseMoreDocs, domain.CaseInWork, domain.CaseReady} {
				req := api.StatusRequest{Status: s, Note: "Иванову И.И.: паспорт 2504 123456"}
				if s == domain.CaseMoreDocs { // a request names the documents and the day (issue 16)
					req.Documents, req.Due = []string{"Выписка ЕГРН"}, now.AddDate(0, 0, 7).Format(time.DateOnly)
				}
				if st, b, _ := call(t, srv, http.MethodPost, "/v1/cases/"+caseID+"/status", dep, mustJSON(t, req)); st != http.StatusOK {
					t.Fatalf("status %s: %d %s", s, st, b)
				}
			}
			_, b, _ = get(number, "042042")
			pc = decode[api.PublicCase](t, b)
			var steps []string
			for _, s := range pc.History {
				steps = append(steps, s.Step)
			}
			if got := strings.Join(steps, " "); got != "accepted sent registered in_work documents_requested in_work ready" {
				t.Errorf("steps: %s", got)
			}
			if pc.State != domain.CaseReady || pc.Collect == nil || pc.Collect.Office != "IRK" || len(pc.Bring) == 0 || pc.History[6].Office != "IRK" {
				t.Errorf("ready: %s", b)
			}
			for _, secret := range []string{"Иванов", "2504", vid, caseID} {
				if strings.Contains(string(b), secret) {
					t.Errorf("the public answer shows %q: %s", secret, b)
				}
			}

			// A wrong code and an unknown (well-formed) number: one answer.
			unknown := domain.NewCaseNumber("IRK", 3, now, 999).String()
			st1, b1, _ := get(number, "000000")
			st2, b2, _ := get(unknown, "042042")
			if st1 != http.StatusNotFound || st1 != st2 || string(b1) != string(b2) {
				t.Errorf("wrong code %d %s; unknown number %d %s", st1, b1, st2, b2)
			}
			// A mistyped check digit says so; a code of the wrong shape too.
			typo := number[:len(number)-1] + string('0'+(number[len(number)-1]-'0'+1)%10)
			if st, b, _ := get(typo, "042042"); st != http.StatusUnprocessableEntity || decode[api.ErrorBody](t, b).Error.Code != api.CodeCheckNumber {
				t.Errorf("typo: %d %s", st, b)
			}
			if st, _, _ := get("IRK-3", "042042"); st != http.StatusBadRequest {
				t.Errorf("bad shape: %d", st)
			}
			if st, _, _ := get(number, "42"); st != http.StatusBadRequest {
				t.Errorf("short code: %d", st)
			}

			// One wrong code was tried; nine more close the number, even to
			// the right code, for the rest of the hour; another number is open.
			for i := range 9 {
				if st, b, _ := get(number, "11111"+string(rune('0'+i))); st != http.StatusNotFound {
					t.Fatalf("wrong code %d: %d %s", i+2, st, b)
				}
			}
			st, b, h = get(number, "042042")
			if st != http.StatusTooManyRequests || h.Get("Retry-After") == "" {
				t.Fatalf("the 11th try: %d %s", st, b)
			}
			if st, b, _ := get(number2, "777777"); st != http.StatusOK {
				t.Errorf("another number: %d %s", st, b)
			}
			mu.Lock()
			now = now.Add(time.Hour + time.Second)
			mu.Unlock()
			if st, b, _ := get(number, "042042"); st != http.StatusOK {
				t.Errorf("an hour later: %d %s", st, b)
			}
		})
	}
}
