package supervisor

import (
	"errors"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/okno-mfc/okno/client"
	"github.com/okno-mfc/okno/link"
	"github.com/okno-mfc/okno/tui/i18n"
)

// runGolden shows the fixture at a size, presses keys, and compares the
// final screen with testdata/<test name>.golden (go test -update rewrites).
func runGolden(t *testing.T, lang i18n.Lang, w, h int, updates []link.LiveUpdate, wait string, keys ...tea.KeyMsg) {
	t.Helper()
	feed := newFakeFeed("IRK")
	for _, u := range updates {
		feed.channel("IRK") <- u
	}
	m := New(testCommon(t, lang, "IRK"), feed, Options{})
	tp := newTestProgram(t, newFrame(m), w, h)
	tp.waitFor(t, wait)
	for _, k := range keys {
		tp.send(k)
	}
	final := tp.finalModel(t).(*frame)
	golden.RequireEqual(t, []byte(final.View()))
}

func keyRunes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

func TestGoldenWindows80x24(t *testing.T) {
	runGolden(t, i18n.EN, 80, 24, []link.LiveUpdate{fullUpdate()}, "A-014")
}

func TestGoldenWaiting80x24(t *testing.T) {
	runGolden(t, i18n.EN, 80, 24, []link.LiveUpdate{fullUpdate()}, "A-014", keyRunes("2"))
}

func TestGoldenToday80x24(t *testing.T) {
	runGolden(t, i18n.EN, 80, 24, []link.LiveUpdate{fullUpdate()}, "A-014", tea.KeyMsg{Type: tea.KeyTab}, tea.KeyMsg{Type: tea.KeyTab})
}

func TestGoldenCapacity80x24(t *testing.T) {
	runGolden(t, i18n.EN, 80, 24, []link.LiveUpdate{fullUpdate()}, "A-014", keyRunes("4"))
}

func TestGoldenCases80x24(t *testing.T) {
	runGolden(t, i18n.EN, 80, 24, []link.LiveUpdate{fullUpdate()}, "A-014", keyRunes("5"))
}

func TestGoldenRussian80x24(t *testing.T) {
	runGolden(t, i18n.RU, 80, 24, []link.LiveUpdate{fullUpdate()}, "A-014", keyRunes("2"))
}

func TestGoldenLost80x24(t *testing.T) {
	lost := link.LiveUpdate{Stream: link.StreamLost, Err: errors.Join(client.ErrOffline, errors.New("connection reset"))}
	runGolden(t, i18n.EN, 80, 24, []link.LiveUpdate{fullUpdate(), lost}, "reconnecting")
}

func TestGoldenDashboard160x48(t *testing.T) {
	runGolden(t, i18n.EN, 160, 48, []link.LiveUpdate{fullUpdate()}, "A-014")
}

func TestGoldenDashboardUkrainian160x48(t *testing.T) {
	runGolden(t, i18n.UK, 160, 48, []link.LiveUpdate{fullUpdate()}, "A-014", keyRunes("g"), keyRunes("2"))
}
