package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/i18n"
	"github.com/okno-mfc/okno/tui/queue"
)

// route builds the screen a navigation message asks for; ok says msg was
// one.
func (m *Model) route(msg tea.Msg) (tea.Cmd, bool) {
	c := m.c
	switch msg := msg.(type) {
	case common.SignedIn:
		c.Operator, c.Online = msg.Operator, msg.Online
		return m.reset(queue.New(c, "")), true
	case common.GoQueue:
		return m.reset(queue.New(c, msg.Notice)), true
	case common.Back:
		return m.back(), true
	}
	return nil, false
}

// jump handles the keys that open a screen from anywhere (after sign-in).
func (m *Model) jump(msg tea.KeyMsg) (tea.Cmd, bool) {
	k, c := m.c.Keys, m.c
	if c.Operator.Login == "" {
		return nil, false
	}
	switch {
	case key.Matches(msg, k.Queue):
		return m.reset(queue.New(c, "")), true
	}
	return nil, false
}

// screenName names a screen for the help's title.
func screenName(t i18n.T, s common.Screen) string {
	if n, ok := s.(interface{ Title() string }); ok {
		return n.Title()
	}
	return t.S("app.name")
}
