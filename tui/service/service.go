// Package service is the service choice: the catalogue filtered as the
// clerk types, with each service's deadline (working or calendar days, and
// the date it falls on), fee and checklist size; then the check for a
// repeat request (an open case of the same visitor for the same service)
// before the case is opened.
package service

import (
	"context"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/localdb"
	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/components/picker"
)

// Model is the service screen.
type Model struct {
	c        *common.Common
	st       Store
	tag      common.Tag
	visitor  domain.Visitor
	ticketID string
	pick     *picker.Model
	repeats  []domain.CaseView // open cases of the visitor for the chosen service
	ready    []domain.CaseView // the visitor's results waiting at the window
	chosen   string            // the service waiting for the clerk's word on a repeat
	busy     bool
	err      string
	width    int
	height   int
}

// Store is what the service screen reads and records: the visitor's open
// requests, the deadlines, and the new case (*localdb.Store is one).
type Store interface {
	RepeatRequests(ctx context.Context, visitorID, service string) ([]domain.CaseView, error)
	Deadline(svc *domain.Service, t time.Time) time.Time
	OpenCase(ctx context.Context, actor, visitorID, service, ticketID string) (*domain.CaseView, error)
	Ticket(ctx context.Context, id string) (localdb.Ticket, error)
	FindCases(ctx context.Context, f localdb.CaseFilter) ([]domain.CaseView, error)
}

// readyMsg carries the visitor's cases whose result (or refusal) waits
// at the window.
type readyMsg struct {
	tag   common.Tag
	cases []domain.CaseView
}

// readyCmd reads the visitor's cases ready to issue.
func readyCmd(c *common.Common, st Store, tag common.Tag, visitorID string) tea.Cmd {
	return func() tea.Msg {
		cs, err := st.FindCases(c.Ctx, localdb.CaseFilter{VisitorID: visitorID,
			States: []domain.CaseState{domain.CaseReady, domain.CaseRefused, domain.CaseUnclaimed}})
		if err != nil {
			return common.Fail(tag, err)
		}
		return readyMsg{tag: tag, cases: cs}
	}
}

// ticketMsg carries the service of the ticket being served.
type ticketMsg struct {
	tag     common.Tag
	service string
}

// ticketCmd reads the service the visitor took the ticket for; a ticket
// that cannot be read leaves the list as it is.
func ticketCmd(c *common.Common, st Store, tag common.Tag, id string) tea.Cmd {
	return func() tea.Msg {
		t, err := st.Ticket(c.Ctx, id)
		if err != nil {
			return nil
		}
		return ticketMsg{tag: tag, service: t.Service}
	}
}

// repeatsMsg answers repeatsCmd.
type repeatsMsg struct {
	tag     common.Tag
	service string
	cases   []domain.CaseView
}

// openedMsg answers openCaseCmd.
type openedMsg struct {
	tag common.Tag
	cs  *domain.CaseView
}

// New makes the screen for a visitor (and the ticket served, if any).
func New(c *common.Common, st Store, v domain.Visitor, ticketID string) *Model {
	var items []picker.Item
	for _, s := range c.Place.Catalog().Services {
		it := picker.Item{ID: s.Code, Title: s.Name(string(c.T.Lang)), Detail: days(c, &s)}
		if !domain.CanServe(&s, c.Equipment) {
			it.Dimmed = true
		}
		items = append(items, it)
	}
	return &Model{c: c, st: st, tag: c.NextTag(), visitor: v, ticketID: ticketID,
		pick: picker.New(c.Keys, c.T.S("service.filter"), items), width: c.Width, height: c.Height}
}

func repeatsCmd(c *common.Common, st Store, tag common.Tag, visitorID, service string) tea.Cmd {
	return func() tea.Msg {
		cs, err := st.RepeatRequests(c.Ctx, visitorID, service)
		if err != nil {
			return common.Fail(tag, err)
		}
		return repeatsMsg{tag: tag, service: service, cases: cs}
	}
}

func openCaseCmd(c *common.Common, st Store, tag common.Tag, visitorID, service, ticketID string) tea.Cmd {
	return func() tea.Msg {
		cs, err := st.OpenCase(c.Ctx, c.Actor(), visitorID, service, ticketID)
		if err != nil {
			return common.Fail(tag, err)
		}
		return openedMsg{tag: tag, cs: cs}
	}
}

// Init reads the ticket's service, for the list to open on it (the
// catalogue is in memory).
func (m *Model) Init() tea.Cmd {
	ready := readyCmd(m.c, m.st, m.tag, m.visitor.ID)
	if m.ticketID == "" {
		return ready
	}
	return tea.Batch(ready, ticketCmd(m.c, m.st, m.tag, m.ticketID))
}

