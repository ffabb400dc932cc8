package fake

import (
	"reflect"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/tui/common"
)

// commonPkg is where the navigation messages live.
var commonPkg = reflect.TypeFor[common.Back]().PkgPath()

// Run hands msgs to a screen one by one and runs the commands it returns
// synchronously, feeding their messages back, until none are left. It
// returns the screen and the navigation messages it sent the root (the
// messages of package common other than ErrMsg and StatusChanged). Commands
// that wait (a debounce) are waited for.
func Run(tb testing.TB, m tea.Model, msgs ...tea.Msg) (tea.Model, []tea.Msg) {
	tb.Helper()
	var nav []tea.Msg
	queue := append([]tea.Msg(nil), msgs...)
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 1000 {
			tb.Fatal("fake.Run: more than 1000 messages: a loop?")
		}
		msg := queue[0]
		queue = queue[1:]
		if msg == nil {
			continue
		}
		if b, ok := msg.(tea.BatchMsg); ok {
			for _, c := range b {
				if c != nil {
					queue = append(queue, c())
				}
			}
			continue
		}
		if isNav(msg) {
			nav = append(nav, msg)
			continue
		}
		var cmd tea.Cmd
		m, cmd = m.Update(msg)
		if cmd != nil {
			queue = append(queue, cmd())
		}
	}
	return m, nav
}

func isNav(msg tea.Msg) bool {
	switch msg.(type) {
	case common.ErrMsg, common.StatusChanged:
		return false
	}
	t := reflect.TypeOf(msg)
	return t.PkgPath() == commonPkg
}

// Keys makes key messages: runes for text (each rune its own key press, as
// a typist sends them), and the named keys given as tea.KeyType values.
func Keys(parts ...any) []tea.Msg {
	var out []tea.Msg
	for _, p := range parts {
		switch p := p.(type) {
		case string:
			for _, r := range p {
				if r == ' ' {
					out = append(out, tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}})
					continue
				}
				out = append(out, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
			}
		case tea.KeyType:
			out = append(out, tea.KeyMsg{Type: p})
		case tea.KeyMsg:
			out = append(out, p)
		}
	}
	return out
}

// Only returns the one navigation message a screen sent, which must be a
// T: the test fails, and does not panic, when there is none, more than
// one, or another kind.
func Only[T any](tb testing.TB, nav []tea.Msg) T {
	tb.Helper()
	var zero T
	if len(nav) != 1 {
		tb.Fatalf("the screen sent %d navigation messages (%v), want one %T", len(nav), nav, zero)
	}
	got, ok := nav[0].(T)
	if !ok {
		tb.Fatalf("the screen sent %T (%+v), want %T", nav[0], nav[0], zero)
	}
	return got
}
