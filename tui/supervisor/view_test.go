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
	runGoldenThen(t, lang, w, h, updates, wait, "", keys...)
}

// runGoldenThen is runGolden that, after the keys, waits for then too.
func runGoldenThen(t *testing.T, lang i18n.Lang, w, h int, updates []link.LiveUpdate, wait, then string, keys ...tea.KeyMsg) *fakeFeed {
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
	if then != "" {
		tp.waitFor(t, then)
	}
	final := tp.finalModel(t).(*frame)
	golden.RequireEqual(t, []byte(final.View()))
	return feed
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

// The supervisor's hands at 80×24: a move to a window the office lacks
// (refused with its windows), the reason asked for a raise, a window being
// closed (Russian), and the line that says what was done.

func TestGoldenMoveToMissingWindow80x24(t *testing.T) {
	runGolden(t, i18n.EN, 80, 24, []link.LiveUpdate{fullUpdate()}, "A-014",
		keyRunes("2"), tea.KeyMsg{Type: tea.KeyDown}, keyRunes("m"), keyRunes("99"), tea.KeyMsg{Type: tea.KeyEnter})
}

func TestGoldenRaiseAsksWhy80x24(t *testing.T) {
	runGolden(t, i18n.EN, 80, 24, []link.LiveUpdate{fullUpdate()}, "A-014",
		keyRunes("2"), tea.KeyMsg{Type: tea.KeyDown}, tea.KeyMsg{Type: tea.KeyDown}, keyRunes("+"), tea.KeyMsg{Type: tea.KeyEnter})
}

func TestGoldenCloseWindowRussian80x24(t *testing.T) {
	down := tea.KeyMsg{Type: tea.KeyDown}
	runGolden(t, i18n.RU, 80, 24, []link.LiveUpdate{fullUpdate()}, "A-014",
		keyRunes("1"), down, down, down, keyRunes("x"), keyRunes("ушёл домой"))
}

func TestGoldenMoved80x24(t *testing.T) {
	feed := runGoldenThen(t, i18n.EN, 80, 24, []link.LiveUpdate{fullUpdate()}, "A-014", "sent to window 3",
		keyRunes("2"), tea.KeyMsg{Type: tea.KeyDown}, keyRunes("m"), keyRunes("3"), tea.KeyMsg{Type: tea.KeyEnter},
		keyRunes("speaks Chinese"), tea.KeyMsg{Type: tea.KeyEnter})
	if got := feed.calls; len(got) != 1 || got[0] != "move IRK t15 3 speaks Chinese" {
		t.Fatalf("the feed was asked %q", got)
	}
}

// TestGoldenTodayRatings80x48: today's section, tall enough for the
// visitors' ratings by window, service and clerk with the share below 4
// (a window or clerk with half below 4 in the error colour).
func TestGoldenTodayRatings80x48(t *testing.T) {
	runGolden(t, i18n.RU, 80, 48, []link.LiveUpdate{fullUpdate()}, "A-014", keyRunes("3"))
}
