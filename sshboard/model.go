package sshboard

import (
	"context"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/i18n"
	"github.com/okno-mfc/okno/tui/supervisor"
)

// Least terminal the board draws in; smaller ones are asked to grow.
const (
	minWidth  = 40
	minHeight = 10
)

type modelConfig struct {
	person        person
	lang          i18n.Lang
	feed          supervisor.Feed
	idle          time.Duration
	now           func() time.Time
	width, height int
	end           func(how string) // says how the session ended
}

// model is the session's root: the supervisor's screen with a help line
// under it (or the full help, on ?), and the session's idle timer.
type model struct {
	c       *common.Common
	scr     *supervisor.Model
	help    help.Model
	quit    key.Binding
	helpKey key.Binding
	close   key.Binding

	idle    time.Duration
	lastKey time.Time
	end     func(string)

	showHelp      bool
	width, height int
}

// idleMsg asks the model to check its idle timer.
type idleMsg struct{}

func newModel(ctx context.Context, cfg modelConfig) *model {
	c := common.New(ctx, common.Options{Lang: cfg.lang, Now: cfg.now})
	c.Operator = domain.Operator{Login: cfg.person.Login, Role: cfg.person.Role, Office: cfg.person.Office}
	c.Online = true
	t := c.T
	m := &model{
		c:       c,
		help:    help.New(),
		quit:    key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", t.S("ssh.key.quit"))),
		helpKey: key.NewBinding(key.WithKeys("?"), key.WithHelp("?", t.S("ssh.key.help"))),
		close:   key.NewBinding(key.WithKeys("esc", "?", "q")),
		idle:    cfg.idle,
		lastKey: c.Now(),
		end:     cfg.end,
	}
	m.scr = supervisor.New(c, cfg.feed, supervisor.Options{})
	m.resize(cfg.width, cfg.height)
	return m
}

// resize lays the screen out in w×h: the screen above, the help line.
func (m *model) resize(w, h int) {
	m.width, m.height = max(w, 1), max(h, 1)
	m.c.Width, m.c.Height = m.width, max(m.height-1, 1)
	m.scr.SetSize(m.c.Width, m.c.Height)
	m.help.Width = m.width
}

func (m *model) Init() tea.Cmd {
	return tea.Batch(m.scr.Init(), m.idleCheck())
}

// idleCheck fires when the idle time would be up if no key came.
func (m *model) idleCheck() tea.Cmd {
	wait := m.idle - m.c.Now().Sub(m.lastKey)
	return tea.Tick(max(wait, 10*time.Millisecond), func(time.Time) tea.Msg { return idleMsg{} })
}

func (m *model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.resize(msg.Width, msg.Height)
		return m, nil
	case idleMsg:
		if m.c.Now().Sub(m.lastKey) >= m.idle {
			m.end(endIdle)
			m.scr.Stop()
			return m, tea.Quit
		}
		return m, m.idleCheck()
	case tea.KeyMsg:
		m.lastKey = m.c.Now()
		if msg.Type == tea.KeyCtrlC {
			return m, m.quitNow()
		}
		if m.showHelp {
			if key.Matches(msg, m.close) {
				m.showHelp = false
			}
			return m, nil
		}
		if !m.scr.Modal() {
			switch {
			case key.Matches(msg, m.quit):
				return m, m.quitNow()
			case key.Matches(msg, m.helpKey):
				m.showHelp = true
				return m, nil
			}
		}
	}
	_, cmd := m.scr.Update(msg)
	return m, cmd
}

func (m *model) quitNow() tea.Cmd {
	m.end(endQuit)
	m.scr.Stop()
	return tea.Quit
}

func (m *model) View() string {
	if m.width < minWidth || m.height < minHeight {
		msg := lipgloss.NewStyle().Width(m.width).Render(m.c.T.S("ssh.small", m.width, m.height))
		return common.Frame(msg, m.width, m.height)
	}
	var body string
	if m.showHelp {
		body = m.fullHelp()
	} else {
		body = m.scr.View()
	}
	body = common.Frame(body, m.width, m.height-1)
	short := append(m.scr.ShortHelp(), m.helpKey, m.quit)
	line := m.help.ShortHelpView(short)
	return body + "\n" + common.Frame(line, m.width, 1)
}

func (m *model) fullHelp() string {
	st, t := m.c.Styles, m.c.T
	var b strings.Builder
	b.WriteString(st.Title.Render(t.S("help.title", m.scr.Title())) + "\n\n")
	b.WriteString(m.help.FullHelpView(m.scr.FullHelp()) + "\n\n")
	b.WriteString(m.help.FullHelpView([][]key.Binding{{m.helpKey, m.quit}}) + "\n\n")
	b.WriteString(st.Muted.Render(t.S("ssh.help.close")))
	return b.String()
}
