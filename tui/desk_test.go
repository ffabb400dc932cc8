package tui

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/link"
	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/desk"
	"github.com/okno-mfc/okno/tui/fake"
	"github.com/okno-mfc/okno/tui/i18n"
)

// memDesk is a department's desk in memory for the screen's goldens: the
// cases fold their status changes with the domain's own fold, as the
// central does. The end-to-end test (tui/systemtest) runs the desk's link
// against a real central.
type memDesk struct {
	mu    sync.Mutex
	now   func() time.Time
	cases map[string]*api.CaseDetail
	blobs map[string][]byte
	reqs  []api.StatusRequest
}

func (d *memDesk) Inbox(context.Context) ([]domain.CaseView, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []domain.CaseView
	for _, c := range d.cases {
		out = append(out, c.Case)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].HandedOffAt.After(out[j].HandedOffAt) })
	return out, nil
}

func (d *memDesk) Case(_ context.Context, id string) (api.CaseDetail, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	c, ok := d.cases[id]
	if !ok {
		return api.CaseDetail{}, domain.ErrNotFound
	}
	return *c, nil
}

func (d *memDesk) record(id string, kind domain.EventKind, p any) (api.StatusResponse, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	c, ok := d.cases[id]
	if !ok {
		return api.StatusResponse{}, domain.ErrNotFound
	}
	e := domain.Event{ID: "ev", Office: c.Case.Office, Kind: kind, CaseID: id, Actor: "arch", At: d.now(), Payload: domain.MustPayload(p)}
	next := c.Case
	if err := next.Apply(&e); err != nil {
		return api.StatusResponse{}, err
	}
	c.Case = next
	c.History = append(c.History, e)
	return api.StatusResponse{Case: next, Event: e}, nil
}

func (d *memDesk) SetStatus(_ context.Context, id string, req api.StatusRequest) (api.StatusResponse, error) {
	p := domain.StatusPayload{Status: req.Status, Note: req.Note, Documents: req.Documents, Due: req.Due, Result: req.Result, Ground: req.Ground}
	if err := p.Check(); err != nil {
		return api.StatusResponse{}, err
	}
	d.mu.Lock()
	d.reqs = append(d.reqs, req)
	d.mu.Unlock()
	return d.record(id, domain.EvCaseStatusChanged, p)
}

func (d *memDesk) ExtendDeadline(_ context.Context, id string, req api.DeadlineRequest) (api.StatusResponse, error) {
	return d.record(id, domain.EvDeadlineExtended, domain.DeadlinePayload{Deadline: req.Deadline, Basis: req.Basis, Note: req.Note})
}

func (d *memDesk) Blob(_ context.Context, sha string) ([]byte, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	b, ok := d.blobs[sha]
	if !ok {
		return nil, domain.ErrNotFound
	}
	return b, nil
}

func (d *memDesk) requests() []api.StatusRequest {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]api.StatusRequest(nil), d.reqs...)
}

var _ link.DeskAPI = (*memDesk)(nil)

// officer is a department's officer of the architecture department.
func officer() domain.Operator {
	return domain.Operator{Login: "arch", Name: "Кузнецова Ольга", Role: domain.RoleDepartment, Office: "*", Department: "Управление архитектуры"}
}

