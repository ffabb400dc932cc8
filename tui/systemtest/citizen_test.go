package systemtest

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/central/notify"
	"github.com/okno-mfc/okno/central/notify/notifytest"
	"github.com/okno-mfc/okno/central/public/browsertest"
	"github.com/okno-mfc/okno/client"
	"github.com/okno-mfc/okno/domain"
)

// TestCitizenEndToEnd (issue 15): a visitor registered at window 3 with an
// e-mail and consent; the case is handed off (the receipt's status code
// made there) and synced; the department sets it ready; exactly one
// e-mail reaches the SMTP server, and none more after a restart of the
// notices' worker and the same status sent again; the status page in
// headless Chromium shows the case ready; ten wrong codes close the
// number (429); the result issued at the window, the visitor rates it 3
// on the rating page with the receipt's code and the report shows the
// rating for window 3 and anna, below 4. Through a real central, on
// SQLite and PostgreSQL.
func TestCitizenEndToEnd(t *testing.T) {
	t.Parallel()
	for _, kind := range centraltest.Kinds() {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			citizenEndToEnd(t, kind)
		})
	}
}

func citizenEndToEnd(t *testing.T, kind string) {
	ctx := context.Background()
	srv := centraltest.Start(t, centraltest.Kind(t, kind))
	if err := srv.Store.PutOffice(ctx, domain.Office{Code: "IRK", Name: "МФЦ «Мои документы», Иркутск", Lang: "ru", AlwaysOpen: true}); err != nil {
		t.Fatal(err)
	}
	win := enrolled(t, srv, 3)
	today := time.Now().Format(time.DateOnly)
	v, err := win.st.RegisterVisitor(ctx, "anna", domain.Visitor{FullName: "Фёдоров Пётр", DocType: domain.DocPassportRU, DocNumber: "2504 123456",
		Email: "petr@example.org", Notices: &domain.NoticeConsent{Channel: domain.NoticeEmail, Lang: "ru", Date: today}})
	if err != nil {
		t.Fatal(err)
	}
	cs, err := win.st.OpenCase(ctx, "anna", v.ID, "advertising_permit", "")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := win.st.Checklist(ctx, cs.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := win.st.CheckDocument(ctx, "anna", cs.ID, domain.DocumentPayload{Doc: r.Code, Presented: true, Form: r.Form, Count: 1}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := win.st.HandOff(ctx, "anna", cs.ID, ""); err != nil {
		t.Fatal(err)
	}
	code, err := win.st.StatusCode(ctx, cs.ID)
	if err != nil || len(code) != 6 {
		t.Fatalf("status code %q: %v", code, err)
	}
	win.sync(t)

	addr, ca, box := notifytest.StartSMTP(t)
	cfg := notify.Config{SMTP: notify.SMTPConfig{Addr: addr, From: "noreply@mfc.example", CAFile: ca}, Poll: time.Hour}
	worker := func() *notify.Worker {
		w, err := notify.New(srv.Store, cfg, centraltest.TestLogger(t))
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	w := worker()
	dep := srv.Client(t, srv.Session(t, "dep1", domain.RoleDepartment, "*", 0))
	for _, s := range []domain.CaseState{domain.CaseAccepted, domain.CaseInWork, domain.CaseReady} {
		if _, err := dep.SetStatus(ctx, cs.ID, api.StatusRequest{Status: s, Result: map[bool]domain.Result{true: domain.ResultCollect}[s == domain.CaseReady]}); err != nil {
			t.Fatalf("status %s: %v", s, err)
		}
	}
	if _, err := w.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := dep.SetStatus(ctx, cs.ID, api.StatusRequest{Status: domain.CaseReady, Result: domain.ResultCollect}); !errors.Is(err, client.ErrConflict) {
		t.Fatalf("ready again: %v", err)
	}
	if n, err := worker().RunOnce(ctx); err != nil || n != 0 {
		t.Fatalf("after a restart: %d notices claimed (%v)", n, err)
	}
	mails := box.All()
	if len(mails) != 1 || len(mails[0].To) != 1 || mails[0].To[0] != "petr@example.org" || !strings.Contains(mails[0].Data, "IRK") {
		t.Fatalf("%d e-mails: %+v", len(mails), mails)
	}

	// The status page in headless Chromium.
	b := browsertest.New(t, 412, 915)
	b.Do(t, chromedp.Navigate(srv.URL+"/status?"+url.Values{"number": {cs.Number}, "code": {code}}.Encode()), chromedp.WaitVisible("#case"))
	if got := browsertest.Eval[string](t, b, `document.getElementById("state").textContent`); got != "готово" {
		t.Errorf("the status page says %q", got)
	}

	// Ten wrong codes close the number, for the right code too.
	get := func(c string) int {
		resp, err := http.Get(srv.URL + "/v1/public/cases/" + cs.Number + "?code=" + c)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	wrong := "000000"
	if wrong == code {
		wrong = "000001"
	}
	for range 10 {
		if st := get(wrong); st != http.StatusNotFound {
			t.Fatalf("a wrong code: %d", st)
		}
	}
	if st := get(code); st != http.StatusTooManyRequests {
		t.Fatalf("after ten wrong codes: %d, want 429", st)
	}

	// The result issued at the window, the visitor rates the service on
	// the page with the receipt's rating code, and the report shows it.
	win.sync(t) // the department's ready
	if _, err := win.st.IssueResult(ctx, "anna", cs.ID, domain.IssuePayload{Receiver: domain.ApplicantReceives(v)}); err != nil {
		t.Fatal(err)
	}
	win.sync(t)
	rating, err := win.st.RatingCode(ctx, cs.ID)
	if err != nil || rating == "" {
		t.Fatalf("rating code %q: %v", rating, err)
	}
	b.Do(t, chromedp.Navigate(srv.URL+"/rate/"+rating), chromedp.WaitVisible("#rating"),
		chromedp.Click("#score-3"), chromedp.Click("#submit"), chromedp.WaitVisible("#thanks"))
	rep, err := srv.Client(t, srv.Session(t, "sveta", domain.RoleSupervisor, "IRK", 0)).OfficeReport(ctx, "IRK", "", "")
	if err != nil {
		t.Fatal(err)
	}
	r := rep.Total.Ratings
	if r.Count != 1 || r.Avg != 3 || r.Below4Pct != 100 || len(r.Clerks) != 1 || r.Clerks[0].Key != "anna" || len(r.Windows) != 1 || r.Windows[0].Key != "3" {
		t.Fatalf("the report's ratings: %+v", r)
	}
}
