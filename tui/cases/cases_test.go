package cases

import (
	"context"
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
	e := fake.New(t)
	cs := readyCase(t, e)
	m := Open(e.SignedIn(i18n.RU), e.Store, cs.ID)
	fake.Run(t, m, m.Init()())
	fake.Run(t, m, fake.Keys("i")...)
	if !m.issuing {
		t.Fatalf("i did not ask to issue (err %q)", m.err)
	}
	fake.Run(t, m, fake.Keys("по доверенности", tea.KeyEnter)...)
	if m.det.cs.State != domain.CaseIssued || !strings.Contains(m.notice, "выдан") {
		t.Errorf("after issue: %s %q %q", m.det.cs.State, m.notice, m.err)
	}
	fake.Run(t, m, fake.Keys("i")...)
	if m.issuing || !strings.Contains(m.err, "Нельзя") {
		t.Errorf("issuing twice: asking %v, err %q", m.issuing, m.err)
	}
	_, nav := fake.Run(t, m, fake.Keys("r")...)
	if fake.Only[common.ShowReceipt](t, nav).CaseID != cs.ID {
		t.Errorf("r sent %v", nav)
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