// deskCases is an inbox on Monday 23 November 2026: handed off over the
// last weeks, in two offices, one overdue, one waiting for documents, one
// due today, one ready.
func deskCases(t *testing.T, now time.Time) *memDesk {
	t.Helper()
	d := &memDesk{now: func() time.Time { return now }, cases: map[string]*api.CaseDetail{}, blobs: map[string][]byte{}}
	scan := []byte("%PDF-1.4 a scan of the application")
	sum := sha256.Sum256(scan)
	sha := hex.EncodeToString(sum[:])
	add := func(n int, office, service string, state domain.CaseState, deadline string, daysAgo int) {
		id := "c" + string(rune('0'+n))
		at := now.AddDate(0, 0, -daysAgo)
		num := domain.NewCaseNumber(office, 2, at, n).String()
		cv := domain.CaseView{ID: id, Number: num, Office: office, Window: 2, Service: service, State: state, Deadline: deadline,
			OpenedAt: at.Add(-20 * time.Minute), HandedOffAt: at, UpdatedAt: at, Department: "Управление архитектуры"}
		if state == domain.CaseMoreDocs {
			cv.Requested, cv.RequestedDue, cv.PausedAt = []string{"Выписка ЕГРН"}, "2026-11-30", now.AddDate(0, 0, -1)
		}
		if state == domain.CaseReady {
			cv.Result = domain.ResultCollect
		}
		ev := func(kind domain.EventKind, p any) domain.Event {
			return domain.Event{ID: id + string(kind), Office: office, Window: 2, Kind: kind, CaseID: id, Actor: "anna", At: at, Payload: domain.MustPayload(p)}
		}
		hist := []domain.Event{
			ev(domain.EvCaseOpened, domain.CaseOpenedPayload{Number: num, Service: service, Deadline: deadline}),
			ev(domain.EvDocumentChecked, domain.DocumentPayload{Doc: "application", Presented: true, Form: domain.FormOriginal, Count: 1}),
			ev(domain.EvDocumentChecked, domain.DocumentPayload{Doc: "passport", Presented: true, Form: domain.FormCopy, Count: 2}),
			ev(domain.EvAttachmentAdded, domain.AttachmentPayload{Doc: "application", SHA256: sha, Name: "zayavlenie.pdf", Size: int64(len(scan))}),
			ev(domain.EvCaseHandedOff, domain.HandOffPayload{}),
		}
		d.cases[id] = &api.CaseDetail{Case: cv, History: hist}
	}
	add(1, "IRK", "advertising", domain.CaseSubmitted, "2027-01-22", 0)
	add(2, "ANG", "advertising", domain.CaseInWork, "2026-11-20", 40)
	add(3, "IRK", "replanning", domain.CaseMoreDocs, "2026-12-10", 10)
	add(4, "IRK", "advertising", domain.CaseAccepted, "2026-11-23", 30)
	add(5, "ANG", "replanning", domain.CaseReady, "2026-12-01", 20)
	d.blobs[sha] = scan
	return d
}

func startDesk(t *testing.T, lang i18n.Lang, online bool) (*app, *memDesk, *fake.Env) {
	t.Helper()
	e := fake.New(t)
	d := deskCases(t, fake.Start())
	if online {
		e.Link.SetDesk(d)
		e.Link.SetStatus(link.Status{State: link.Online})
	}
	a := start(t, e, lang, false)
	a.send(common.SignedIn{Operator: officer(), Online: online})
	return a, d, e
}

// TestDeskInbox: the officer lands on the inbox, newest hand-off first,
// with the working days left (an overdue case marked, one due today, one
// paused while documents are awaited).
func TestDeskInbox(t *testing.T) {
	t.Parallel()
	a, _, _ := startDesk(t, i18n.RU, true)
	a.wait("Дел: 5, просрочено: 1", "просроч.", "пауза", "сегодня")
	a.golden()
}

// TestDeskInboxFiltered: o picks an office, t a state.
func TestDeskInboxFiltered(t *testing.T) {
	t.Parallel()
	a, _, _ := startDesk(t, i18n.EN, true)
	a.wait("Cases: 5, overdue: 1")
	a.keys("o", "t", "t", "t")
	a.wait("[office ANG]", "[state in work]")
	a.golden()
}

// TestDeskOffline: signed in without the central, the desk says it works
// online only.
func TestDeskOffline(t *testing.T) {
	t.Parallel()
	a, _, _ := startDesk(t, i18n.EN, false)
	a.wait("works online only")
	a.golden()
}

// TestDeskRequestDocuments: a case opens to its checklist as accepted; d
// asks for documents by a day, and the case waits for them.
func TestDeskRequestDocuments(t *testing.T) {
	t.Parallel()
	a, d, _ := startDesk(t, i18n.RU, true)
	a.wait("Дел: 5")
	a.keys(tea.KeyDown, tea.KeyDown, tea.KeyDown, tea.KeyDown, tea.KeyEnter) // the case in work, overdue
	a.wait("Опись", "Заявление (обязательный) — оригинал, 1 л.", "Паспорт (обязательный) — копия, 2 л.")
	a.keys("d", "Справка о составе семьи; Техпаспорт", tea.KeyEnter)
	a.wait("Дело ANG-02-261014-0002-4: нужны документы", "Справка о составе семьи; Техпаспорт — до 30.11.2026")
	a.golden()
	reqs := d.requests()
	if len(reqs) != 1 || reqs[0].Status != domain.CaseMoreDocs || len(reqs[0].Documents) != 2 || reqs[0].Due != "2026-11-30" {
		t.Fatalf("the requests: %+v", reqs)
	}
}

