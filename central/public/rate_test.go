package public_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/central/public/browsertest"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/internal/ratingcode"
)

// ratedCase hands off a case whose receipt carries a rating code, has the
// department make it ready and, when issue is set, the window issue it;
// it returns the code.
func ratedCase(t *testing.T, srv *centraltest.Server, ch *centraltest.Chain, push func(...domain.Event), issue bool) string {
	t.Helper()
	code, err := ratingcode.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	reg, vid := ch.Register()
	open, caseID := ch.Open(vid, "advertising_permit")
	push(reg, open, ch.Next(domain.EvCaseHandedOff, domain.HandOffPayload{RatingCodeHash: ratingcode.Hash(code)}, centraltest.CaseOf(caseID)))
	dep := srv.Client(t, srv.Session(t, "dep1", domain.RoleDepartment, "*", 0))
	for _, s := range []domain.CaseState{domain.CaseAccepted, domain.CaseInWork, domain.CaseReady} {
		if _, err := dep.SetStatus(context.Background(), caseID, api.StatusRequest{Status: s}); err != nil {
			t.Fatal(err)
		}
	}
	if issue {
		push(ch.Next(domain.EvResultIssued, domain.IssuePayload{}, centraltest.CaseOf(caseID)))
	}
	return code
}

func ratePage(t *testing.T, srv *centraltest.Server, method, path string, form url.Values) (int, string) {
	t.Helper()
	var resp *http.Response
	var err error
	if method == http.MethodPost {
		resp, err = http.PostForm(srv.URL+path, form)
	} else {
		resp, err = http.Get(srv.URL + path)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestRatePageAnswers: the page says "not yet" before the result is
// issued, takes a rating once (a second is refused), tells a missing
// score and a long comment, and never shows the comment back once rated.
func TestRatePageAnswers(t *testing.T) {
	t.Parallel()
	srv, ch, push := start(t)
	early := ratedCase(t, srv, ch, push, false)
	if st, body := ratePage(t, srv, http.MethodGet, "/rate/"+early, nil); st != http.StatusOK || !strings.Contains(body, "Оценить можно после обслуживания") || strings.Contains(body, `id="rating"`) {
		t.Fatalf("before the issue: %d\n%s", st, body)
	}
	if st, _ := ratePage(t, srv, http.MethodPost, "/rate/"+early, url.Values{"score": {"5"}}); st != http.StatusConflict {
		t.Errorf("rated before the issue: %d", st)
	}
	code := ratedCase(t, srv, ch, push, true)
	st, body := ratePage(t, srv, http.MethodGet, "/rate/"+strings.ToLower(ratingcode.Format(code)), nil)
	if st != http.StatusOK || !strings.Contains(body, `id="rating"`) || !strings.Contains(body, "Выдача разрешения на установку") {
		t.Fatalf("the form: %d\n%s", st, body)
	}
	if st, body := ratePage(t, srv, http.MethodPost, "/rate/"+code, url.Values{"comment": {"без оценки"}}); st != http.StatusUnprocessableEntity ||
		!strings.Contains(body, "Выберите оценку") || !strings.Contains(body, "без оценки") {
		t.Errorf("no score: %d\n%s", st, body)
	}
	if st, body := ratePage(t, srv, http.MethodPost, "/rate/"+code, url.Values{"score": {"4"}, "comment": {strings.Repeat("ж", 501)}}); st != http.StatusUnprocessableEntity ||
		!strings.Contains(body, "до 500 знаков") {
		t.Errorf("long comment: %d", st)
	}
	for _, bad := range []string{"быст\x00ро", "быст\xffро"} {
		if st, body := ratePage(t, srv, http.MethodPost, "/rate/"+code, url.Values{"score": {"4"}, "comment": {bad}}); st != http.StatusUnprocessableEntity ||
			!strings.Contains(body, "недопустимые символы") {
			t.Errorf("comment %q: %d", bad, st)
		}
	}
	if st, body := ratePage(t, srv, http.MethodPost, "/rate/"+code, url.Values{"score": {"4"}, "comment": {"быстро"}}); st != http.StatusCreated || !strings.Contains(body, "Спасибо") {
		t.Fatalf("rating: %d\n%s", st, body)
	}
	if st, body := ratePage(t, srv, http.MethodPost, "/rate/"+code, url.Values{"score": {"1"}}); st != http.StatusConflict || !strings.Contains(body, "уже поставлена оценка") {
		t.Errorf("second rating: %d\n%s", st, body)
	}
	if _, body := ratePage(t, srv, http.MethodGet, "/rate/"+code, nil); strings.Contains(body, "быстро") || strings.Contains(body, `id="rating"`) {
		t.Errorf("a rated code's page shows the comment or the form:\n%s", body)
	}
	if st, body := ratePage(t, srv, http.MethodGet, "/rate?code=ABC", nil); st != http.StatusNotFound || !strings.Contains(body, "12 букв и цифр") {
		t.Errorf("a bad code: %d", st)
	}
	other, _ := ratingcode.New(nil)
	if st, body := ratePage(t, srv, http.MethodGet, "/rate/"+other, nil); st != http.StatusNotFound || !strings.Contains(body, "Такого кода оценки нет") {
		t.Errorf("an unknown code: %d", st)
	}
}

// TestRateInBrowser: at the kiosk a visitor presses "Rate the service",
// types the code from the receipt, picks 5 with a comment and sees the
// thanks; the code's page then says it was rated, and no second rating
// is taken.
func TestRateInBrowser(t *testing.T) {
	t.Parallel()
	srv, ch, push := start(t)
	code := ratedCase(t, srv, ch, push, true)
	b := browsertest.New(t, 1280, 1024)
	b.Do(t, chromedp.Navigate(srv.URL+"/kiosk/IRK"), chromedp.WaitVisible("#rate"), chromedp.Click("#rate"), chromedp.WaitVisible("#lookup"))
	b.Do(t, chromedp.SendKeys("#code", strings.ToLower(ratingcode.Format(code))), chromedp.Click("#next"), chromedp.WaitVisible("#rating"))
	b.Do(t, chromedp.Click("#score-5"), chromedp.SendKeys("#comment", "вежливо и быстро"), chromedp.Click("#submit"), chromedp.WaitVisible("#thanks"))
	if got := browsertest.Eval[string](t, b, `document.getElementById("thanks").textContent`); !strings.Contains(got, "Спасибо") {
		t.Errorf("thanks %q", got)
	}
	if got := browsertest.Eval[string](t, b, `document.getElementById("back").getAttribute("href")`); got != "/kiosk/IRK" {
		t.Errorf("the way back to the kiosk: %q", got)
	}
	b.Do(t, chromedp.Navigate(srv.URL+"/rate/"+code), chromedp.WaitVisible("#error"))
	if got := browsertest.Eval[string](t, b, `document.getElementById("error").textContent + (document.getElementById("rating") === null)`); !strings.Contains(got, "уже поставлена оценка") || !strings.HasSuffix(got, "true") {
		t.Errorf("the rated code's page: %q", got)
	}
	if n := srv.Count(t, "SELECT COUNT(*) FROM ratings WHERE score = 5"); n != 1 {
		t.Errorf("%d ratings stored", n)
	}
}
