package service

import (
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

func TestFilterShowsDeadlineAndFeeThenOpensTheCase(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	v := e.Visitor(t, domain.Visitor{FullName: "Фёдоров Пётр", DocType: domain.DocPassportRU, DocNumber: "2504 123456"})
	m := New(e.SignedIn(i18n.RU), e.Store, v, "tk")
	fake.Run(t, m, fake.Keys("РЕКЛАМ")...)
	if m.pick.Len() != 1 {
		t.Fatalf("the filter shows %d services", m.pick.Len())
	}
	view := m.View()
	// 60 calendar days from Monday 23.11.2026.
	for _, want := range []string{"60 календарных дней — до 22.01.2027", "5 000,00 ₽", "документы: 2 обязательных, 0 прочих"} {
		if !strings.Contains(view, want) {
			t.Errorf("the screen does not show %q:\n%s", want, view)
		}
	}
	_, nav := fake.Run(t, m, fake.Keys(tea.KeyEnter)...)
	if len(nav) != 1 {
		t.Fatalf("enter sent %v (err %q)", nav, m.err)
	}
	co := fake.Only[common.CaseOpened](t, nav)
	if co.Case.Service != "advertising" || co.Case.State != domain.CaseDraft || co.TicketID != "tk" || co.Case.Deadline != "2027-01-22" {
		t.Errorf("opened %+v", co.Case)
	}
}

func TestWorkingDaysDeadline(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	m := New(e.SignedIn(i18n.UK), e.Store, domain.Visitor{ID: "x", FullName: "Іваненко"}, "")
	fake.Run(t, m, fake.Keys("садка")...)
	// 7 working days from Monday 23.11.2026 is Wednesday 2.12.2026.
	if v := m.View(); !strings.Contains(v, "7 робочих днів — до 02.12.2026") {
		t.Errorf("the working-day deadline is not shown:\n%s", v)
	}
}

func TestRepeatRequestWarns(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	v := e.Visitor(t, domain.Visitor{FullName: "Фёдоров Пётр", DocType: domain.DocPassportRU, DocNumber: "2504 123456"})
	first := e.Case(t, v.ID, "replanning", "")
	m := New(e.SignedIn(i18n.RU), e.Store, v, "")
	_, nav := fake.Run(t, m, fake.Keys("перепл", tea.KeyEnter)...)
	if len(nav) != 0 || m.repeats == nil {
		t.Fatalf("a repeat request was not flagged: %v", nav)
	}
	if view := m.View(); !strings.Contains(view, "Повторное обращение") || !strings.Contains(view, first.Number) {
		t.Errorf("the warning does not name the open case:\n%s", view)
	}
	fake.Run(t, m, fake.Keys(tea.KeyEsc)...)
	if m.repeats != nil {
		t.Fatal("esc did not close the warning")
	}
	fake.Run(t, m, fake.Keys(tea.KeyEnter)...)
	_, nav = fake.Run(t, m, fake.Keys(tea.KeyEnter)...)
	if fake.Only[common.CaseOpened](t, nav).Case.ID == first.ID {
		t.Errorf("enter on the warning sent %v, want a new case", nav)
	}
}

func TestEquipmentIsChecked(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	m := New(e.SignedIn(i18n.EN), e.Store, domain.Visitor{ID: "x"}, "")
	_, nav := fake.Run(t, m, fake.Keys("biometric", tea.KeyEnter)...)
	if len(nav) != 0 || !strings.Contains(m.err, "biometric") {
		t.Errorf("a service needing a biometric station opened at a window without one: %v %q", nav, m.err)
	}
}
