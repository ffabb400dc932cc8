package tui

import (
	"context"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/localdb"
	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/fake"
	"github.com/okno-mfc/okno/tui/i18n"
)

// The service list opens on the service the visitor took the ticket for:
// enter at once opens the case for it.
func TestServiceOpensOnTheTicketsService(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	v := e.Visitor(t, fedorov())
	tk := e.Ticket(t, "kindergarten", "", 4)
	a := start(t, e, i18n.RU, true)
	a.send(common.VisitorChosen{Visitor: v, TicketID: tk.ID})
	a.wait("› Запись в детский сад")
	a.golden()
	cs, err := e.Store.FindCases(context.Background(), localdb.CaseFilter{VisitorID: v.ID})
	if err != nil || len(cs) != 0 {
		t.Fatalf("cases before enter: %v %v", cs, err)
	}
}

func TestServiceOnTheTicketsServiceEnterOpensIt(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	v := e.Visitor(t, fedorov())
	tk := e.Ticket(t, "kindergarten", "", 4)
	a := start(t, e, i18n.EN, true)
	a.send(common.VisitorChosen{Visitor: v, TicketID: tk.ID})
	a.wait("› Kindergarten place")
	a.keys(tea.KeyEnter)
	a.wait("Scan:", "Birth certificate")
}
