package syncscreen

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/link"
	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/fake"
	"github.com/okno-mfc/okno/tui/i18n"
)

func init() { lipgloss.SetColorProfile(termenv.Ascii) }

func TestRejectedEventsNeedAttention(t *testing.T) {
	t.Parallel()
	e := fake.New(t)
	ctx := context.Background()
	v := e.Visitor(t, domain.Visitor{FullName: "Иванов Иван", DocType: domain.DocPassportRU, DocNumber: "0101 000001"})
	c := e.SignedIn(i18n.UK)
	m := New(c, e.Store)
	fake.Run(t, m, m.Init()())
	if !strings.Contains(m.View(), "Відхилених подій немає") {
		t.Errorf("no rejected events:\n%s", m.View())
	}
	evs, err := e.Store.LocalEvents(ctx, 0, 10)
	if err != nil || len(evs) == 0 {
		t.Fatal(err)
	}
	if _, err := e.Store.MarkAnswered(ctx, []api.IngestResult{{ID: evs[0].ID, Status: api.IngestRejected, Reason: "duplicate visitor " + v.ID[:8]}}); err != nil {
		t.Fatal(err)
	}
	st := link.Status{State: link.Online, Rejected: 1}
	c.Status = st
	fake.Run(t, m, common.StatusChanged{Status: st})
	view := m.View()
	for _, want := range []string{"на зв'язку", "Потребують уваги", "реєстрація заявника", "причина: duplicate visitor"} {
		if !strings.Contains(view, want) {
			t.Errorf("the screen does not show %q:\n%s", want, view)
		}
	}
	if !strings.Contains(view, "s надішле їх знову") {
		t.Errorf("no word of how to send them again:\n%s", view)
	}
	before := e.Link.Syncs()
	fake.Run(t, m, tea.KeyMsg{Type: tea.KeyCtrlR})
	if e.Link.Syncs() != before+1 {
		t.Errorf("ctrl+r did not ask the link to sync")
	}

	// s puts the rejected event back in the outbox, as it was, and the
	// store announces it to push (the link listens).
	changes, stop := e.Store.Subscribe()
	defer stop()
	fake.Run(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("s")})
	select {
	case ch := <-changes:
		if !ch.ToPush() {
			t.Errorf("s announced %+v, not events to push", ch)
		}
	default:
		t.Errorf("s announced nothing to push")
	}
	view = m.View()
	if !strings.Contains(view, "Знову в черзі на надсилання: 1") || !strings.Contains(view, "Відхилених подій немає") {
		t.Errorf("after s:\n%s", view)
	}
	pending, err := e.Store.Pending(ctx, 10)
	if err != nil || len(pending) == 0 || pending[0].ID != evs[0].ID || pending[0].Hash != evs[0].Hash || pending[0].Sig != evs[0].Sig {
		t.Fatalf("the rejected event is not pending again as it was: %v %+v", err, pending)
	}
}
