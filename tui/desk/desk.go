// Package desk is the department's desk: the inbox of the cases handed off
// to the officer's department (newest first, filtered by office, service
// and state, with the working days left to each deadline), a case's
// checklist as the window accepted it, its attachments (opened in the
// system's viewer or saved to a folder) and its history, and the
// department's statuses with their reasons. Everything goes through the
// central (link.DeskAPI, over the officer's own session): the desk works
// online only and says so when the link is down.
package desk

import (
	"context"
	"slices"
	"sort"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/link"
	"github.com/okno-mfc/okno/localdb"
	"github.com/okno-mfc/okno/tui/common"
)

// RefreshEvery is how often the inbox is read again while it is shown.
var RefreshEvery = 30 * time.Second

// Model is the desk.
type Model struct {
	c    *common.Common
	api  link.DeskAPI // nil: signed in without the central
	tag  common.Tag
	all  []domain.CaseView // the inbox as the central gave it
	rows []int             // indexes into all after the filters
	// The filters: an index into the options (0: all).
	fOffice, fService, fState int
	cur                       common.Cursor
	loaded, busy              bool
	det                       *detail
	form                      *form
	notice, err               string
	width, height             int
}

// New makes the desk over api (nil when the officer signed in without the
// central: the screen says the desk needs the link).
func New(c *common.Common, a link.DeskAPI) *Model {
	return &Model{c: c, api: a, tag: c.NextTag(), width: c.Width, height: c.Height}
}

// Title names the screen.
func (m *Model) Title() string { return m.c.T.S("desk.title") }

// SetSize sets the screen's size.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h }

// Typing is true while a form takes the keys.
func (m *Model) Typing() bool { return m.form != nil }

// Modal is true in a case (esc returns to the inbox) and in a form.
func (m *Model) Modal() bool { return m.det != nil || m.form != nil }

// Init reads the inbox.
func (m *Model) Init() tea.Cmd {
	if m.api == nil {
		return nil
	}
	m.busy = true
	return tea.Batch(m.inboxCmd(), m.tickCmd())
}

// Refresh reads the inbox (or the case) again when the officer comes back.
func (m *Model) Refresh() tea.Cmd { return m.reload() }

func (m *Model) reload() tea.Cmd {
	if m.api == nil {
		return nil
	}
	if m.det != nil {
		return m.caseCmd(m.det.d.Case.ID)
	}
	return m.inboxCmd()
}

// online reports whether the desk may call the central now.
func (m *Model) online() bool { return m.api != nil && m.c.Status.State != link.Offline }

// Messages of the desk's commands.
type (
	inboxMsg struct {
		tag   common.Tag
		cases []domain.CaseView
	}
	caseMsg struct {
		tag common.Tag
		d   api.CaseDetail
	}
	doneMsg struct {
		tag    common.Tag
		d      api.CaseDetail
		notice string
	}
	fileMsg struct {
		tag    common.Tag
		notice string
	}
	tickMsg struct{ tag common.Tag }
)

func (m *Model) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(m.c.Ctx, 30*time.Second)
}

func (m *Model) inboxCmd() tea.Cmd {
	a, tag := m.api, m.tag
	return func() tea.Msg {
		ctx, cancel := m.ctx()
		defer cancel()
		cs, err := a.Inbox(ctx)
		if err != nil {
			return common.Fail(tag, err)
		}
		return inboxMsg{tag: tag, cases: cs}
	}
}

func (m *Model) caseCmd(id string) tea.Cmd {
	a, tag := m.api, m.tag
	return func() tea.Msg {
		ctx, cancel := m.ctx()
		defer cancel()
		d, err := a.Case(ctx, id)
		if err != nil {
			return common.Fail(tag, err)
		}
		return caseMsg{tag: tag, d: d}
	}
}

func (m *Model) tickCmd() tea.Cmd {
	tag := m.tag
	return tea.Tick(RefreshEvery, func(time.Time) tea.Msg { return tickMsg{tag: tag} })
}

// Update handles the keys and the answers.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case inboxMsg:
		if msg.tag != m.tag {
			return m, nil
		}
		m.busy, m.loaded, m.err = false, true, ""
		m.all = msg.cases
		m.filter()
		return m, nil
	case caseMsg:
		if msg.tag != m.tag {
			return m, nil
		}
		m.busy, m.err = false, ""
		m.show(msg.d)
		return m, nil
	case doneMsg:
		if msg.tag != m.tag {
			return m, nil
		}
		m.busy, m.err, m.form = false, "", nil
		m.notice = msg.notice
		m.show(msg.d)
		return m, nil
	case fileMsg:
		if msg.tag != m.tag {
			return m, nil
		}
		m.busy, m.err, m.form = false, "", nil
		m.notice = msg.notice
		return m, nil
	case common.ErrMsg:
		if msg.Tag != m.tag {
			return m, nil
		}
		m.busy = false
		m.err = m.c.Err(msg.Err)
		return m, nil
	case tickMsg:
		if msg.tag != m.tag {
			return m, nil
		}
		var cmd tea.Cmd
		if m.det == nil && m.form == nil && !m.busy && m.online() {
			cmd = m.inboxCmd()
		}
		return m, tea.Batch(cmd, m.tickCmd())
	case common.Changed:
		// The feed brought cases of this workstation's office: the inbox may
		// hold them (the tick reads it anyway).
		if msg.Has(localdb.Cases) && m.det == nil && m.form == nil && !m.busy && m.online() {
			return m, m.inboxCmd()
		}
		return m, nil
	case common.StatusChanged:
		if msg.Status.State != link.Offline && m.api != nil && !m.busy && m.form == nil && m.err != "" {
			m.err = ""
			return m, m.reload() // the link is back: read what was missed
		}
		return m, nil
	case tea.KeyMsg:
		return m, m.key(msg)
	}
	if m.form != nil {
		return m, m.form.update(msg)
	}
	return m, nil
}

