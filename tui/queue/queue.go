// Package queue is the queue screen, the clerk's home: who is at the window
// now, who waits (privileged categories first, then by time, with how long
// each waits against the norm) and who was set aside; call the next ticket
// (from the office's shared queue when online, else the window's own),
// recall, no-show, postpone and return, redirect, served, and a new ticket
// for a walk-in.
package queue

import (
	"errors"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/localdb"
	"github.com/okno-mfc/okno/tui/common"
)

// Tabs of the list.
const (
	tabWaiting = iota
	tabPostponed
)

// Model is the queue screen.
type Model struct {
	c          *common.Common
	st         Store
	tag        common.Tag
	loaded     bool
	waiting    []localdb.Ticket
	postponed  []localdb.Ticket
	current    localdb.Ticket
	hasCur     bool
	shared     bool      // the current ticket came from the shared queue
	onBreak    bool      // the window is on a break
	breakSince time.Time // since when
	tab        int
	cur        [2]common.Cursor
	busy       bool
	stale      bool            // the store changed while an action was under way: read again after it
	reads      int             // queue reads started (load)
	shown      int             // the newest read shown: an older one answering later is dropped
	pending    common.KeyQueue // keys pressed while an action was under way
	notice     string
	err        string
	panel      *panel
	ask        *ask   // a question waiting for enter or esc
	windows    []int  // the office's windows, for a redirect
	scan       []rune // a case number being scanned or typed (scan.go)
	width      int
	height     int
}

// New makes the queue screen over st with a notice to show (may be "").
func New(c *common.Common, st Store, notice string) *Model {
	return &Model{c: c, st: st, tag: c.NextTag(), notice: notice, width: c.Width, height: c.Height}
}

// Init loads the queue.
func (m *Model) Init() tea.Cmd { return m.load() }

// load reads the queue again. Reads run at once and may answer out of
// order (a read started before a call answering after the call's own);
// each is numbered, and an answer older than the one shown is dropped,
// so the screen never goes back to a queue from before the clerk's act.
func (m *Model) load() tea.Cmd {
	m.reads++
	return loadCmd(m.c, m.st, m.tag, m.reads)
}

// Refresh reloads the queue when the clerk comes back to it.
func (m *Model) Refresh() tea.Cmd { return m.load() }

// SetSize sets the screen's size.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h }

// Typing is true while a panel with a text input is open.
func (m *Model) Typing() bool { return m.panel != nil || len(m.scan) > 0 }

// Modal is true while a panel is open.
func (m *Model) Modal() bool { return m.panel != nil || m.ask != nil }

// Title names the screen.
func (m *Model) Title() string { return m.c.T.S("queue.title") }

// ShortHelp lists the main keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.c.Keys
	if m.ask != nil {
		return m.askKeys()
	}
	if m.panel != nil {
		return []key.Binding{k.Select, k.Back}
	}
	if m.hasCur {
		return []key.Binding{k.Serve, k.Served, k.Recall, k.NoShow, k.Postpone}
	}
	if m.onBreak {
		return []key.Binding{k.Break, k.NewTicket, k.SwitchTab, k.Find}
	}
	return []key.Binding{k.CallNext, k.NewTicket, k.SwitchTab, k.Find}
}

// FullHelp lists every key.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.c.Keys
	return [][]key.Binding{
		{k.CallNext, k.Serve, k.Served, k.Recall, k.NoShow},
		{k.Postpone, k.Return, k.Redirect, k.NewTicket, k.SwitchTab, k.Break},
		{k.Up, k.Down, k.PageUp, k.PageDown},
	}
}

// Update handles keys and the store's answers.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case loadedMsg:
		if msg.tag == m.tag {
			if msg.read < m.shown {
				return m, nil // an older read than the one on screen
			}
			m.shown = msg.read
			m.loaded = true
			m.waiting, m.postponed = msg.waiting, msg.postponed
			m.current, m.hasCur = msg.current, msg.hasCur
			m.onBreak, m.breakSince = msg.onBreak, msg.breakSince
			m.windows = msg.windows
			m.cur[tabWaiting].SetN(len(m.waiting))
			m.cur[tabPostponed].SetN(len(m.postponed))
			m.busy = false
			if m.stale {
				m.stale = false
				return m, tea.Batch(m.load(), m.pending.Replay(func() bool { return m.busy }, m.handleKey))
			}
			return m, m.pending.Replay(func() bool { return m.busy }, m.handleKey)
		}
		return m, nil
	case calledMsg:
		if msg.tag != m.tag {
			return m, nil
		}
		m.current, m.hasCur, m.shared = msg.ticket, true, msg.shared
		from := "queue.from_local"
		if msg.shared {
			from = "queue.from_shared"
		}
		m.notice = m.c.T.S("queue.called", msg.ticket.Number) + " " + m.c.T.S(from)
		return m, m.load()
	case breakMsg:
		if msg.tag != m.tag {
			return m, nil
		}
		m.notice = m.c.T.S("queue.break_ended")
		if msg.on {
			m.notice = m.c.T.S("queue.break_started")
		}
		return m, m.load()
	case draftsMsg:
		if msg.tag != m.tag {
			return m, nil
		}
		return m, m.onDrafts(msg)
	case movedMsg:
		if msg.tag != m.tag {
			return m, nil
		}
		m.notice = m.c.T.S("queue.moved."+string(msg.kind), msg.ticket.Number)
		return m, m.load() // busy until the queue is read again
	case openedMsg:
		if msg.tag != m.tag {
			return m, nil
		}
		m.busy = false
		m.pending = common.KeyQueue{} // what came after the enter was meant for the case, not the queue
		id := msg.caseID
		return m, func() tea.Msg { return common.ShowCase{CaseID: id} }
	case common.ErrMsg:
		if msg.Tag == m.tag {
			m.busy = false
			m.err = m.c.Err(msg.Err)
			var unknown errUnknownCase
			if errors.As(msg.Err, &unknown) {
				m.err = m.c.T.S("queue.scan_unknown", unknown.number)
			}
			if errors.Is(msg.Err, domain.ErrQueueEmpty) && len(m.waiting) > 0 {
				m.err = m.c.T.S("queue.none_for_window", len(m.waiting))
			}
			return m, m.pending.Replay(func() bool { return m.busy }, m.handleKey)
		}
		return m, nil
	case common.StatusChanged:
		// Online the office's queue is shown, offline the window's own.
		return m, m.load()
	case common.Changed:
		switch {
		case !msg.Has(localdb.Tickets | localdb.Window | localdb.Catalog):
		case m.busy:
			m.stale = true // the action's own reload may have read before it
		default:
			return m, m.load()
		}
		return m, nil
	case tea.KeyMsg:
		if m.busy {
			m.pending.Push(msg)
			return m, nil
		}
		return m, m.handleKey(msg)
	}
	return m, nil
}

