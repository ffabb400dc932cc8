package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/fake"
	"github.com/okno-mfc/okno/tui/i18n"
)

// ctrl+c with a draft on the checklist asks; esc stays, ctrl+c twice quits.
func TestQuitAsksWithWorkOpen(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	a, cs := openChecklist(t, e, i18n.RU)
	a.keys(tea.KeyCtrlC)
	a.wait("Дело "+cs.Number+" не передано", "всё равно выйти")
	a.golden()
}

func TestQuitAsksThenQuits(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	a, cs := openChecklist(t, e, i18n.EN)
	a.keys(tea.KeyCtrlC)
	a.wait("Case " + cs.Number + " is not handed off")
	a.keys(tea.KeyEsc)
	a.wait("Scan:")
	a.keys(tea.KeyCtrlC)
	a.wait("quits anyway")
	a.keys(tea.KeyCtrlC)
	a.tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
}

// After the idle time the screen locks: nothing of the visitor shows; a
// wrong password is refused, the right one brings the screen back.
func TestIdleLockHidesTheVisitor(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	v := e.Visitor(t, fedorov())
	c := e.Common(i18n.RU)
	c.IdleLock = 5 * time.Minute
	m := New(c, e.Store)
	a := &app{t: t, m: m, tm: teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))}
	a.send(common.SignedIn{Operator: fake.Operator()})
	a.send(common.VisitorChosen{Visitor: v})
	a.wait("Услуга для: Фёдоров")
	e.Clock.Set(fake.Start().Add(6 * time.Minute))
	a.wait("Экран заблокирован")
	a.keys("wrong", tea.KeyEnter)
	a.wait("Неверный")
	a.golden()
	if view := a.m.View(); containsAny(view, "Фёдоров", "2504") {
		t.Errorf("the lock shows the visitor:\n%s", view)
	}
}

func TestIdleLockUnlocks(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	v := e.Visitor(t, fedorov())
	c := e.Common(i18n.EN)
	c.IdleLock = time.Minute
	m := New(c, e.Store)
	a := &app{t: t, m: m, tm: teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))}
	a.send(common.SignedIn{Operator: fake.Operator()})
	a.send(common.VisitorChosen{Visitor: v})
	a.wait("Service for")
	a.keys(tea.KeyCtrlL)
	a.wait("The screen is locked")
	a.keys(fake.Password, tea.KeyEnter)
	a.wait("Service for")
}

// ctrl+o signs out: the window is closed (an event the supervisor sees)
// until the next sign-in opens it; with a ticket at the window it is not.
func TestSignOutClosesTheWindow(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	ctx := context.Background()
	tk := e.Ticket(t, "replanning", "", 3)
	a := start(t, e, i18n.RU, true)
	a.wait("Ждут: 1")
	a.keys("n")
	a.wait("У окна: " + tk.Number)
	a.keys(tea.KeyCtrlO)
	a.wait("У окна ещё заявитель")
	a.keys("s")
	a.wait("обслужен")
	a.keys(tea.KeyCtrlO)
	a.wait("Вы вышли; окно закрыто")
	if closed, err := e.Store.Closed(ctx); err != nil || !closed {
		t.Fatalf("after the sign-out the window is closed %v (%v)", closed, err)
	}
	a.keys("ivanova", tea.KeyEnter, fake.Password, tea.KeyEnter)
	a.wait("Очередь")
	deadline := time.Now().Add(5 * time.Second)
	for {
		closed, err := e.Store.Closed(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !closed {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the sign-in did not open the window")
		}
		time.Sleep(10 * time.Millisecond)
	}
	var kinds []domain.EventKind
	evs, err := e.Store.Pending(ctx, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range evs {
		if ev.Kind == domain.EvWindowClosed || ev.Kind == domain.EvWindowResumed {
			kinds = append(kinds, ev.Kind)
		}
	}
	if len(kinds) != 2 || kinds[0] != domain.EvWindowClosed || kinds[1] != domain.EvWindowResumed {
		t.Errorf("the window's events: %v", kinds)
	}
}

func containsAny(s string, subs ...string) bool {
	for _, x := range subs {
		if len(x) > 0 && strings.Contains(s, x) {
			return true
		}
	}
	return false
}
