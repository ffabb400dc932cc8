package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/link"
	"github.com/okno-mfc/okno/tui/cases"
	"github.com/okno-mfc/okno/tui/checklist"
	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/desk"
	"github.com/okno-mfc/okno/tui/handoff"
	"github.com/okno-mfc/okno/tui/i18n"
	"github.com/okno-mfc/okno/tui/intake"
	"github.com/okno-mfc/okno/tui/queue"
	"github.com/okno-mfc/okno/tui/service"
	"github.com/okno-mfc/okno/tui/supervisor"
	"github.com/okno-mfc/okno/tui/syncscreen"
)

// route builds the screen a navigation message asks for; ok says msg was
// one. The queue is always at the bottom of the stack after sign-in.
func (m *Model) route(msg tea.Msg) (tea.Cmd, bool) {
	c := m.c
	switch msg := msg.(type) {
	case common.SignedIn:
		c.Operator, c.Online = msg.Operator, msg.Online
		m.lastKey = c.Now()
		opened := openWindowCmd(c, m.st, msg.Operator.Login)
		notice := ""
		if !msg.Online {
			notice = c.T.S("queue.signed_in_offline")
		}
		if isDepartment(c) {
			return m.reset(m.desk()), true
		}
		if isSupervisor(c) {
			if live := m.live(); live != nil {
				return tea.Batch(opened, m.reset(live)), true
			}
			notice = c.T.S("queue.live_needs_central")
		}
		return tea.Batch(opened, m.reset(queue.New(c, m.st, notice))), true
	case common.GoQueue:
		if isDepartment(c) {
			return m.reset(m.desk()), true
		}
		return m.reset(queue.New(c, m.st, msg.Notice)), true
	case common.Back:
		return m.back(), true
	case common.StartIntake:
		return m.push(intake.New(c, m.st, msg.TicketID)), true
	case common.VisitorChosen:
		return m.push(service.New(c, m.st, msg.Visitor, msg.TicketID)), true
	case common.CaseOpened:
		return m.push(checklist.New(c, m.st, msg.Case, msg.Visitor, msg.TicketID)), true
	case common.HandedOff:
		// The checklist of a case that left is done with: the receipt sits
		// on the queue, so esc (or enter) returns there.
		q := m.reset(queue.New(c, m.st, ""))
		return tea.Batch(q, m.push(handoff.New(c, m.st, msg.Case.ID, msg.Visitor, msg.TicketID))), true
	case common.ShowCase:
		return m.push(cases.Open(c, m.st, msg.CaseID)), true
	case common.ShowReceipt:
		return m.push(handoff.Reprint(c, m.st, msg.CaseID)), true
	}
	return nil, false
}

// jump handles the keys that open a screen from anywhere (after sign-in):
// the screen opens over a fresh queue, so esc returns to the queue.
func (m *Model) jump(msg tea.KeyMsg) (tea.Cmd, bool) {
	k, c := m.c.Keys, m.c
	if c.Operator.Login == "" {
		return nil, false
	}
	if isDepartment(c) {
		// The desk is the department's one screen (and the link's state).
		switch {
		case key.Matches(msg, k.Queue):
			return m.reset(m.desk()), true
		case key.Matches(msg, k.Sync):
			return tea.Batch(m.reset(m.desk()), m.push(syncscreen.New(c, m.st))), true
		}
		return nil, false
	}
	var next common.Screen
	switch {
	case key.Matches(msg, k.Queue):
		return m.reset(queue.New(c, m.st, "")), true
	case key.Matches(msg, k.Find):
		next = intake.New(c, m.st, "")
	case key.Matches(msg, k.Cases):
		next = cases.New(c, m.st)
	case key.Matches(msg, k.Sync):
		next = syncscreen.New(c, m.st)
	case key.Matches(msg, k.Live) && isSupervisor(c):
		if live := m.live(); live != nil {
			return m.reset(live), true
		}
		return m.reset(queue.New(c, m.st, c.T.S("queue.live_needs_central"))), true
	default:
		return nil, false
	}
	q := m.reset(queue.New(c, m.st, ""))
	return tea.Batch(q, m.push(next)), true
}

func isDepartment(c *common.Common) bool { return c.Operator.Role == domain.RoleDepartment }

// desk makes the department's desk over the link's desk (the officer's own
// session at the central); without one (signed in offline) the screen says
// the desk needs the link.
func (m *Model) desk() common.Screen {
	var a link.DeskAPI
	if m.c.Online {
		a = m.c.Link.Desk()
	}
	return desk.New(m.c, a)
}

func isSupervisor(c *common.Common) bool {
	return c.Operator.Role == domain.RoleSupervisor || c.Operator.Role == domain.RoleAdmin
}

// live makes the supervisor's live-queue screen over the link's live
// queue (the person's own session at the central), or nil when there is
// none (offline).
func (m *Model) live() common.Screen {
	feed := m.c.Link.LiveQueue()
	if feed == nil {
		return nil
	}
	return supervisor.New(m.c, feed, supervisor.Options{})
}

// screenName names a screen for the help's title.
func screenName(t i18n.T, s common.Screen) string {
	if n, ok := s.(interface{ Title() string }); ok {
		return n.Title()
	}
	return t.S("app.name")
}
