// Package lock is the screen lock: after the workstation's idle time (or
// on the clerk's key) the screen shows only who is signed in and asks for
// that operator's password; nothing of a visitor shows meanwhile. The
// password is checked the way sign-in checks it (the central, or the hash
// kept here when the link is down).
package lock

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/components/field"
)

// Model is the lock screen.
type Model struct {
	c        *common.Common
	tag      common.Tag
	password *field.Field
	busy     bool
	err      string
}

// unlockedMsg answers unlockCmd: the password was right.
type unlockedMsg struct{ tag common.Tag }

// New makes the lock for the operator signed in.
func New(c *common.Common) *Model {
	m := &Model{c: c, tag: c.NextTag()}
	m.password = field.New(c.T.S("signin.password"), "").Styled(c.Styles)
	m.password.Input.EchoMode = textinput.EchoPassword
	m.password.Input.EchoCharacter = '•'
	m.password.Input.CharLimit = 128
	m.password.Focus()
	return m
}

// Keys are the keys of the lock's help line.
func (m *Model) Keys() []key.Binding { return []key.Binding{m.c.Keys.Unlock} }

func unlockCmd(c *common.Common, tag common.Tag, password string) tea.Cmd {
	login := c.Operator.Login
	return func() tea.Msg {
		if _, _, err := c.Link.SignIn(c.Ctx, login, password, c.Place.Window()); err != nil {
			return common.Fail(tag, err)
		}
		return unlockedMsg{tag: tag}
	}
}

// Update takes the password; unlocked is true once it was checked.
func (m *Model) Update(msg tea.Msg) (unlocked bool, cmd tea.Cmd) {
	switch msg := msg.(type) {
	case unlockedMsg:
		return msg.tag == m.tag, nil
	case common.ErrMsg:
		if msg.Tag == m.tag {
			m.busy = false
			m.err = m.c.Err(msg.Err)
			m.password.SetValue("")
		}
		return false, nil
	case tea.KeyMsg:
		if m.busy {
			return false, nil
		}
		if key.Matches(msg, m.c.Keys.Unlock) {
			pw := m.password.Value()
			if pw == "" {
				return false, nil
			}
			m.busy, m.err = true, ""
			return false, unlockCmd(m.c, m.tag, pw)
		}
		return false, m.password.Update(msg)
	}
	return false, nil
}

// View is the lock: the operator's name, the password, a message.
func (m *Model) View(width int) string {
	s, t := m.c.Styles, m.c.T
	var b strings.Builder
	b.WriteString(s.Title.Render(t.S("lock.title")) + "\n\n")
	b.WriteString(common.Wrap(t.S("lock.who", m.c.Operator.Name, m.c.Operator.Login), max(10, width-4)) + "\n\n")
	b.WriteString(m.password.View(s, 10, min(30, max(8, width-20)), width-4) + "\n\n")
	switch {
	case m.busy:
		b.WriteString(s.Muted.Render(t.S("loading")))
	case m.err != "":
		b.WriteString(s.Error.Render(common.Wrap(m.err, max(10, width-4))))
	default:
		b.WriteString(s.Muted.Render(common.Wrap(t.S("lock.hint"), max(10, width-4))))
	}
	return lipgloss.NewStyle().Padding(1, 2).Render(b.String())
}
