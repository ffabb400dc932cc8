// Package intake is the visitor screen: find the visitor as the clerk types
// (name, document, phone; case-free, ё = е) or register a new one in a form
// that checks every identifier as it is typed, in the clerk's language.
package intake

import (
	"strings"
	"unicode"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/localdb"
	"github.com/okno-mfc/okno/tui/common"
)

// Modes of the screen.
const (
	modeSearch = iota
	modeForm
	modeDup // the new visitor's document is already registered
)

// Model is the intake screen.
type Model struct {
	c        *common.Common
	st       Store
	tag      common.Tag
	ticketID string
	mode     int
	query    textinput.Model
	hits     []localdb.VisitorHit
	hitsFor  string // the query the hits answer
	cur      common.Cursor
	form     *form
	discard  bool           // esc on a filled form: asked before what was typed is thrown away
	pending  domain.Visitor // checked, waiting for the duplicate check
	dups     []localdb.Duplicate
	asking   *domain.Visitor // f8: whose consent to notices to withdraw, asked
	note     string          // what the last withdrawal did
	busy     bool
	err      string
	width    int
	height   int
}

// New makes the screen over st for the ticket being served ("" for none).
func New(c *common.Common, st Store, ticketID string) *Model {
	q := textinput.New()
	q.Prompt = c.T.S("intake.search") + " "
	q.Placeholder = c.T.S("intake.search.ph")
	q.CharLimit = 100
	q.Cursor.SetMode(cursor.CursorStatic)
	q.PromptStyle = c.Styles.LabelFocused
	q.PlaceholderStyle = c.Styles.Muted
	q.Focus()
	return &Model{c: c, st: st, tag: c.NextTag(), ticketID: ticketID, query: q, width: c.Width, height: c.Height}
}

// Init does nothing: the screen waits for typing.
func (m *Model) Init() tea.Cmd { return nil }

// SetSize sets the screen's size.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h }

// Typing is true: the search and the form take text.
func (m *Model) Typing() bool { return m.mode != modeDup && !m.discard }

// Modal is true in the form and the duplicate warning: esc returns to the
// search.
func (m *Model) Modal() bool { return m.mode != modeSearch }

// Title names the screen.
func (m *Model) Title() string { return m.c.T.S("intake.title") }

// ShortHelp lists the main keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.c.Keys
	switch m.mode {
	case modeForm:
		if m.discard {
			return []key.Binding{k.Yes, k.Back}
		}
		return []key.Binding{k.NextField, k.Save, k.Left, k.Back}
	case modeDup:
		return []key.Binding{k.Select, k.Save, k.Back}
	}
	if m.asking != nil {
		return []key.Binding{k.Yes, k.Back}
	}
	return []key.Binding{k.Select, k.NewVisitor, k.Back}
}

// FullHelp lists every key.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.c.Keys
	return [][]key.Binding{
		{k.Select, k.Up, k.Down, k.NewVisitor, k.Withdraw},
		{k.NextField, k.PrevField, k.Left, k.Submit, k.Save},
	}
}

