package queue

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/tui/common"
)

// ask is a question the queue puts before an action that cannot be taken
// back: a no-show right after a call (a stray x), a ticket marked served
// while its draft case is still open. enter answers yes, esc no.
type ask struct {
	text    string
	yes     tea.Cmd          // what enter does (the screen is busy meanwhile)
	draft   *domain.CaseView // the ticket's open draft: o resumes it, c opens it
	visitor domain.Visitor   // the draft's visitor
}

// draftsMsg answers draftsCmd: the drafts of the ticket about to be
// marked served, with the visitor of the newest.
type draftsMsg struct {
	tag     common.Tag
	ticket  string
	drafts  []domain.CaseView
	visitor domain.Visitor
}

// draftsCmd reads the ticket's open drafts before it is marked served.
func draftsCmd(c *common.Common, st Store, tag common.Tag, ticketID string) tea.Cmd {
	return func() tea.Msg {
		drafts, err := st.DraftsOfTicket(c.Ctx, ticketID)
		if err != nil {
			return common.Fail(tag, err)
		}
		msg := draftsMsg{tag: tag, ticket: ticketID, drafts: drafts}
		if len(drafts) > 0 {
			v, err := st.Visitor(c.Ctx, drafts[0].VisitorID)
			if err != nil {
				return common.Fail(tag, err)
			}
			msg.visitor = v
		}
		return msg
	}
}

// served marks the ticket at the window served, after a look for its
// open drafts.
func (m *Model) served() tea.Cmd {
	if !m.hasCur {
		m.err = m.c.T.S("queue.nobody")
		return nil
	}
	m.busy = true
	return draftsCmd(m.c, m.st, m.tag, m.current.ID)
}

// onDrafts asks about the drafts found, or marks the ticket served.
func (m *Model) onDrafts(msg draftsMsg) tea.Cmd {
	if !m.hasCur || m.current.ID != msg.ticket {
		m.busy = false
		return nil
	}
	if len(msg.drafts) == 0 {
		return moveCmd(m.c, m.st, m.tag, msg.ticket, domain.EvTicketServed)
	}
	m.busy = false
	d := msg.drafts[0]
	m.ask = &ask{text: m.c.T.S("queue.draft_ask", m.current.Number, d.Number), draft: &d, visitor: msg.visitor,
		yes: moveCmd(m.c, m.st, m.tag, msg.ticket, domain.EvTicketServed)}
	return nil
}

// noShow asks before a no-show is recorded.
func (m *Model) noShow() tea.Cmd {
	if !m.hasCur {
		m.err = m.c.T.S("queue.nobody")
		return nil
	}
	m.ask = &ask{text: m.c.T.S("queue.noshow_ask", m.current.Number),
		yes: moveCmd(m.c, m.st, m.tag, m.current.ID, domain.EvTicketNoShow)}
	return nil
}

// answer handles a key while a question is asked.
func (m *Model) answer(msg tea.KeyMsg) tea.Cmd {
	k, a := m.c.Keys, m.ask
	switch {
	case key.Matches(msg, k.Back):
		m.ask = nil
		m.notice = m.c.T.S("queue.kept")
	case key.Matches(msg, k.Yes):
		m.ask, m.busy = nil, true
		return a.yes
	case a.draft != nil && key.Matches(msg, k.Resume):
		m.ask = nil
		ev := common.CaseOpened{Case: a.draft, Visitor: a.visitor, TicketID: m.current.ID}
		return func() tea.Msg { return ev }
	case a.draft != nil && key.Matches(msg, k.CancelCase):
		m.ask = nil
		ev := common.ShowCase{CaseID: a.draft.ID}
		return func() tea.Msg { return ev }
	}
	return nil
}

// askKeys are the keys of the question on screen.
func (m *Model) askKeys() []key.Binding {
	k := m.c.Keys
	if m.ask.draft != nil {
		return []key.Binding{k.Resume, k.CancelCase, k.Yes, k.Back}
	}
	return []key.Binding{k.Yes, k.Back}
}

// WorkOpen says what is left undone at the window: a ticket at it.
func (m *Model) WorkOpen() string {
	if m.hasCur {
		return m.c.T.S("quit.ticket", m.current.Number)
	}
	return ""
}
