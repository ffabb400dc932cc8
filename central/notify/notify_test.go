package notify_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/http"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/central/notify"
	"github.com/okno-mfc/okno/central/notify/notifytest"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/client"
	"github.com/okno-mfc/okno/domain"
)

// clock is a test clock the store and the worker share.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// office is a central with one window and a department, and the visitors'
// mail server and SMS gateway.
type office struct {
	srv *centraltest.Server
	ck  *clock
	ws  *client.Client
	dep *client.Client
	sup string
	ch  *centraltest.Chain
	box *notifytest.Mailbox
	gw  *notifytest.GatewayLog
	cfg notify.Config
}

func newOffice(t *testing.T, kind string) *office {
	t.Helper()
	ck := &clock{t: time.Now()}
	srv := centraltest.Start(t, centraltest.Kind(t, kind), centraltest.Clock(ck.now))
	ws := srv.Enrol(t, "IRK", 3)
	addr, ca, box := notifytest.StartSMTP(t)
	gwURL, gw := notifytest.StartGateway(t)
	o := &office{srv: srv, ck: ck, ws: srv.Client(t, ws.Token), box: box, gw: gw,
		dep: srv.Client(t, srv.Session(t, "dep1", domain.RoleDepartment, "*", 0)),
		sup: srv.Session(t, "sup1", domain.RoleSupervisor, "IRK", 0),
		ch:  centraltest.NewChain("IRK", 3)}
	o.cfg = notify.Config{
		SMTP:    notify.SMTPConfig{Addr: addr, From: "МФЦ Иркутск <noreply@mfc.example>", CAFile: ca},
		SMS:     notify.SMSConfig{URL: gwURL, Body: `{"login": "mfc", "msisdn": "{{.Phone}}", "message": "{{.Text}}"}`, Headers: map[string]string{"Authorization": "Bearer gw-secret"}},
		Backoff: time.Minute, MaxAttempts: 3, Poll: time.Hour,
	}
	return o
}

// eachStore runs f on an office of each store (SQLite, and PostgreSQL
// with OKNO_TEST_POSTGRES), in parallel.
func eachStore(t *testing.T, f func(t *testing.T, o *office)) {
	for _, kind := range centraltest.Kinds() {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			f(t, newOffice(t, kind))
		})
	}
}