// Update handles keys and the store's answers.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case debouncedMsg:
		if msg.tag == m.tag && msg.query == m.query.Value() {
			return m, searchCmd(m.c, m.st, m.tag, msg.query)
		}
		return m, nil
	case common.Changed:
		// Another window's visitors come with the feed: a search on
		// screen is asked again.
		if msg.Has(localdb.Visitors) && msg.From&localdb.Feed != 0 && m.mode == modeSearch && m.hitsFor != "" && m.hitsFor == m.query.Value() {
			return m, searchCmd(m.c, m.st, m.tag, m.hitsFor)
		}
		return m, nil
	case foundMsg:
		// An answer for a query the clerk has typed past is dropped.
		if msg.tag == m.tag && msg.query == m.query.Value() {
			m.hits, m.hitsFor = msg.hits, msg.query
			m.cur.SetN(len(m.hits))
		}
		return m, nil
	case visitorMsg:
		if msg.tag != m.tag {
			return m, nil
		}
		m.busy = false
		v, ticket := msg.visitor, m.ticketID
		return m, func() tea.Msg { return common.VisitorChosen{Visitor: v, TicketID: ticket} }
	case consentMsg:
		if msg.tag != m.tag {
			return m, nil
		}
		m.busy = false
		v := msg.visitor
		switch {
		case msg.done:
			m.note = m.c.T.S("intake.consent_gone", v.FullName)
		case v.Notices == nil:
			m.note = m.c.T.S("intake.no_consent", v.FullName)
		default:
			m.asking = &v
		}
		return m, nil
	case dupMsg:
		if msg.tag != m.tag {
			return m, nil
		}
		m.busy = false
		if len(msg.hits) == 0 {
			m.busy = true
			return m, registerCmd(m.c, m.st, m.tag, m.pending)
		}
		m.dups, m.mode = msg.hits, modeDup
		return m, nil
	case common.ErrMsg:
		if msg.Tag != m.tag {
			return m, nil
		}
		m.busy = false
		if m.mode == modeForm && m.form.showError(msg.Err) {
			return m, nil
		}
		m.err = m.c.Err(msg.Err)
		return m, nil
	case tea.KeyMsg:
		if m.busy {
			return m, nil
		}
		m.err, m.note = "", ""
		if m.asking != nil {
			id := m.asking.ID
			m.asking = nil
			if key.Matches(msg, m.c.Keys.Yes) {
				m.busy = true
				return m, withdrawCmd(m.c, m.st, m.tag, id)
			}
			return m, nil
		}
		switch m.mode {
		case modeForm:
			return m, m.formKey(msg)
		case modeDup:
			return m, m.dupKey(msg)
		}
		return m, m.searchKey(msg)
	}
	return m, nil
}

func (m *Model) searchKey(msg tea.KeyMsg) tea.Cmd {
	k := m.c.Keys
	switch {
	case key.Matches(msg, k.NewVisitor):
		m.mode = modeForm
		m.form = newForm(m.c, nameLike(m.query.Value()))
		return nil
	case key.Matches(msg, k.Select):
		if len(m.hits) == 0 {
			return nil
		}
		m.busy = true
		return loadVisitorCmd(m.c, m.st, m.tag, m.hits[m.cur.Pos].ID)
	case key.Matches(msg, k.Withdraw):
		if len(m.hits) == 0 {
			return nil
		}
		m.busy = true
		return consentCmd(m.c, m.st, m.tag, m.hits[m.cur.Pos].ID)
	}
	if m.cur.Update(k, msg) {
		return nil
	}
	var cmd tea.Cmd
	before := m.query.Value()
	m.query, cmd = m.query.Update(msg)
	if q := m.query.Value(); q != before {
		if strings.TrimSpace(q) == "" {
			m.hits, m.hitsFor = nil, q
			m.cur.SetN(0)
			return cmd
		}
		return tea.Batch(cmd, debounceCmd(m.tag, q))
	}
	return cmd
}

func (m *Model) formKey(msg tea.KeyMsg) tea.Cmd {
	k := m.c.Keys
	if m.discard {
		switch {
		case key.Matches(msg, k.Yes):
			m.discard, m.mode = false, modeSearch
		case key.Matches(msg, k.Back):
			m.discard = false
		}
		return nil
	}
	if key.Matches(msg, k.Back) {
		if m.form.filled() {
			m.discard = true
			return nil
		}
		m.mode = modeSearch
		return nil
	}
	save, cmd := m.form.update(msg)
	if !save {
		return cmd
	}
	v, ok := m.form.check()
	if !ok {
		return nil
	}
	m.pending, m.busy = v, true
	return dupCheckCmd(m.c, m.st, m.tag, v)
}

func (m *Model) dupKey(msg tea.KeyMsg) tea.Cmd {
	k := m.c.Keys
	switch {
	case key.Matches(msg, k.Back):
		m.mode = modeForm
	case key.Matches(msg, k.Select):
		m.busy = true
		return loadVisitorCmd(m.c, m.st, m.tag, m.dups[0].ID)
	case key.Matches(msg, k.Save):
		m.busy = true
		return registerCmd(m.c, m.st, m.tag, m.pending)
	}
	return nil
}

// nameLike returns q when it looks like the start of a name (letters,
// spaces, hyphens, apostrophes), to start the form with it.
func nameLike(q string) string {
	q = strings.TrimSpace(q)
	for _, r := range q {
		if !(r == ' ' || r == '-' || r == '\'' || r == 'ʼ' || r == '’' || isLetter(r)) {
			return ""
		}
	}
	return q
}

func isLetter(r rune) bool { return unicode.IsLetter(r) }