func (m *Model) key(msg tea.KeyMsg) tea.Cmd {
	k := m.c.Keys
	if m.form != nil {
		return m.formKey(msg)
	}
	if key.Matches(msg, k.Back) {
		if m.det != nil {
			m.det, m.notice, m.err = nil, "", ""
			return m.inboxCmd()
		}
		return nil
	}
	if m.api == nil || m.busy {
		return nil
	}
	if key.Matches(msg, k.Refresh) {
		m.busy, m.notice = true, ""
		return m.reload()
	}
	if m.det != nil {
		return m.detailKey(msg)
	}
	switch {
	case m.cur.Update(k, msg):
	case key.Matches(msg, k.Select):
		if len(m.rows) > 0 {
			m.busy, m.notice = true, ""
			return m.caseCmd(m.all[m.rows[m.cur.Pos]].ID)
		}
	case key.Matches(msg, k.DeskOffice):
		m.fOffice = next(m.fOffice, len(m.offices()))
		m.filter()
	case key.Matches(msg, k.DeskService):
		m.fService = next(m.fService, len(m.services()))
		m.filter()
	case key.Matches(msg, k.DeskState):
		m.fState = next(m.fState, len(m.states()))
		m.filter()
	}
	return nil
}

// next cycles an option index over all (0) and n options.
func next(i, n int) int { return (i + 1) % (n + 1) }

// offices, services and states are the filters' options: what the inbox
// holds, sorted.
func (m *Model) offices() []string {
	return distinct(m.all, func(c domain.CaseView) string { return c.Office })
}

func (m *Model) services() []string {
	return distinct(m.all, func(c domain.CaseView) string { return c.Service })
}

func (m *Model) states() []string {
	var out []string
	for _, s := range domain.CaseStates {
		if slices.ContainsFunc(m.all, func(c domain.CaseView) bool { return c.State == s }) {
			out = append(out, string(s))
		}
	}
	return out
}

func distinct(cs []domain.CaseView, f func(domain.CaseView) string) []string {
	seen := map[string]bool{}
	var out []string
	for _, c := range cs {
		if v := f(c); !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	sort.Strings(out)
	return out
}

// chosen is the option a filter index names ("" for all).
func chosen(opts []string, i int) string {
	if i <= 0 || i > len(opts) {
		return ""
	}
	return opts[i-1]
}

// filter applies the filters to the inbox, keeping the cursor's case.
func (m *Model) filter() {
	var keep string
	if len(m.rows) > 0 && m.cur.Pos < len(m.rows) && m.rows[m.cur.Pos] < len(m.all) {
		keep = m.all[m.rows[m.cur.Pos]].ID
	}
	office, service, state := chosen(m.offices(), m.fOffice), chosen(m.services(), m.fService), chosen(m.states(), m.fState)
	m.rows = m.rows[:0]
	pos := 0
	for i, c := range m.all {
		if office != "" && c.Office != office || service != "" && c.Service != service || state != "" && string(c.State) != state {
			continue
		}
		if c.ID == keep {
			pos = len(m.rows)
		}
		m.rows = append(m.rows, i)
	}
	m.cur.SetN(len(m.rows))
	m.cur.Pos = pos
	m.cur.Move(0)
}

// ShortHelp lists the main keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.c.Keys
	switch {
	case m.api == nil:
		return nil
	case m.form != nil:
		return []key.Binding{k.NextField, k.Submit, k.Back}
	case m.det != nil:
		return []key.Binding{k.DeskWork, k.DeskDocs, k.DeskReady, k.DeskRefuse, k.DeskExtend, k.SwitchTab, k.Back}
	}
	return []key.Binding{k.Select, k.DeskOffice, k.DeskService, k.DeskState, k.Refresh}
}

// FullHelp lists every key.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.c.Keys
	return [][]key.Binding{
		{k.Up, k.Down, k.Select, k.Refresh},
		{k.DeskOffice, k.DeskService, k.DeskState},
		{k.DeskWork, k.DeskDocs, k.DeskExtend, k.DeskReady, k.DeskRefuse},
		{k.SwitchTab, k.DeskOpen, k.DeskSave, k.Back},
	}
}
