package cases

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/fake"
	"github.com/okno-mfc/okno/tui/i18n"
)

func init() { lipgloss.SetColorProfile(termenv.Ascii) }

// readyCase makes a handed-off case and moves it to ready through the feed
// path a department's answer takes.
func readyCase(t *testing.T, e *fake.Env) *domain.CaseView {
	t.Helper()
	ctx := context.Background()
	v := e.Visitor(t, domain.Visitor{FullName: "Фёдоров Пётр", DocType: domain.DocPassportRU, DocNumber: "2504 123456"})
	cs := e.Case(t, v.ID, "advertising", "")
	for _, d := range []string{"application", "passport"} {
		if err := e.Store.CheckDocument(ctx, "ivanova", cs.ID, domain.DocumentPayload{Doc: d, Presented: true}); err != nil {
			t.Fatal(err)
		}
	}
	cs, err := e.Store.HandOff(ctx, "ivanova", cs.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	return fake.Department(t, e, cs, domain.CaseAccepted, domain.CaseInWork, domain.CaseReady)
}

// openReady opens the detail of a ready case, in lang.
func openReady(t *testing.T, lang i18n.Lang) (*fake.Env, *domain.CaseView, *Model) {
	t.Helper()
	e := fake.New(t)
	cs := readyCase(t, e)
	m := Open(e.SignedIn(lang), e.Store, cs.ID)
	fake.Run(t, m, m.Init()())
	return e, cs, m
}

func TestFindByNumberTypoAndUnknown(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	cs := readyCase(t, e)
	m := New(e.SignedIn(i18n.RU), e.Store)
	fake.Run(t, m, m.Init()())
	if len(m.rows) != 1 || m.rows[0].name != "Фёдоров Пётр" {
		t.Fatalf("the list is %+v", m.rows)
	}
	n := cs.Number
	typo := n[:len(n)-1] + string('0'+(n[len(n)-1]-'0'+3)%10)
	fake.Run(t, m, fake.Keys(typo, tea.KeyEnter)...)
	if !strings.Contains(m.err, "Опечатка") || m.det != nil {
		t.Errorf("a typo says %q", m.err)
	}
	unknown := "IRK-03-261123-0099-" // a right check digit for an unknown number
	for d := '0'; d <= '9'; d++ {
		if _, err := domain.ParseCaseNumber(unknown + string(d)); err == nil {
			unknown += string(d)
			break
		}
	}
	m.query.SetValue("")
	fake.Run(t, m, fake.Keys(unknown, tea.KeyEnter)...)
	if !strings.Contains(m.err, "нет") || !strings.Contains(m.err, unknown) {
		t.Errorf("an unknown number says %q", m.err)
	}
	m.query.SetValue("")
	fake.Run(t, m, fake.Keys(strings.ToLower(n), tea.KeyEnter)...)
	if m.det == nil || m.det.cs.ID != cs.ID {
		t.Fatalf("the number did not open the case (err %q)", m.err)
	}
	view := m.View()
	for _, want := range []string{"готово", "Фёдоров Пётр", "дело открыто", "передано в ведомство", "статус: готово"} {
		if !strings.Contains(view, want) {
			t.Errorf("the detail does not show %q:\n%s", want, view)
		}
	}
}

func TestIssueResult(t *testing.T) {
	t.Parallel()
	_, cs, m := openReady(t, i18n.RU)
	fake.Run(t, m, fake.Keys("i")...)
	if m.issue == nil {
		t.Fatalf("i did not ask to issue (err %q)", m.err)
	}
	// The applicant's name and document come from the visitor; the
	// document must be marked checked before the issue.
	if got := m.issue.fields[iDocNumber].Value(); got != "2504 123456" {
		t.Errorf("the applicant's document is %q", got)
	}
	fake.Run(t, m, fake.Keys(tea.KeyCtrlS)...)
	if m.det.cs.State != domain.CaseReady || !strings.Contains(m.issue.err, "Проверьте документ") || m.issue.focus != iChecked {
		t.Fatalf("issued without the document checked: %s %q", m.det.cs.State, m.issue.err)
	}
	fake.Run(t, m, fake.Keys(" ", tea.KeyTab, "по паспорту", tea.KeyEnter)...)
	if m.det.cs.State != domain.CaseIssued || !strings.Contains(m.notice, "Результат выдан; расписка о выдаче: receipts/"+cs.Number+"-issue.pdf") {
		t.Fatalf("after issue: %s %q %q", m.det.cs.State, m.notice, m.err)
	}
	if m.det.cs.Receiver == nil || m.det.cs.Receiver.Kind != domain.ReceiverApplicant || m.det.cs.Note != "по паспорту" {
		t.Errorf("the case keeps %+v, note %q", m.det.cs.Receiver, m.det.cs.Note)
	}
	if !strings.Contains(m.View(), "заявитель лично, Фёдоров Пётр, пасп. РФ 2504 123456") {
		t.Errorf("the detail does not say who received it:\n%s", m.View())
	}
	fake.Run(t, m, fake.Keys("i")...)
	if m.issue != nil || !strings.Contains(m.err, "Нельзя") {
		t.Errorf("issuing twice: asking %v, err %q", m.issue != nil, m.err)
	}
	_, nav := fake.Run(t, m, fake.Keys("r")...)
	if fake.Only[common.ShowReceipt](t, nav).CaseID != cs.ID {
		t.Errorf("r sent %v", nav)
	}
}

// A representative: the power of attorney is checked field by field, in
// the clerk's language, before anything is recorded; the issue event
// keeps it and the record names it.
func TestIssueToRepresentative(t *testing.T) {
	t.Parallel()
	e, cs, m := openReady(t, i18n.EN)
	fake.Run(t, m, fake.Keys("i", tea.KeyRight)...)
	if !m.issue.rep || m.issue.fields[iName].Value() != "" {
		t.Fatalf("→ did not switch to a representative: %+v", m.issue)
	}
	today := e.Clock.Now()
	tomorrow := today.AddDate(0, 0, 1).Format("02.01.2006")
	yesterday := today.AddDate(0, 0, -1).Format("02.01.2006")
	fake.Run(t, m, fake.Keys(tea.KeyTab, "Петрова Анна Сергеевна", tea.KeyTab, tea.KeyTab, "2510 654321", tea.KeyTab, " ",
		tea.KeyTab, "38 АА 1234567", tea.KeyTab, tomorrow, tea.KeyTab, "нотариус Сидорова Е. В.", tea.KeyTab, " ", tea.KeyCtrlS)...)
	if m.det.cs.State != domain.CaseReady || m.issue.focus != iPoaDate || !strings.Contains(m.issue.err, "after today") {
		t.Fatalf("a power of attorney dated tomorrow: %s focus %d %q", m.det.cs.State, m.issue.focus, m.issue.err)
	}
	for range tomorrow {
		fake.Run(t, m, fake.Keys(tea.KeyBackspace)...)
	}
	fake.Run(t, m, fake.Keys(today.AddDate(0, 0, -3).Format("02.01.2006"), tea.KeyTab, tea.KeyTab, tea.KeyTab, yesterday, tea.KeyCtrlS)...)
	if m.issue == nil || m.issue.focus != iPoaUntil || !strings.Contains(m.issue.err, "expired") {
		t.Fatalf("an expired power of attorney: focus %v %q", m.issue, m.err)
	}
	for range yesterday {
		fake.Run(t, m, fake.Keys(tea.KeyBackspace)...)
	}
	fake.Run(t, m, fake.Keys(tea.KeyCtrlS)...)
	if m.det.cs.State != domain.CaseIssued {
		t.Fatalf("not issued: %q %q", m.err, m.issue.err)
	}
	rc := m.det.cs.Receiver
	if rc == nil || rc.Kind != domain.ReceiverRepresentative || rc.Name != "Петрова Анна Сергеевна" || rc.POA == nil ||
		rc.POA.Number != "38 АА 1234567" || !rc.POA.Notarised || rc.POA.IssuedBy != "нотариус Сидорова Е. В." {
		t.Fatalf("the case keeps %+v", rc)
	}
	txt, err := os.ReadFile(filepath.Join(e.Dir, "receipts", cs.Number+"-issue.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"РАСПИСКА", "представитель заявителя", "Петрова Анна Сергеевна", "№ 38 АА 1234567", "удостоверена нотариально"} {
		if !strings.Contains(string(txt), want) {
			t.Errorf("the record (in the office's language) does not say %q:\n%s", want, txt)
		}
	}
}

func TestFilterAndVisitorSearch(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	readyCase(t, e)
	other := e.Visitor(t, domain.Visitor{FullName: "Іваненко Марʼяна", DocType: domain.DocIDCardUA, DocNumber: "123456789"})
	e.Case(t, other.ID, "kindergarten", "")
	m := New(e.SignedIn(i18n.UK), e.Store)
	fake.Run(t, m, m.Init()())
	if len(m.rows) != 2 {
		t.Fatalf("all: %d", len(m.rows))
	}
	fake.Run(t, m, fake.Keys(tea.KeyTab)...) // ready
	if len(m.rows) != 1 || m.rows[0].cs.State != domain.CaseReady {
		t.Errorf("ready: %+v", m.rows)
	}
	fake.Run(t, m, fake.Keys("мар'яна", tea.KeyEnter)...)
	if len(m.rows) != 0 {
		t.Errorf("Мар'яна has no ready case: %+v", m.rows)
	}
	for range filters[1:] {
		fake.Run(t, m, fake.Keys(tea.KeyTab)...)
	}
	if len(m.rows) != 1 || m.rows[0].name != "Іваненко Мар'яна" {
		t.Errorf("Мар'яна's cases: %+v", m.rows)
	}
}

// TestOlderReadDoesNotUndoTheIssue: a re-read of the case started before
// the clerk issued the result, answering after the issue's own, does not
// show the result as still ready.
func TestOlderReadDoesNotUndoTheIssue(t *testing.T) {
	t.Parallel()
	_, _, m := openReady(t, i18n.RU)
	older := m.reread()() // a re-read on a store change, before the issue
	fake.Run(t, m, fake.Keys("i")...)
	fake.Run(t, m, fake.Keys(tea.KeyCtrlS)...) // asks to check the document, and goes to it
	fake.Run(t, m, fake.Keys(" ", tea.KeyCtrlS)...)
	if m.det.cs.State != domain.CaseIssued {
		t.Fatalf("after the issue: %s (err %q)", m.det.cs.State, m.err)
	}
	m.Update(older)
	if m.det.cs.State != domain.CaseIssued {
		t.Errorf("an older re-read put the case back to %s", m.det.cs.State)
	}
}
