// Package signin is the sign-in screen: login and password, checked by the
// central when the link is up and by the hash kept on this workstation when
// it is not (the screen says which).
package signin

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/components/field"
)

// Model is the sign-in screen.
type Model struct {
	c        *common.Common
	tag      common.Tag
	login    *field.Field
	password *field.Field
	focus    int
	busy     bool
	err      string
	notice   string // what happened before (a sign-out)
	width    int
	height   int
}

// signedInMsg is the answer of signInCmd.
type signedInMsg struct {
	tag    common.Tag
	op     domain.Operator
	online bool
}

// New makes the screen.
func New(c *common.Common) *Model {
	t := c.T
	m := &Model{c: c, tag: c.NextTag(), width: c.Width, height: c.Height}
	m.login = field.New(t.S("signin.login"), t.S("signin.login.ph")).Styled(c.Styles)
	m.login.Input.CharLimit = 64
	m.password = field.New(t.S("signin.password"), "").Styled(c.Styles)
	m.password.Input.EchoMode = textinput.EchoPassword
	m.password.Input.EchoCharacter = '•'
	m.password.Input.CharLimit = 128
	m.login.Focus()
	return m
}

// SetNotice shows what happened before the screen came (a sign-out).
func (m *Model) SetNotice(s string) { m.notice = s }

// Init does nothing: the screen waits for the clerk.
func (m *Model) Init() tea.Cmd { return nil }

// SetSize sets the screen's size.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h }

// Typing is always true: both fields take text.
func (m *Model) Typing() bool { return true }

// Title names the screen.
func (m *Model) Title() string { return m.c.T.S("signin.title") }

// Modal is false: esc has nothing to close.
func (m *Model) Modal() bool { return false }

// ShortHelp lists the main keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.c.Keys
	return []key.Binding{k.Submit, k.NextField, k.Quit}
}

// FullHelp lists every key.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.c.Keys
	return [][]key.Binding{{k.Submit, k.NextField, k.PrevField}}
}

func signInCmd(c *common.Common, tag common.Tag, login, password string) tea.Cmd {
	return func() tea.Msg {
		op, online, err := c.Link.SignIn(c.Ctx, login, password, c.Place.Window())
		if err != nil {
			return common.Fail(tag, err)
		}
		return signedInMsg{tag: tag, op: op, online: online}
	}
}

// Update handles keys and the sign-in's answer.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	k := m.c.Keys
	switch msg := msg.(type) {
	case signedInMsg:
		if msg.tag != m.tag {
			return m, nil
		}
		m.busy = false
		return m, func() tea.Msg { return common.SignedIn{Operator: msg.op, Online: msg.online} }
	case common.ErrMsg:
		if msg.Tag != m.tag {
			return m, nil
		}
		m.busy = false
		m.err = m.c.Err(msg.Err)
		m.password.SetValue("")
		m.setFocus(1)
		return m, nil
	case tea.KeyMsg:
		if m.busy {
			return m, nil
		}
		switch {
		case key.Matches(msg, k.Submit):
			if m.focus == 0 && strings.TrimSpace(m.login.Value()) != "" {
				m.setFocus(1)
				return m, nil
			}
			return m, m.submit()
		case key.Matches(msg, k.NextField), key.Matches(msg, k.PrevField):
			m.setFocus(1 - m.focus)
			return m, nil
		}
		if m.focus == 0 {
			return m, m.login.Update(msg)
		}
		return m, m.password.Update(msg)
	}
	return m, nil
}

func (m *Model) submit() tea.Cmd {
	login := strings.TrimSpace(m.login.Value())
	if login == "" {
		m.err = m.c.T.S("signin.need_login")
		m.setFocus(0)
		return nil
	}
	m.busy, m.err = true, ""
	return signInCmd(m.c, m.tag, login, m.password.Value())
}

func (m *Model) setFocus(i int) {
	m.focus = i
	if i == 0 {
		m.password.Blur()
		m.login.Focus()
	} else {
		m.login.Blur()
		m.password.Focus()
	}
}

// View renders the screen.
func (m *Model) View() string {
	c, s, t := m.c, m.c.Styles, m.c.T
	w := max(20, min(m.width-4, 72)) // the box's border and padding take 4 columns
	var b strings.Builder
	b.WriteString(s.Title.Render(t.S("signin.title")) + "\n\n")
	place := t.S("signin.place", c.Place.Office(), c.Place.Window())
	b.WriteString("  " + s.Label.Render(common.Fit(t.S("signin.workplace"), 12)) + " " + s.Strong.Render(place) + "\n")
	b.WriteString(m.login.View(s, 12, 30, w) + "\n")
	b.WriteString(m.password.View(s, 12, 30, w) + "\n\n")
	switch {
	case m.busy:
		b.WriteString(s.Muted.Render(t.S("signin.checking")))
	case m.err != "":
		b.WriteString(s.Error.Render(common.Wrap(m.err, w)))
	case m.notice != "":
		b.WriteString(s.Notice.Render(common.Wrap(m.notice, w)))
	default:
		b.WriteString(s.Muted.Render(common.Wrap(t.S("signin.hint"), w)))
	}
	if c.Hint != "" {
		b.WriteString("\n\n" + s.Strong.Render(common.Wrap(c.Hint, w)))
	}
	box := lipgloss.NewStyle().Width(w)
	return lipgloss.Place(m.width, m.height, lipgloss.Center, lipgloss.Center, s.Box.Render(box.Render(b.String())))
}