func (m *Model) handleKey(msg tea.KeyMsg) tea.Cmd {
	if m.ask != nil {
		return m.answer(msg)
	}
	if m.panel != nil {
		return m.updatePanel(msg)
	}
	return m.key(msg)
}

func (m *Model) key(msg tea.KeyMsg) tea.Cmd {
	k := m.c.Keys
	if handled, cmd := m.scanKey(msg); handled {
		return cmd
	}
	if m.cur[m.tab].Update(k, msg) {
		return nil
	}
	m.notice, m.err = "", ""
	switch {
	case key.Matches(msg, k.SwitchTab):
		m.tab = 1 - m.tab
	case key.Matches(msg, k.CallNext):
		if m.hasCur {
			m.err = m.c.T.S("err.ticket_busy", m.current.Number)
			return nil
		}
		m.busy = true
		return callNextCmd(m.c, m.st, m.tag)
	case key.Matches(msg, k.Serve):
		if !m.hasCur {
			m.err = m.c.T.S("queue.call_first")
			return nil
		}
		id := m.current.ID
		return func() tea.Msg { return common.StartIntake{TicketID: id} }
	case key.Matches(msg, k.Recall):
		return m.moveCurrent(domain.EvTicketRecalled)
	case key.Matches(msg, k.NoShow):
		return m.noShow()
	case key.Matches(msg, k.Postpone):
		return m.moveCurrent(domain.EvTicketPostponed)
	case key.Matches(msg, k.Served):
		return m.served()
	case key.Matches(msg, k.Return):
		if m.tab != tabPostponed || len(m.postponed) == 0 {
			m.err = m.c.T.S("queue.pick_postponed")
			return nil
		}
		m.busy = true
		return moveCmd(m.c, m.st, m.tag, m.postponed[m.cur[tabPostponed].Pos].ID, domain.EvTicketReturned)
	case key.Matches(msg, k.Redirect):
		t, ok := m.target()
		if !ok {
			m.err = m.c.T.S("queue.pick_ticket")
			return nil
		}
		m.panel = newRedirectPanel(m.c, t, m.windows)
	case key.Matches(msg, k.NewTicket):
		m.panel = newIssuePanel(m.c)
	case key.Matches(msg, k.Break):
		m.busy = true
		return breakCmd(m.c, m.st, m.tag, !m.onBreak)
	}
	return nil
}

// moveCurrent records a move of the ticket at the window.
func (m *Model) moveCurrent(kind domain.EventKind) tea.Cmd {
	if !m.hasCur {
		m.err = m.c.T.S("queue.nobody")
		return nil
	}
	m.busy = true
	return moveCmd(m.c, m.st, m.tag, m.current.ID, kind)
}

// target is the ticket a redirect applies to: the one at the window, else
// the one under the cursor.
func (m *Model) target() (localdb.Ticket, bool) {
	if m.hasCur {
		return m.current, true
	}
	list := m.waiting
	if m.tab == tabPostponed {
		list = m.postponed
	}
	if len(list) == 0 {
		return localdb.Ticket{}, false
	}
	return list[m.cur[m.tab].Pos], true
}

func (m *Model) updatePanel(msg tea.KeyMsg) tea.Cmd {
	if key.Matches(msg, m.c.Keys.Back) {
		m.panel = nil
		return nil
	}
	done, cmd := m.panel.update(msg)
	if done == nil {
		return cmd
	}
	m.panel = nil
	m.busy = true
	if done.redirect {
		return redirectCmd(m.c, m.st, m.tag, done.ticketID, done.service, done.window)
	}
	return issueCmd(m.c, m.st, m.tag, done.service, done.category, done.proof)
}
