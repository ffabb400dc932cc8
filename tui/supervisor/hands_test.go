package supervisor

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/link"
	"github.com/okno-mfc/okno/tui/i18n"
)

// A move asks the window, then why (the API keeps the reason in the
// ticket.redirected event); the reason may be left empty.

func TestGoldenMoveAsksWhyRussian80x24(t *testing.T) {
	runGolden(t, i18n.RU, 80, 24, []link.LiveUpdate{fullUpdate()}, "A-014",
		keyRunes("2"), tea.KeyMsg{Type: tea.KeyDown}, keyRunes("m"), keyRunes("3"), tea.KeyMsg{Type: tea.KeyEnter}, keyRunes("говорит по-китайски"))
}

func TestGoldenMovedWithoutReason80x24(t *testing.T) {
	down := tea.KeyMsg{Type: tea.KeyDown}
	feed := runGoldenThen(t, i18n.EN, 80, 24, []link.LiveUpdate{fullUpdate()}, "A-014", "back in the shared queue",
		keyRunes("2"), down, down, down, down, keyRunes("m"), tea.KeyMsg{Type: tea.KeyEnter}, tea.KeyMsg{Type: tea.KeyEnter})
	if got := feed.calls; len(got) != 1 || got[0] != "move IRK t18 0" {
		t.Fatalf("the feed was asked %q", got)
	}
}
