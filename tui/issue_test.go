package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/google/uuid"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/fake"
	"github.com/okno-mfc/okno/tui/i18n"
)

// readyCase hands a case of the visitor off and has the department make it
// ready.
func readyCase(t *testing.T, e *fake.Env, v domain.Visitor) *domain.CaseView {
	t.Helper()
	ctx := context.Background()
	cs := e.Case(t, v.ID, "advertising", "")
	for _, d := range []string{"application", "passport"} {
		if err := e.Store.CheckDocument(ctx, "ivanova", cs.ID, domain.DocumentPayload{Doc: d, Presented: true}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.Store.HandOff(ctx, "ivanova", cs.ID, ""); err != nil {
		t.Fatal(err)
	}
	fake.Department(t, e, cs, domain.CaseAccepted, domain.CaseInWork, domain.CaseReady)
	return cs
}

// Picking a visitor shows the results waiting for them; ctrl+e opens the
// case, where i issues it.
func TestVisitorsReadyResult(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	v := e.Visitor(t, fedorov())
	cs := readyCase(t, e, v)
	a := start(t, e, i18n.RU, true)
	a.send(common.VisitorChosen{Visitor: v})
	a.wait("Готово к выдаче: 1 (" + cs.Number + ")")
	a.golden()
}

func TestVisitorsReadyResultIssued(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	v := e.Visitor(t, fedorov())
	cs := readyCase(t, e, v)
	a := start(t, e, i18n.EN, true)
	a.send(common.VisitorChosen{Visitor: v})
	a.wait("Ready to issue: 1")
	a.keys(tea.KeyCtrlE)
	a.wait("History", "ready")
	a.keys("i")
	a.wait("Document checked")
	a.keys(tea.KeyTab, tea.KeyTab, tea.KeyTab, tea.KeyTab, " ", tea.KeyCtrlS)
	a.wait("Result issued; issue record: receipts/" + cs.Number + "-issue.pdf")
}

// Back from a case issued in its detail, the list shows its new state.
func TestCasesListRefreshesAfterAnIssue(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	v := e.Visitor(t, fedorov())
	readyCase(t, e, v)
	a := start(t, e, i18n.EN, true)
	a.keys(tea.KeyF4)
	a.wait("ready")
	a.keys(tea.KeyEnter)
	a.wait("History")
	a.keys("i", tea.KeyTab, tea.KeyTab, tea.KeyTab, tea.KeyTab, " ", tea.KeyCtrlS)
	a.wait("Result issued")
	a.keys(tea.KeyEsc)
	a.wait("issued          2027-01-22")
}

// A result the supervisor returned to the department (case.returned, in
// the feed) is not issued at the window: i says where the visitor goes,
// and the history says it went back and why.
func TestReturnedResultIsNotIssued(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	v := e.Visitor(t, fedorov())
	cs := readyCase(t, e, v)
	ctx := context.Background()
	cursor, err := e.Store.FeedCursor(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ev := domain.Event{ID: uuid.Must(uuid.NewV7()).String(), Office: cs.Office, Seq: 100, At: e.Clock.Now().Add(time.Hour).UTC(),
		Kind: domain.EvCaseReturned, Actor: "sveta", CaseID: cs.ID, Payload: domain.MustPayload(domain.ReturnPayload{Reason: "did not come", CollectBy: "2026-12-01"})}
	ev.Seal("")
	if res, err := e.Store.ApplyFeed(ctx, api.FeedPage{Events: []api.FeedEvent{{Event: ev, Pos: cursor + 1}}, Cursor: cursor + 1}); err != nil || len(res.Failed) > 0 {
		t.Fatalf("the return did not apply: %v %+v", err, res)
	}
	a := start(t, e, i18n.EN, true)
	a.keys(tea.KeyF4)
	a.wait("returned to th")
	a.keys(tea.KeyEnter)
	a.wait("Returned", "to the department, not collected in time: did not come", "History", "sveta      not collected in time, returned to the department:")
	a.keys("i")
	a.wait("Not issued here: returned to the department on")
	if got, err := e.Store.Case(ctx, cs.ID); err != nil || got.State != domain.CaseReturned {
		t.Fatalf("the case: %+v %v", got, err)
	}
	if _, err := e.Store.IssueResult(ctx, "ivanova", cs.ID, domain.IssuePayload{Receiver: domain.ApplicantReceives(v)}); err == nil || !strings.Contains(err.Error(), "went back to the department") {
		t.Fatalf("the store issued a returned result: %v", err)
	}
}

// The representative's form at 80×24: every field of the power of
// attorney on the screen with the keys' hint, and a fault shown at its
// field in the clerk's language.
func TestIssueRepresentativeForm(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	v := e.Visitor(t, fedorov())
	cs := readyCase(t, e, v)
	a := start(t, e, i18n.RU, true)
	a.keys(tea.KeyF4)
	a.wait(cs.Number)
	a.keys(cs.Number, tea.KeyEnter)
	a.wait("История")
	a.keys("i", tea.KeyRight, tea.KeyTab, "Петрова Анна Сергеевна", tea.KeyTab, tea.KeyTab, "2510 654321", tea.KeyTab, " ",
		tea.KeyTab, "38 АА 1234567", tea.KeyTab, "31.02.2026", tea.KeyCtrlS)
	a.wait("Такой даты нет", "Кем выдана", "Действует до")
	a.golden()
}

// Issued to a representative, the detail and its history say who
// received the result and under which power of attorney.
func TestIssuedToRepresentativeDetail(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	v := e.Visitor(t, fedorov())
	cs := readyCase(t, e, v)
	if _, err := e.Store.IssueResult(context.Background(), "ivanova", cs.ID, domain.IssuePayload{Receiver: &domain.Receiver{
		Kind: domain.ReceiverRepresentative, Name: "Петрова Анна Сергеевна", DocType: domain.DocPassportRU, DocNumber: "2510 654321",
		POA: &domain.PowerOfAttorney{Number: "38 АА 1234567", Date: "2026-11-20", IssuedBy: "нотариус Сидорова Е. В.", Notarised: true}}}); err != nil {
		t.Fatal(err)
	}
	a := start(t, e, i18n.RU, true)
	a.keys(tea.KeyF4)
	a.wait(cs.Number)
	a.keys(cs.Number, tea.KeyEnter)
	a.wait("Получил", "представитель Петрова Анна Сергеевна", "доверенность № 38 АА 1234567 от 20.11.2026")
	a.golden()
}

// The receipt's number scanned on the queue screen (a wedge scanner: the
// keys in one burst, then enter) opens the case; issued from there to the
// applicant, esc comes back to the queue.
func TestQueueScanOpensTheCase(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	v := e.Visitor(t, fedorov())
	cs := readyCase(t, e, v)
	a := start(t, e, i18n.RU, true)
	a.wait("Очередь")
	a.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(cs.Number)})
	a.keys(tea.KeyEnter)
	a.wait("Дело "+cs.Number, "История")
	a.keys("i", tea.KeyTab, tea.KeyTab, tea.KeyTab, tea.KeyTab, " ", tea.KeyCtrlS)
	a.wait("Результат выдан; расписка о выдаче: receipts/"+cs.Number+"-issue.pdf", "Дело "+cs.Number+"  выдано", "Получил")
	a.golden()
}

// A number with a wrong check digit says so on the queue screen at 80×24.
func TestQueueScanTypo(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	v := e.Visitor(t, fedorov())
	cs := readyCase(t, e, v)
	typo := cs.Number[:len(cs.Number)-1] + map[bool]string{true: "1", false: "0"}[cs.Number[len(cs.Number)-1] == '0']
	a := start(t, e, i18n.RU, true)
	a.wait("Очередь")
	a.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(typo)})
	a.keys(tea.KeyEnter)
	a.wait("ошибка в контрольной цифре")
	a.golden()
}
