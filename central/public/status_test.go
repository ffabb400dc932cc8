package public_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/central/public/browsertest"
	"github.com/okno-mfc/okno/domain"
)

// statusCase hands off a case with the status code 042042 and has the
// department set it ready; it returns the case number.
func statusCase(t *testing.T, srv *centraltest.Server, ch *centraltest.Chain, push func(...domain.Event)) string {
	t.Helper()
	reg, vid := ch.Register()
	open, caseID := ch.Open(vid, "advertising_permit")
	number := centraltest.Number(open)
	push(reg, open, ch.HandOffCode(caseID, number, "042042"))
	dep := srv.Client(t, srv.Session(t, "dep1", domain.RoleDepartment, "*", 0))
	for _, s := range []domain.CaseState{domain.CaseAccepted, domain.CaseInWork, domain.CaseReady} {
		if _, err := dep.SetStatus(context.Background(), caseID, api.StatusRequest{Status: s}); err != nil {
			t.Fatal(err)
		}
	}
	return number
}

func getPage(t *testing.T, srv *centraltest.Server, query url.Values) (int, string) {
	t.Helper()
	resp, err := http.Get(srv.URL + "/status?" + query.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestStatusPageAnswers: the page answers as the API does — the case in
// the office's language, "check the number" for a typo, one answer for a
// wrong code and an unknown number, 429 after ten wrong codes — and never
// echoes the code or shows a name.
func TestStatusPageAnswers(t *testing.T) {
	t.Parallel()
	srv, ch, push := start(t)
	number := statusCase(t, srv, ch, push)
	st, body := getPage(t, srv, url.Values{})
	if st != http.StatusOK || !strings.Contains(body, "Номер дела и код статуса напечатаны в расписке") {
		t.Fatalf("the empty form: %d\n%s", st, body)
	}
	if _, body := getPage(t, srv, url.Values{"lang": {"en"}}); !strings.Contains(body, "printed on your receipt") {
		t.Errorf("?lang=en: %s", body)
	}
	st, body = getPage(t, srv, url.Values{"number": {number}, "code": {"042 042"}})
	if st != http.StatusOK || !strings.Contains(body, `id="state">готово<`) || !strings.Contains(body, "Готово к выдаче — МФЦ «Мои документы», Иркутск") {
		t.Fatalf("the case: %d\n%s", st, body)
	}
	// Where, from when and through which day (the office's storage
	// period, 30 days by default, after the day it became ready).
	m := regexp.MustCompile(`id="collect">[^<]*, с \d\d\.\d\d\.\d{4} по (\d\d\.\d\d\.\d{4})<`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no place, first and last day to collect: %s", body)
	}
	if last, err := time.Parse("02.01.2006", m[1]); err != nil || last.Before(time.Now().AddDate(0, 0, 28)) || last.After(time.Now().AddDate(0, 0, 31)) {
		t.Errorf("the last day to collect %s: 30 days after today expected", m[1])
	}
	for _, secret := range []string{"042", "Фёдорова", "2512"} {
		if strings.Contains(body, secret) {
			t.Errorf("the page shows %q", secret)
		}
	}
	typo := number[:len(number)-1] + string('0'+(number[len(number)-1]-'0'+1)%10)
	if st, body := getPage(t, srv, url.Values{"number": {typo}, "code": {"042042"}}); st != http.StatusUnprocessableEntity || !strings.Contains(body, "Проверьте номер: последняя цифра") {
		t.Errorf("typo: %d %s", st, body)
	}
	unknown := domain.NewCaseNumber("IRK", 3, time.Now(), 999).String()
	st1, b1 := getPage(t, srv, url.Values{"number": {number}, "code": {"000000"}})
	st2, b2 := getPage(t, srv, url.Values{"number": {unknown}, "code": {"042042"}})
	strip := func(s, n string) string { return strings.ReplaceAll(s, n, "N") }
	if st1 != http.StatusNotFound || st2 != st1 || strip(b1, number) != strip(b2, unknown) {
		t.Errorf("wrong code %d, unknown number %d: the pages differ", st1, st2)
	}
	for i := range 9 {
		getPage(t, srv, url.Values{"number": {number}, "code": {"11111" + string(rune('0'+i))}})
	}
	if st, body := getPage(t, srv, url.Values{"number": {number}, "code": {"042042"}}); st != http.StatusTooManyRequests || !strings.Contains(body, "Слишком много попыток") {
		t.Errorf("after ten wrong codes: %d %s", st, body)
	}
}

// TestStatusPageInBrowser: a visitor types the number and the code from
// the receipt in headless Chromium and sees the case ready.
func TestStatusPageInBrowser(t *testing.T) {
	t.Parallel()
	srv, ch, push := start(t)
	number := statusCase(t, srv, ch, push)
	b := browsertest.New(t, 412, 915) // a phone
	b.Do(t, chromedp.Navigate(srv.URL+"/status"), chromedp.WaitVisible("#lookup"))
	b.Do(t, chromedp.Evaluate[chromedp.Void](`document.getElementById("number").value = `+jsString(strings.ToLower(number))+`;
		document.getElementById("code").value = "042 042";
		document.getElementById("submit").click()`))
	b.Do(t, chromedp.WaitVisible("#case"))
	if got := browsertest.Eval[string](t, b, `document.getElementById("state").textContent`); got != "готово" {
		t.Errorf("state %q", got)
	}
	steps := browsertest.Eval[string](t, b, `document.getElementById("history").textContent`)
	for _, want := range []string{"Документы приняты в окне", "Отправлено в ведомство", "В работе", "Готово к выдаче"} {
		if !strings.Contains(steps, want) {
			t.Errorf("history lacks %q: %s", want, steps)
		}
	}
	if fits := browsertest.Eval[bool](t, b, `document.documentElement.scrollWidth <= innerWidth`); !fits {
		t.Error("the page is wider than a phone")
	}
	if !strings.Contains(browsertest.Eval[string](t, b, `document.getElementById("collect").textContent`), "Иркутск") {
		t.Error("no place to collect")
	}
}

// TestStatusPageReturned: a result not collected in time and returned by
// the supervisor reads so on the visitor's page, with nothing to collect.
func TestStatusPageReturned(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	now := time.Now().AddDate(0, 0, -40)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	srv, ch, push := start(t, centraltest.Clock(clock))
	ch.At = now.Add(-time.Hour)
	number := statusCase(t, srv, ch, push)
	mu.Lock()
	now = time.Now()
	mu.Unlock()
	sup := srv.Client(t, srv.Session(t, "sveta", domain.RoleSupervisor, "IRK", 0))
	list, err := sup.Unclaimed(context.Background(), "IRK")
	if err != nil || list.Total != 1 {
		t.Fatalf("unclaimed: %+v %v", list, err)
	}
	if _, err := sup.ReturnResult(context.Background(), "IRK", list.Results[0].Case.ID, api.ReturnResultRequest{Reason: "не явился"}); err != nil {
		t.Fatal(err)
	}
	st, body := getPage(t, srv, url.Values{"number": {number}, "code": {"042042"}})
	if st != http.StatusOK || !strings.Contains(body, `id="state">не получено в срок, возвращено в ведомство<`) || !strings.Contains(body, "Возвращено в ведомство") ||
		strings.Contains(body, "не явился") {
		t.Fatalf("the returned case: %d\n%s", st, body)
	}
}