func (o *office) worker(t *testing.T) *notify.Worker {
	t.Helper()
	w, err := notify.New(o.srv.Store, o.cfg, centraltest.TestLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func (o *office) push(t *testing.T, evs ...domain.Event) {
	t.Helper()
	res, err := o.ws.PushEvents(context.Background(), evs)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Results {
		if r.Status != api.IngestAccepted {
			t.Fatalf("push: %+v", r)
		}
	}
}

// visitor registers a visitor who consents to notices by channel (or to
// none) and hands a case of theirs off; it returns the visitor, the case's
// id and number.
func (o *office) visitor(t *testing.T, email, phone string, channel domain.NoticeChannel) (domain.Visitor, string, string) {
	t.Helper()
	v := domain.Visitor{ID: centraltest.NewID(), FullName: "Фёдорова Мар'яна Ивановна", DocType: domain.DocPassportRU, DocNumber: "2512 345678",
		Email: email, Phone: phone}
	if channel != "" {
		v.Notices = &domain.NoticeConsent{Channel: channel, Lang: "ru", Date: o.ck.now().Format(time.DateOnly)}
	}
	reg := o.ch.Next(domain.EvVisitorRegistered, domain.VisitorPayload{Visitor: v}, centraltest.VisitorOf(v.ID))
	open, caseID := o.ch.Open(v.ID, "advertising_permit")
	o.push(t, reg, open, o.ch.HandOff(caseID))
	return v, caseID, centraltest.Number(open)
}

func (o *office) status(t *testing.T, caseID string, states ...domain.CaseState) {
	t.Helper()
	for _, s := range states {
		req := api.StatusRequest{Status: s}
		if s == domain.CaseMoreDocs {
			req.Documents, req.Due = []string{"Выписка ЕГРН"}, o.ck.now().AddDate(0, 0, 7).Format(time.DateOnly)
		}
		if _, err := o.dep.SetStatus(context.Background(), caseID, req); err != nil {
			t.Fatalf("status %s: %v", s, err)
		}
	}
}

func (o *office) notices(t *testing.T, status string) []api.Notice {
	t.Helper()
	var list api.NoticeList
	getJSON(t, o.srv, o.sup, "/v1/offices/IRK/notices?status="+status, &list)
	return list.Notices
}

func run(t *testing.T, w *notify.Worker) int {
	t.Helper()
	n, err := w.RunOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestReadyMailOnce: a visitor who gave an e-mail and consent gets exactly
// one e-mail, over STARTTLS, when the department sets their case ready —
// none more for the same status sent again, nor from a new worker (a
// restart), nor for the steps before; a visitor without consent gets none.
func TestReadyMailOnce(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, o *office) {
		_, caseID, number := o.visitor(t, "marjana@example.org", "", domain.NoticeEmail)
		_, other, _ := o.visitor(t, "quiet@example.org", "", "")
		o.status(t, caseID, domain.CaseAccepted, domain.CaseInWork)
		o.status(t, other, domain.CaseAccepted, domain.CaseInWork, domain.CaseReady)
		w := o.worker(t)
		if n := run(t, w); n != 0 {
			t.Fatalf("%d notices before anything was ready for the consenting visitor", n)
		}
		o.status(t, caseID, domain.CaseReady)
		if _, err := o.dep.SetStatus(context.Background(), caseID, api.StatusRequest{Status: domain.CaseReady}); !errors.Is(err, client.ErrConflict) {
			t.Fatalf("ready again: %v", err)
		}
		if n := run(t, w); n != 1 {
			t.Fatalf("claimed %d notices, want 1", n)
		}
		// A restart: a new worker on the same database finds nothing to send.
		if n := run(t, o.worker(t)); n != 0 {
			t.Fatalf("after a restart %d notices were claimed again", n)
		}
		mails := o.box.All()
		if len(mails) != 1 {
			t.Fatalf("%d e-mails reached the server, want 1", len(mails))
		}
		m := mails[0]
		if len(m.To) != 1 || m.To[0] != "marjana@example.org" || m.From != "noreply@mfc.example" {
			t.Errorf("envelope %q → %v", m.From, m.To)
		}
		for _, want := range []string{number, "IRK"} {
			if !strings.Contains(decodeMail(t, m.Data), want) {
				t.Errorf("the e-mail does not name %s:\n%s", want, m.Data)
			}
		}
		for _, secret := range []string{"Фёдорова", "2512", "345678"} {
			if strings.Contains(decodeMail(t, m.Data), secret) {
				t.Errorf("the e-mail holds %q", secret)
			}
		}
		if o.box.PlainTry {
			t.Error("a message was offered without STARTTLS")
		}
		sent := o.notices(t, "sent")
		if len(sent) != 1 || sent[0].CaseNumber != number || sent[0].Kind != store.NoticeReady || sent[0].Channel != "email" || sent[0].Attempts != 1 {
			t.Errorf("sent: %+v", sent)
		}
	})
}

// TestSMSRetriedAndFailuresShown: an SMS the gateway refuses for a while
// is tried again after the backoff and sent once; an e-mail the server
// refuses for good is failed at once and listed for the supervisor,
// without the address; a withdrawn consent cancels what was not sent.
func TestSMSRetriedAndFailuresShown(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, o *office) {
		w := o.worker(t)
		_, smsCase, smsNumber := o.visitor(t, "", "+7 914 123-45-67", domain.NoticeSMS)
		o.gw.Fail = 1
		o.status(t, smsCase, domain.CaseAccepted, domain.CaseInWork, domain.CaseMoreDocs)
		run(t, w)
		if len(o.gw.Taken()) != 0 {
			t.Fatal("the gateway took an SMS while it answered 503")
		}
		p := o.notices(t, "pending")
		if len(p) != 1 || p[0].Attempts != 1 || !strings.Contains(p[0].LastError, "503") || !p[0].NextAt.After(o.ck.now()) {
			t.Fatalf("after a 503: %+v", p)
		}
		if n := run(t, w); n != 0 {
			t.Fatalf("tried again before the backoff: %d", n)
		}
		o.ck.add(2 * time.Minute)
		run(t, w)
		bodies := o.gw.Taken()
		if len(bodies) != 1 {
			t.Fatalf("the gateway took %d SMS, want 1", len(bodies))
		}
		var body struct{ Login, Msisdn, Message string }
		if err := json.Unmarshal([]byte(bodies[0]), &body); err != nil {
			t.Fatalf("body %s: %v", bodies[0], err)
		}
		if body.Msisdn != "+79141234567" || !strings.Contains(body.Message, smsNumber) || !strings.Contains(body.Message, "документы") || body.Login != "mfc" {
			t.Errorf("SMS %+v", body)
		}
		if o.gw.Auth[0] != "Bearer gw-secret" {
			t.Errorf("gateway header %q", o.gw.Auth[0])
		}

		// Refused for good: failed at once, shown without the address.
		o.box.SetReject("nobody@example.org", &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user nobody@example.org"})
		_, bad, badNumber := o.visitor(t, "nobody@example.org", "", domain.NoticeEmail)
		o.status(t, bad, domain.CaseAccepted, domain.CaseInWork, domain.CaseReady)
		run(t, w)
		failed := o.notices(t, "failed")
		if len(failed) != 1 || failed[0].CaseNumber != badNumber || failed[0].Attempts != 1 || failed[0].LastError == "" {
			t.Fatalf("failed: %+v", failed)
		}
		if strings.Contains(failed[0].LastError, "nobody@") {
			t.Errorf("the failure shows the address: %s", failed[0].LastError)
		}

		// A temporary refusal is tried MaxAttempts times, then failed.
		o.box.SetReject("later@example.org", &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try later"})
		_, later, _ := o.visitor(t, "later@example.org", "", domain.NoticeEmail)
		o.status(t, later, domain.CaseAccepted, domain.CaseInWork, domain.CaseReady)
		for range 3 {
			run(t, w)
			o.ck.add(time.Hour)
		}
		if f := o.notices(t, "failed"); len(f) != 2 || f[0].Attempts != 3 {
			t.Fatalf("after 3 temporary failures: %+v", f)
		}
		var att api.Attention
		getJSON(t, o.srv, o.sup, "/v1/offices/IRK/attention", &att)
		if att.FailedNoticesTotal != 2 || len(att.FailedNotices) != 2 || att.FailedNotices[0].Kind != store.NoticeReady {
			t.Errorf("the supervisor's attention list: %d failed notices %+v", att.FailedNoticesTotal, att.FailedNotices)
		}

		// Consent withdrawn (a visitor.updated without it): the notice
		// waiting is cancelled, and nothing new is made.
		v, wd, _ := o.visitor(t, "gone@example.org", "", domain.NoticeEmail)
		o.box.SetReject("gone@example.org", &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try later"})
		o.status(t, wd, domain.CaseAccepted, domain.CaseInWork, domain.CaseMoreDocs)
		run(t, w)
		v.Notices = nil
		o.push(t, o.ch.Next(domain.EvVisitorUpdated, domain.VisitorPayload{Visitor: v}, centraltest.VisitorOf(v.ID)))
		o.status(t, wd, domain.CaseInWork, domain.CaseReady)
		o.ck.add(time.Hour)
		if n := run(t, w); n != 0 {
			t.Errorf("%d notices claimed after the consent was withdrawn", n)
		}
		if c := o.notices(t, "cancelled"); len(c) != 1 {
			t.Errorf("cancelled: %+v", c)
		}
	})
}

// TestDeadlineExtendedMail: the department's extension of a deadline
// (case.deadline_extended) tells the visitor the new date, once.
func TestDeadlineExtendedMail(t *testing.T) {
	t.Parallel()
	o := newOffice(t, "sqlite")
	_, caseID, number := o.visitor(t, "marjana@example.org", "", domain.NoticeEmail)
	o.status(t, caseID, domain.CaseAccepted, domain.CaseInWork)
	c, err := o.dep.Case(context.Background(), caseID)
	if err != nil {
		t.Fatal(err)
	}
	d, _ := time.Parse(time.DateOnly, c.Case.Deadline)
	next := d.AddDate(0, 0, 30).Format(time.DateOnly)
	if _, err := o.dep.ExtendDeadline(context.Background(), caseID, api.DeadlineRequest{Deadline: next, Basis: "ч. 4 ст. 12 Регламента"}); err != nil {
		t.Fatal(err)
	}
	w := o.worker(t)
	run(t, w)
	run(t, w)
	mails := o.box.All()
	if len(mails) != 1 {
		t.Fatalf("%d e-mails, want 1", len(mails))
	}
	text := decodeMail(t, mails[0].Data)
	want := next[8:] + "." + next[5:7] + "." + next[:4]
	if !strings.Contains(text, number) || !strings.Contains(text, want) || !strings.Contains(text, "продлён") {
		t.Errorf("the e-mail:\n%s", text)
	}
	if strings.Contains(text, "Регламента") {
		t.Error("the e-mail holds the department's basis")
	}
}

// TestWorkersShareTheOutbox: workers running at once (as replicas on one
// PostgreSQL database do) send every notice exactly once.
func TestWorkersShareTheOutbox(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, o *office) {
		const n = 12
		for range n {
			_, c, _ := o.visitor(t, "many@example.org", "", domain.NoticeEmail)
			o.status(t, c, domain.CaseAccepted, domain.CaseInWork, domain.CaseReady)
		}
		o.cfg.Batch = 3
		var wg sync.WaitGroup
		for range 4 {
			w := o.worker(t)
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 10 {
					if _, err := w.RunOnce(context.Background()); err != nil {
						t.Error(err)
					}
				}
			}()
		}
		wg.Wait()
		if got := len(o.box.All()); got != n {
			t.Fatalf("%d e-mails for %d notices", got, n)
		}
	})
}

