package tui

import (
	"context"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

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
	a.keys("i", tea.KeyEnter)
	a.wait("The result of case " + cs.Number + " was issued")
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
	a.keys("i", tea.KeyEnter)
	a.wait("was issued")
	a.keys(tea.KeyEsc)
	a.wait("issued          2027-01-22")
}
