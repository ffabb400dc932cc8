package tui

import (
	"context"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/localdb"
	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/fake"
	"github.com/okno-mfc/okno/tui/i18n"
)

// A draft left behind is found on the cases screen and cancelled there
// with a reason, which the case's history keeps as its withdrawal.
func TestDraftCancelWithReason(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	v := e.Visitor(t, fedorov())
	cs := e.Case(t, v.ID, "replanning", "")
	a := start(t, e, i18n.RU, true)
	a.keys(tea.KeyF4)
	a.wait(cs.Number)
	a.keys(cs.Number, tea.KeyEnter)
	a.wait("История", "o — продолжить оформление")
	a.keys("c")
	a.wait("Отменить дело " + cs.Number)
	a.keys(tea.KeyEnter)
	a.wait("Напишите причину отмены")
	a.keys("заявитель ушёл, не дождавшись", tea.KeyEnter)
	a.wait("Дело "+cs.Number+" отменено", "отозвано")
	a.golden()
	got, err := e.Store.Case(context.Background(), cs.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != domain.CaseWithdrawn || got.Note != "заявитель ушёл, не дождавшись" {
		t.Errorf("the cancelled draft is %s with note %q", got.State, got.Note)
	}
}

// o on a draft's detail opens its checklist where it was left.
func TestDraftResumeFromCases(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	v := e.Visitor(t, fedorov())
	cs := e.Case(t, v.ID, "replanning", "")
	if err := e.Store.CheckDocument(context.Background(), "ivanova", cs.ID, domain.DocumentPayload{Doc: "passport", Presented: true}); err != nil {
		t.Fatal(err)
	}
	a := start(t, e, i18n.RU, true)
	a.keys(tea.KeyF4)
	a.wait(cs.Number)
	a.keys(cs.Number, tea.KeyEnter)
	a.wait("История")
	a.keys("o")
	a.wait("Сканер:", "Предъявлено 1 из 5")
	a.keys("application", tea.KeyEnter)
	a.wait("Отмечен: Заявление", "[x] Заявление")
}

// The repeat-request warning offers the visitor's draft for the service:
// o resumes it instead of opening another case.
func TestRepeatRequestOffersResume(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	v := e.Visitor(t, fedorov())
	cs := e.Case(t, v.ID, "replanning", "")
	a := start(t, e, i18n.RU, true)
	a.send(common.VisitorChosen{Visitor: v})
	a.wait("Услуга для")
	a.keys("перепл", tea.KeyEnter)
	a.wait("Есть черновик " + cs.Number)
	a.keys("o")
	a.wait("Сканер:", cs.Number)
	n, err := e.Store.FindCases(context.Background(), caseFilterOf(v.ID))
	if err != nil || len(n) != 1 {
		t.Errorf("resuming opened another case: %d cases, %v", len(n), err)
	}
}

// s on a ticket whose draft is open asks first; esc leaves the ticket at
// the window.
func TestServedWarnsOfOpenDraft(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	v := e.Visitor(t, fedorov())
	tk := e.Ticket(t, "replanning", "", 3)
	cs := e.Case(t, v.ID, "replanning", tk.ID)
	a := start(t, e, i18n.RU, true)
	a.wait("Ждут: 1")
	a.keys("n")
	a.wait("У окна: " + tk.Number)
	a.keys("s")
	a.wait("открыт черновик дела " + cs.Number)
	a.golden()
}

func TestServedWarnsOfOpenDraftResumes(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	v := e.Visitor(t, fedorov())
	tk := e.Ticket(t, "replanning", "", 3)
	cs := e.Case(t, v.ID, "replanning", tk.ID)
	a := start(t, e, i18n.EN, true)
	a.wait("Waiting: 1")
	a.keys("n")
	a.wait("At the window: " + tk.Number)
	a.keys("s")
	a.wait("open draft, case " + cs.Number)
	a.keys(tea.KeyEsc)
	a.wait("Nothing changed")
	a.keys("s")
	a.wait("open draft, case " + cs.Number)
	a.keys("o")
	a.wait("Scan:", cs.Number)
}

// x right after a call asks before the visitor is marked a no-show.
func TestNoShowAsks(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	tk := e.Ticket(t, "replanning", "", 3)
	a := start(t, e, i18n.UK, true)
	a.wait("Чекають: 1")
	a.keys("n")
	a.wait("Біля вікна: " + tk.Number)
	a.keys("x")
	a.wait("Позначити неявку за талоном " + tk.Number)
	a.golden()
}

// esc on a registration form with data typed asks before throwing it
// away; esc again returns to the form as it was.
func TestRegistrationFormEscAsks(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	a := start(t, e, i18n.RU, true)
	a.send(common.StartIntake{})
	a.keys("Фёдоров", tea.KeyCtrlN)
	a.wait("Новый заявитель")
	a.keys(" Пётр", tea.KeyTab, "04.03.1985", tea.KeyEsc)
	a.wait("Введённые данные не сохранены")
	a.keys(tea.KeyEsc)
	a.wait("Проверка идёт при вводе")
	a.keys(tea.KeyEsc)
	a.wait("enter — выбросить их")
	a.golden()
}

func caseFilterOf(visitorID string) localdb.CaseFilter {
	return localdb.CaseFilter{VisitorID: visitorID}
}