// decodeMail returns a message with its quoted-printable or base64 body
// as text, for looking for words in it.
func decodeMail(t *testing.T, raw string) string {
	t.Helper()
	return decodeBody(raw)
}

func decodeBody(raw string) string {
	msg, err := netmail.ReadMessage(strings.NewReader(raw))
	if err != nil {
		return raw
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	body := io.Reader(msg.Body)
	switch strings.ToLower(msg.Header.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	b, _ := io.ReadAll(body)
	return subject + "\n" + string(b)
}

// getJSON GETs path with a session and decodes the answer.
func getJSON(t *testing.T, srv *centraltest.Server, token, path string, v any) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := srv.HTTP.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

// TestReturnedResultMail, on both stores: a result not collected in time
// that the supervisor returns to its department is told to its visitor,
// once, after the ready notice: where to ask now, nothing of the case.
func TestReturnedResultMail(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, o *office) {
		_, caseID, number := o.visitor(t, "marjana@example.org", "", domain.NoticeEmail)
		o.status(t, caseID, domain.CaseAccepted, domain.CaseInWork, domain.CaseReady)
		w := o.worker(t)
		run(t, w)
		o.ck.add(40 * 24 * time.Hour)                                     // past the storage period (30 days)
		o.sup = o.srv.Session(t, "sup1", domain.RoleSupervisor, "IRK", 0) // the first ended 40 days ago
		sup := o.srv.Client(t, o.sup)
		if _, err := sup.ReturnResult(context.Background(), "IRK", caseID, api.ReturnResultRequest{Reason: "не явился за результатом 40 дней"}); err != nil {
			t.Fatal(err)
		}
		run(t, w)
		run(t, w)
		mails := o.box.All()
		if len(mails) != 2 {
			t.Fatalf("%d e-mails, want 2 (ready, then returned)", len(mails))
		}
		text := decodeMail(t, mails[1].Data)
		if !strings.Contains(text, number) || !strings.Contains(text, "возвращён в ведомство") {
			t.Errorf("the e-mail:\n%s", text)
		}
		if strings.Contains(text, "не явился") {
			t.Error("the e-mail holds the supervisor's reason")
		}
		sent := o.notices(t, "sent")
		if len(sent) != 2 || sent[0].Kind != store.NoticeReturned {
			t.Errorf("the outbox: %+v", sent)
		}
	})
}
