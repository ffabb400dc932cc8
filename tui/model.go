// Package tui is the clerk's terminal UI: one root model that owns the
// shared Common value, a stack of screens (sign-in, queue, intake, service,
// checklist, receipt, cases, sync), the status bar and the help. It handles
// the global keys first and hands everything else to the screen on top.
// It never does I/O in Update or View: the store and the link are reached
// through commands whose answers come back as messages. What the store
// commits (the clerk's writes, the feed's events, the central's answers)
// comes to the screen on top as one message, common.Changed.
package tui

import (
	"context"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/link"
	"github.com/okno-mfc/okno/localdb"
	"github.com/okno-mfc/okno/tui/cases"
	"github.com/okno-mfc/okno/tui/checklist"
	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/components/statusbar"
	"github.com/okno-mfc/okno/tui/handoff"
	"github.com/okno-mfc/okno/tui/intake"
	"github.com/okno-mfc/okno/tui/lock"
	"github.com/okno-mfc/okno/tui/queue"
	"github.com/okno-mfc/okno/tui/service"
	"github.com/okno-mfc/okno/tui/signin"
	"github.com/okno-mfc/okno/tui/syncscreen"
)

// Link is the link to the central as the TUI needs it (see common.Link).
type Link = common.Link

// Store is the workstation's store as the TUI needs it: what each screen
// uses of it, and the announcements of what it committed. *localdb.Store
// is one; each screen is given only its own part.
type Store interface {
	queue.Store
	intake.Store
	service.Store
	checklist.Store
	handoff.Store
	cases.Store
	syncscreen.Store
	Session
	// Subscribe delivers what every commit changed, until cancel.
	Subscribe() (ch <-chan localdb.Change, cancel func())
}

// Model is the root model.
type Model struct {
	c        *common.Common
	st       Store
	changes  <-chan localdb.Change
	stack    []common.Screen
	bar      *statusbar.Model
	help     help.Model
	showHelp bool
	helpID   string // the bindings of helpLine
	helpW    int
	helpLine string
	width    int
	height   int
	lock     *lock.Model          // the screen lock, while it is on
	lastKey  time.Time            // when the last key came (the idle lock counts from it)
	quitAsk  string               // the question before quitting with work open
	outbox   *localdb.OutboxStats // the outbox as last read from the store
}

// statusMsg is a new status of the link.
type statusMsg link.Status

// tickMsg moves the clock of the status bar.
type tickMsg time.Time

// changedMsg is what the store committed since the last one.
type changedMsg localdb.Change

// New makes the root model over st with the sign-in screen on top. It
// listens to st's commits until c.Ctx ends.
func New(c *common.Common, st Store) *Model {
	m := &Model{c: c, st: st, bar: statusbar.New(c), help: help.New(), width: 80, height: 24}
	ch, cancel := st.Subscribe()
	m.changes = ch
	context.AfterFunc(c.Ctx, cancel)
	m.help.Styles.ShortKey = c.Styles.HelpKey
	m.help.Styles.ShortDesc = c.Styles.HelpDesc
	m.help.Styles.ShortSeparator = c.Styles.HelpSep
	m.help.Styles.FullKey = c.Styles.HelpKey
	m.help.Styles.FullDesc = c.Styles.HelpDesc
	m.help.Styles.FullSeparator = c.Styles.HelpSep
	m.help.Styles.Ellipsis = c.Styles.HelpSep
	m.push(signin.New(c))
	return m
}

// Common is the shared value (for tests and the command).
func (m *Model) Common() *common.Common { return m.c }

// Active is the screen on top.
func (m *Model) Active() common.Screen { return m.stack[len(m.stack)-1] }

// Init starts the first screen, the link's status feed, the store's
// changes and the clock.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(m.Active().Init(), waitStatusCmd(m.c.Link), waitChangeCmd(m.changes), tickCmd(), outboxCmd(m.c, m.st))
}

// waitChangeCmd waits for the store's next commit (the realtime pattern:
// Update asks again after each).
func waitChangeCmd(ch <-chan localdb.Change) tea.Cmd {
	return func() tea.Msg {
		c, ok := <-ch
		if !ok {
			return nil
		}
		return changedMsg(c)
	}
}

func waitStatusCmd(l Link) tea.Cmd {
	if l == nil {
		return nil
	}
	ch := l.Updates()
	return func() tea.Msg {
		st, ok := <-ch
		if !ok {
			return nil
		}
		return statusMsg(st)
	}
}

func tickCmd() tea.Cmd {
	return tea.Tick(time.Second, func(t time.Time) tea.Msg { return tickMsg(t) })
}