// TestDeskAttachmentSaved: an attachment is saved to the folder asked, and
// opened with the system's viewer.
func TestDeskAttachmentSaved(t *testing.T) {
	a, _, e := startDesk(t, i18n.EN, true)
	var opened string
	old := desk.Viewer
	desk.Viewer = func(path string) error { opened = path; return nil }
	t.Cleanup(func() { desk.Viewer = old })
	a.wait("Cases: 5")
	a.keys(tea.KeyEnter)
	a.wait("[Checklist]")
	a.keys(tea.KeyTab)
	a.wait("[Attachments (1)]", "zayavlenie.pdf")
	dir := t.TempDir()
	a.keys("s", tea.KeyCtrlU, dir, tea.KeyEnter)
	a.wait("Saved: " + filepath.Join(dir, "zayavlenie.pdf"))
	a.keys("o")
	a.wait("Opened: zayavlenie.pdf")
	a.tm.Quit()
	got, err := os.ReadFile(filepath.Join(dir, "zayavlenie.pdf"))
	if err != nil || !strings.HasPrefix(string(got), "%PDF") {
		t.Fatalf("the saved file: %q %v", got, err)
	}
	if st, err := os.Stat(opened); err != nil || st.Mode().Perm() != 0o600 || !strings.HasPrefix(opened, e.Dir) {
		t.Fatalf("the opened file %s: %v %v", opened, st, err)
	}
}

// TestCasesShowWhatTheDepartmentAsked: back at the window, the clerk sees
// the documents the department asked for and by when.
func TestCasesShowWhatTheDepartmentAsked(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	ctx := context.Background()
	v := e.Visitor(t, fedorov())
	cs := e.Case(t, v.ID, "advertising", "")
	for _, d := range []string{"application", "passport"} {
		if err := e.Store.CheckDocument(ctx, "ivanova", cs.ID, domain.DocumentPayload{Doc: d, Presented: true, Form: domain.FormOriginal}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.Store.HandOff(ctx, "ivanova", cs.ID, ""); err != nil {
		t.Fatal(err)
	}
	fake.DepartmentSays(t, e, cs, domain.StatusPayload{Status: domain.CaseAccepted}, domain.StatusPayload{Status: domain.CaseInWork},
		domain.StatusPayload{Status: domain.CaseMoreDocs, Documents: []string{"Выписка ЕГРН", "Согласие собственников"}, Due: "2026-11-30"})
	a := start(t, e, i18n.RU, true)
	a.keys(tea.KeyF4)
	a.wait(cs.Number)
	a.keys(cs.Number, tea.KeyEnter)
	a.wait("Запрошено", "Выписка ЕГРН; Согласие собственников — до 30.11.2026")
	a.golden()
}

// TestDeskLinkDown: the link goes down under the desk: the screen says so,
// and a status asked for is refused until it is back.
func TestDeskLinkDown(t *testing.T) {
	t.Parallel()
	a, d, e := startDesk(t, i18n.EN, true)
	a.wait("Cases: 5")
	a.keys(tea.KeyEnter)
	a.wait("[Checklist]")
	e.Link.SetStatus(link.Status{State: link.Offline})
	a.wait("The link is down")
	a.keys("w", tea.KeyTab) // the tab shows the w was handled
	a.wait("[Attachments (1)]")
	if reqs := d.requests(); len(reqs) != 0 {
		t.Fatalf("a status sent with the link down: %+v", reqs)
	}
	e.Link.SetStatus(link.Status{State: link.Online})
	a.wait("● online")
	a.keys("w")
	a.wait(": in work")
	if reqs := d.requests(); len(reqs) != 2 || reqs[0].Status != domain.CaseAccepted || reqs[1].Status != domain.CaseInWork {
		t.Fatalf("taken into work: %+v", reqs)
	}
}

// TestDeskSignOut: an officer signs out (ctrl+o) back to the sign-in
// screen without closing the workstation's window, which they never
// opened.
func TestDeskSignOut(t *testing.T) {
	t.Parallel()
	a, _, e := startDesk(t, i18n.EN, true)
	a.wait("Cases: 5")
	a.keys(tea.KeyCtrlO)
	a.wait("Signed out")
	a.tm.Quit()
	if v := a.tm.FinalModel(t).View(); strings.Contains(v, "window closed") {
		t.Errorf("the officer is told the window closed:\n%s", v)
	}
	if closed, err := e.Store.Closed(context.Background()); err != nil || closed {
		t.Fatalf("the window closed by the officer's sign-out: %v %v", closed, err)
	}
}