// SetSize sets the screen's size.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h }

// Typing is true while the filter takes text.
func (m *Model) Typing() bool { return m.repeats == nil }

// Modal is true while the repeat warning is shown.
func (m *Model) Modal() bool { return m.repeats != nil }

// Title names the screen.
func (m *Model) Title() string { return m.c.T.S("service.title") }

// ShortHelp lists the main keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.c.Keys
	if _, ok := m.draft(); ok && m.repeats != nil {
		return []key.Binding{k.Resume, k.Select, k.Back}
	}
	if len(m.ready) > 0 && m.repeats == nil {
		return []key.Binding{k.IssueReady, k.Select, k.Up, k.Down, k.Back}
	}
	return []key.Binding{k.Select, k.Up, k.Down, k.Back}
}

// FullHelp lists every key.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.c.Keys
	return [][]key.Binding{{k.Select, k.Up, k.Down, k.PageUp, k.PageDown}}
}

// Update handles keys and the store's answers.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	k := m.c.Keys
	switch msg := msg.(type) {
	case repeatsMsg:
		if msg.tag != m.tag {
			return m, nil
		}
		if len(msg.cases) == 0 {
			return m, openCaseCmd(m.c, m.st, m.tag, m.visitor.ID, msg.service, m.ticketID)
		}
		m.busy = false
		m.repeats, m.chosen = msg.cases, msg.service
		return m, nil
	case readyMsg:
		if msg.tag == m.tag {
			m.ready = msg.cases
		}
		return m, nil
	case ticketMsg:
		// Once the clerk has typed, the filter decides.
		if msg.tag == m.tag && m.pick.Filter() == "" {
			m.pick.SelectID(msg.service)
		}
		return m, nil
	case openedMsg:
		if msg.tag != m.tag {
			return m, nil
		}
		m.busy = false
		ev := common.CaseOpened{Case: msg.cs, Visitor: m.visitor, TicketID: m.ticketID}
		return m, func() tea.Msg { return ev }
	case common.ErrMsg:
		if msg.Tag == m.tag {
			m.busy = false
			m.err = m.c.Err(msg.Err)
		}
		return m, nil
	case tea.KeyMsg:
		if m.busy {
			return m, nil
		}
		m.err = ""
		if m.repeats != nil {
			switch {
			case key.Matches(msg, k.Back):
				m.repeats, m.chosen = nil, ""
			case key.Matches(msg, k.Resume):
				d, ok := m.draft()
				if !ok {
					return m, nil
				}
				ev := common.CaseOpened{Case: &d, Visitor: m.visitor, TicketID: m.ticketID}
				m.repeats, m.chosen = nil, ""
				return m, func() tea.Msg { return ev }
			case key.Matches(msg, k.Select):
				m.busy = true
				svc := m.chosen
				m.repeats, m.chosen = nil, ""
				return m, openCaseCmd(m.c, m.st, m.tag, m.visitor.ID, svc, m.ticketID)
			}
			return m, nil
		}
		if len(m.ready) > 0 && key.Matches(msg, k.IssueReady) {
			// The visitor came for a result: its case opens, where i issues it.
			id := m.ready[0].ID
			return m, func() tea.Msg { return common.ShowCase{CaseID: id} }
		}
		chosen, cmd := m.pick.Update(msg)
		if chosen == nil {
			return m, cmd
		}
		svc, ok := m.c.Place.Catalog().Service(chosen.ID)
		if !ok {
			return m, nil
		}
		if !domain.CanServe(svc, m.c.Equipment) {
			m.err = m.c.T.S("err.no_window_equipment", strings.Join(svc.Equipment, ", "))
			return m, nil
		}
		m.busy = true
		return m, repeatsCmd(m.c, m.st, m.tag, m.visitor.ID, svc.Code)
	}
	return m, nil
}

// draft is the newest draft among the repeats, which the clerk may resume
// instead of opening another case.
func (m *Model) draft() (domain.CaseView, bool) {
	for _, cs := range m.repeats {
		if cs.State == domain.CaseDraft {
			return cs, true
		}
	}
	return domain.CaseView{}, false
}

// days is a service's deadline in words: "45 calendar days".
func days(c *common.Common, s *domain.Service) string {
	if s.DeadlineKind == domain.CalendarDays {
		return c.T.N("calendar_days", s.Deadline)
	}
	return c.T.N("working_days", s.Deadline)
}
