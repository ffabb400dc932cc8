package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/fake"
	"github.com/okno-mfc/okno/tui/i18n"
)

// small stops the TUI and checks its last frame fits w×h whole.
func (a *app) small(w, h int) string {
	a.t.Helper()
	if err := a.tm.Quit(); err != nil {
		a.t.Fatal(err)
	}
	view := a.tm.FinalModel(a.t, teatest.WithFinalTimeout(5*time.Second)).View()
	lines := strings.Split(view, "\n")
	if len(lines) != h {
		a.t.Errorf("the frame has %d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if lw := lipgloss.Width(l); lw > w {
			a.t.Errorf("line %d is %d columns wide at %d: %q", i+1, lw, w, l)
		}
	}
	return view
}

// At 60×20 the sign-in box keeps its border whole.
func TestSmallScreenSignIn(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	m := New(e.Common(i18n.RU), e.Store)
	a := &app{t: t, m: m, tm: teatest.NewTestModel(t, m, teatest.WithInitialTermSize(60, 20))}
	a.send(tea.WindowSizeMsg{Width: 60, Height: 20})
	a.wait("Вход оператора")
	view := a.small(60, 20)
	top, bottom := strings.Count(view, "╭"), strings.Count(view, "╯")
	if top != 1 || bottom != 1 || !strings.Contains(view, "╮") || !strings.Contains(view, "│ Вход оператора") {
		t.Errorf("the sign-in box is not whole at 60×20:\n%s", view)
	}
}

// At 60×20 the receipt's preview is wrapped to the screen: no word is cut.
func TestSmallScreenReceipt(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	a, _ := openChecklist(t, e, i18n.RU)
	a.send(tea.WindowSizeMsg{Width: 60, Height: 20})
	a.keys("application", tea.KeyEnter)
	a.wait("Отмечен: Заявление")
	a.keys("passport", tea.KeyEnter)
	a.wait("Отмечен: Паспорт")
	a.keys(tea.KeyCtrlS)
	a.wait("Причина:")
	a.keys("заявитель донесёт проект в ведомство", tea.KeyEnter)
	a.wait("РАСПИСКА")
	view := a.small(60, 20)
	for _, want := range []string{"Согласование перепланировки помещения", "в получении документов от заявителя", "печати"} {
		if !strings.Contains(view, want) {
			t.Errorf("%q is cut at 60 columns:\n%s", want, view)
		}
	}
	lines := strings.Split(view, "\n")
	if body := strings.Join(lines[:len(lines)-1], "\n"); strings.Contains(body, "…") { // the help line may end in …
		t.Errorf("something is cut at 60 columns:\n%s", view)
	}
}

// At 80×24 the header keeps the offline sign-in mark whole (the name
// gives way) and the form's hint is wrapped, not cut.
func TestHeaderKeepsTheOfflineMark(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	a := start(t, e, i18n.RU, true)
	a.send(common.StartIntake{})
	a.keys("Фёдоров", tea.KeyCtrlN)
	a.wait("Новый заявитель")
	view := a.golden()
	if !strings.Contains(strings.Split(view, "\n")[0], "(офлайн-вход)") {
		t.Errorf("the header hides the offline sign-in mark:\n%s", view)
	}
	if !strings.Contains(view, "esc — к\nпоиску") && !strings.Contains(view, "к поиску") {
		t.Errorf("the form's hint is cut:\n%s", view)
	}
}