// Update handles the global keys and the moves between screens, and hands
// every other message to the screen on top.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	k := m.c.Keys
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.resize(msg.Width, msg.Height)
		return m, nil
	case tickMsg:
		m.idle()
		return m, tickCmd()
	case signedOutMsg:
		return m, m.signedOut(msg)
	case statusMsg:
		m.c.Status = link.Status(msg)
		m.ownCount()
		cmd := m.forward(common.StatusChanged{Status: m.c.Status})
		return m, tea.Batch(cmd, waitStatusCmd(m.c.Link), outboxCmd(m.c, m.st))
	case outboxMsg:
		ob := localdb.OutboxStats(msg)
		m.outbox = &ob
		m.ownCount()
		return m, nil
	case changedMsg:
		cmd := m.forward(common.Changed{Change: localdb.Change(msg)})
		if localdb.Change(msg).Has(localdb.Outbox) {
			cmd = tea.Batch(cmd, outboxCmd(m.c, m.st))
		}
		return m, tea.Batch(cmd, waitChangeCmd(m.changes))
	case tea.KeyMsg:
		if cmd, ok := m.sessionKey(msg); ok {
			return m, cmd
		}
		if key.Matches(msg, k.Refresh) && m.c.Link != nil {
			// Everywhere: sync now, and read the count again (the screen
			// may refresh its own part too).
			m.c.Link.SyncNow()
			return m, tea.Batch(outboxCmd(m.c, m.st), m.forward(msg))
		}
		if m.showHelp {
			if key.Matches(msg, k.Back, k.Help) {
				m.showHelp = false
			}
			return m, nil
		}
		s := m.Active()
		if s.Typing() && key.Matches(msg, k.HelpF1) || !s.Typing() && key.Matches(msg, k.Help) {
			m.showHelp = true
			return m, nil
		}
		if key.Matches(msg, k.Back) && !s.Modal() {
			return m, m.back()
		}
		if cmd, ok := m.jump(msg); ok {
			return m, cmd
		}
	}
	if m.lock != nil {
		if unlocked, cmd := m.lock.Update(msg); unlocked || cmd != nil {
			if unlocked {
				m.lock = nil
			}
			return m, cmd
		}
	}
	if cmd, ok := m.route(msg); ok {
		return m, cmd
	}
	return m, m.forward(msg)
}

// ownCount puts the outbox's figures as read from the store in the
// status the screens show: the link's may be older.
func (m *Model) ownCount() {
	if m.outbox != nil {
		m.c.Status.Pending, m.c.Status.Rejected = m.outbox.Pending, m.outbox.Rejected
	}
}

// forward hands msg to the screen on top.
func (m *Model) forward(msg tea.Msg) tea.Cmd {
	i := len(m.stack) - 1
	next, cmd := m.stack[i].Update(msg)
	m.stack[i] = next.(common.Screen)
	return cmd
}

func (m *Model) resize(w, h int) {
	m.width, m.height = w, h
	m.c.Width, m.c.Height = w, max(1, h-2)
	m.bar.SetSize(w, 1)
	m.help.Width = w
	for _, s := range m.stack {
		s.SetSize(m.c.Width, m.c.Height)
	}
}

// push puts a screen on top and returns its Init.
func (m *Model) push(s common.Screen) tea.Cmd {
	s.SetSize(m.c.Width, m.c.Height)
	m.stack = append(m.stack, s)
	m.showHelp = false
	return s.Init()
}

// reset makes s the only screen.
func (m *Model) reset(s common.Screen) tea.Cmd {
	for _, old := range m.stack {
		stop(old)
	}
	m.stack = m.stack[:0]
	return m.push(s)
}

// stop ends what a leaving screen runs in the background (a live feed).
func stop(s common.Screen) {
	if st, ok := s.(interface{ Stop() }); ok {
		st.Stop()
	}
}

// back pops the screen on top, unless it is the last.
func (m *Model) back() tea.Cmd {
	if len(m.stack) <= 1 {
		return nil
	}
	stop(m.stack[len(m.stack)-1])
	m.stack = m.stack[:len(m.stack)-1]
	if r, ok := m.Active().(interface{ Refresh() tea.Cmd }); ok {
		return r.Refresh()
	}
	return nil
}

// View renders the status bar, the screen (or the help) and the help line.
func (m *Model) View() string {
	s := m.Active()
	h := m.c.Height
	if body, help, ok := m.sessionView(); ok {
		return m.bar.View() + "\n" + common.Frame(body, m.width, h) + "\n" + help
	}
	var body string
	if m.showHelp {
		body = m.fullHelp(s)
	} else {
		body = s.View()
	}
	body = common.Frame(body, m.width, h)
	return m.bar.View() + "\n" + body + "\n" + m.shortHelp(s)
}

// shortHelp is the help line of a screen; it is the same from one key to
// the next most of the time, so the last one is kept.
func (m *Model) shortHelp(s common.Screen) string {
	short := append(s.ShortHelp(), m.c.Keys.Help)
	if s.Typing() {
		short[len(short)-1] = m.c.Keys.HelpF1
	}
	var b strings.Builder
	for _, k := range short {
		h := k.Help()
		b.WriteString(h.Key + "\x00" + h.Desc + "\x00")
	}
	if id := b.String(); id != m.helpID || m.help.Width != m.helpW {
		m.helpID, m.helpW = id, m.help.Width
		m.helpLine = m.help.ShortHelpView(short)
	}
	return m.helpLine
}

func (m *Model) fullHelp(s common.Screen) string {
	k, t, st := m.c.Keys, m.c.T, m.c.Styles
	var b strings.Builder
	b.WriteString(st.Title.Render(t.S("help.title", screenName(t, s))) + "\n\n")
	b.WriteString(m.help.FullHelpView(s.FullHelp()) + "\n\n")
	global := [][]key.Binding{{k.Help, k.Back, k.Quit}}
	switch {
	case isDepartment(m.c): // the desk and the link's state only
		global = append(global, []key.Binding{k.Sync}, []key.Binding{k.Lock, k.SignOut})
	case m.c.Operator.Login != "":
		global = append(global, []key.Binding{k.Queue, k.Find}, []key.Binding{k.Cases, k.Sync}, []key.Binding{k.Lock, k.SignOut})
	}
	b.WriteString(st.Subtitle.Render(t.S("help.global")) + "\n")
	b.WriteString(m.help.FullHelpView(global) + "\n\n")
	b.WriteString(st.Muted.Render(t.S("help.close")))
	return b.String()
}
