package tui

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/fake"
	"github.com/okno-mfc/okno/tui/i18n"
)

func init() { lipgloss.SetColorProfile(termenv.Ascii) }

// app runs the whole TUI over a fake workstation at 80×24.
type app struct {
	t  *testing.T
	tm *teatest.TestModel
	m  *Model
}

// start runs the TUI; signedIn skips the sign-in screen.
func start(t *testing.T, e *fake.Env, lang i18n.Lang, signedIn bool) *app {
	t.Helper()
	m := New(e.Common(lang), e.Store)
	a := &app{t: t, m: m, tm: teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))}
	if signedIn {
		a.tm.Send(common.SignedIn{Operator: fake.Operator()})
	}
	return a
}

// wait waits until the screen shows every text.
func (a *app) wait(texts ...string) {
	a.t.Helper()
	teatest.WaitFor(a.t, a.tm.Output(), func(b []byte) bool {
		for _, s := range texts {
			if !bytes.Contains(b, []byte(s)) {
				return false
			}
		}
		return true
	}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
}

// keys sends text (rune by rune, Cyrillic too) and named keys.
func (a *app) keys(parts ...any) {
	for _, k := range fake.Keys(parts...) {
		a.tm.Send(k)
	}
}

// send sends a message (a navigation message, a status).
func (a *app) send(msg tea.Msg) { a.tm.Send(msg) }

// golden stops the TUI and compares its last frame with the golden file.
func (a *app) golden() string {
	a.t.Helper()
	if err := a.tm.Quit(); err != nil {
		a.t.Fatal(err)
	}
	fm := a.tm.FinalModel(a.t, teatest.WithFinalTimeout(5*time.Second))
	view := maskOutbox(fm.View())
	for i, line := range strings.Split(view, "\n") {
		if w := lipgloss.Width(line); w > 80 {
			a.t.Errorf("line %d is %d columns wide: %q", i+1, w, line)
		}
	}
	if n := strings.Count(view, "\n") + 1; n != 24 {
		a.t.Errorf("the frame has %d lines, want 24", n)
	}
	golden.RequireEqual(a.t, []byte(view))
	return view
}

// outboxCount is the status bar's outbox count.
var outboxCount = regexp.MustCompile(`(к отправке: |до надсилання: |outbox: )([0-9]+)`)

// maskOutbox hides the status bar's outbox count from a golden: the bar
// reads it from the store after each write, at its own pace, so the last
// frame may come before or after it (TestStatusBarCountIsTheOutboxs checks
// the count itself).
func maskOutbox(view string) string {
	first, rest, _ := strings.Cut(view, "\n")
	first = outboxCount.ReplaceAllStringFunc(first, func(m string) string {
		sub := outboxCount.FindStringSubmatch(m)
		return sub[1] + strings.Repeat("#", len(sub[2]))
	})
	return first + "\n" + rest
}
