// Package cases is the cases screen: find a case by its number (the check
// digit tells a typo from an unknown number), by the visitor, or list them
// by state; a case's detail with its history; issue the result of a case
// that is ready (or the letter of a refusal); reprint its receipt.
package cases

import (
	"errors"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/localdb"
	"github.com/okno-mfc/okno/tui/common"
)

// filters are the state filters tab cycles through; "" is every state.
var filters = []domain.CaseState{"", domain.CaseReady, domain.CaseRefused, domain.CaseDraft, domain.CaseSubmitted,
	domain.CaseAccepted, domain.CaseInWork, domain.CaseMoreDocs, domain.CaseIssued, domain.CaseWithdrawn, domain.CaseUnclaimed, domain.CaseReturned}

// Model is the cases screen.
type Model struct {
	c      *common.Common
	st     Store
	tag    common.Tag
	query  textinput.Model
	filter int
	listed string // the query the list answers
	rows   []row
	loaded bool
	cur    common.Cursor
	det    *detailMsg // the case shown; nil: the list
	direct bool       // opened straight on a case: esc from it goes back
	hist   common.Cursor
	issue  *issueForm // who receives the result is asked
	cancel bool       // the reason of a draft's cancelling (a withdrawal) is asked
	note   textinput.Model
	busy   bool
	stale  bool // the store changed while an answer was awaited: read again after it
	reads  int  // re-reads started (refreshed)
	shown  int  // the newest re-read shown: an older one answering later is dropped
	notice string
	err    string
	width  int
	height int
}

// New makes the screen with the newest cases.
func New(c *common.Common, st Store) *Model {
	in := func(prompt string) textinput.Model {
		ti := textinput.New()
		ti.Prompt = prompt
		ti.CharLimit = 100
		ti.Cursor.SetMode(cursor.CursorStatic)
		ti.PromptStyle = c.Styles.LabelFocused
		ti.PlaceholderStyle = c.Styles.Muted
		return ti
	}
	m := &Model{c: c, st: st, tag: c.NextTag(), query: in(c.T.S("cases.find") + " "), note: in(c.T.S("cases.note") + " "),
		width: c.Width, height: c.Height}
	m.query.Placeholder = c.T.S("cases.find.ph")
	m.query.Focus()
	return m
}

// Open makes the screen showing one case.
func Open(c *common.Common, st Store, caseID string) *Model {
	m := New(c, st)
	m.direct, m.busy = true, true
	m.listed = "\x00" // nothing listed yet
	m.det = &detailMsg{cs: &domain.CaseView{ID: caseID}}
	return m
}

// Init loads the list, or the case.
func (m *Model) Init() tea.Cmd {
	if m.det != nil {
		return detailCmd(m.c, m.st, m.tag, m.det.cs.ID)
	}
	return listCmd(m.c, m.st, m.tag, "", filters[m.filter])
}

// Refresh reloads what is shown when the clerk comes back.
func (m *Model) Refresh() tea.Cmd {
	if m.det != nil && m.det.cs.Number != "" {
		return detailCmd(m.c, m.st, m.tag, m.det.cs.ID)
	}
	return listCmd(m.c, m.st, m.tag, m.listed, filters[m.filter])
}

// reread reads again what is shown, after the store changed (a status
// from the department, a result issued at another window): the list keeps
// its cursor, the detail its case.
func (m *Model) reread() tea.Cmd {
	switch {
	case m.det != nil && m.det.cs.Number != "":
		return m.refreshed(detailCmd(m.c, m.st, m.tag, m.det.cs.ID))
	case m.det == nil && m.loaded && m.listed != "\x00":
		return m.refreshed(listCmd(m.c, m.st, m.tag, m.listed, filters[m.filter]))
	}
	return nil
}

// refreshed marks the answer of cmd as a re-read, numbered: re-reads run
// at once and may answer out of order (one started before the clerk's
// issue answering after the issue's own), and an answer older than the
// one shown is dropped (Update), so the screen never goes back to a case
// or a list from before.
func (m *Model) refreshed(cmd tea.Cmd) tea.Cmd {
	m.reads++
	read := m.reads
	return func() tea.Msg {
		switch msg := cmd().(type) {
		case listMsg:
			msg.refresh, msg.read = true, read
			return msg
		case detailMsg:
			msg.refresh, msg.read = true, read
			return msg
		case common.ErrMsg:
			return nil // the next change or key tries again
		default:
			return msg
		}
	}
}

// settled re-reads what changed while the screen waited for an answer.
func (m *Model) settled() tea.Cmd {
	if !m.stale {
		return nil
	}
	m.stale = false
	return m.reread()
}

// SetSize sets the screen's size.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h }

// Typing is true where a text input has the keys: the search, the note.
func (m *Model) Typing() bool { return m.det == nil || m.issue != nil || m.cancel }

// Modal is true in a case's detail opened from the list (esc returns to
// the list) and while the note is asked.
func (m *Model) Modal() bool { return m.issue != nil || m.cancel || m.det != nil && !m.direct }

// Title names the screen.
func (m *Model) Title() string { return m.c.T.S("cases.title") }

// ShortHelp lists the main keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.c.Keys
	switch {
	case m.issue != nil:
		return []key.Binding{k.NextField, k.Left, k.IssueNow, k.Back}
	case m.cancel:
		return []key.Binding{k.Submit, k.Back}
	case m.det != nil && m.det.cs.State == domain.CaseIssued:
		return []key.Binding{k.Print, k.Receipt, k.Up, k.Down, k.Back}
	case m.det != nil && m.det.cs.State == domain.CaseDraft:
		return []key.Binding{k.Resume, k.CancelCase, k.Up, k.Down, k.Back}
	case m.det != nil:
		return []key.Binding{k.Issue, k.Receipt, k.Up, k.Down, k.Back}
	}
	return []key.Binding{k.Select, k.Filter, k.Up, k.Down}
}

// FullHelp lists every key.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.c.Keys
	return [][]key.Binding{{k.Select, k.Filter, k.Up, k.Down, k.PageUp, k.PageDown}, {k.Issue, k.Print, k.Receipt, k.Resume, k.CancelCase}}
}

// Update handles keys and the store's answers.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case listMsg:
		if msg.tag != m.tag || msg.filter != filters[m.filter] {
			return m, nil
		}
		if msg.refresh {
			if msg.read < m.shown {
				return m, nil // an older re-read than the one shown
			}
			m.shown = msg.read
			if m.det == nil && msg.query == m.listed {
				m.rows = msg.rows
				m.cur.SetN(len(m.rows))
			}
			return m, nil
		}
		m.busy, m.loaded = false, true
		m.rows, m.listed = msg.rows, msg.query
		m.cur = common.Cursor{Height: m.cur.Height}
		m.cur.SetN(len(m.rows))
		return m, m.settled()
	case detailMsg:
		if msg.tag != m.tag {
			return m, nil
		}
		d := msg
		if msg.refresh {
			if msg.read < m.shown {
				return m, nil // an older re-read than the one shown
			}
			m.shown = msg.read
			if m.det != nil && m.det.cs.ID == msg.cs.ID {
				atEnd := m.hist.Pos >= m.hist.N-1
				m.det = &d
				m.hist.SetN(len(d.events))
				if atEnd {
					m.hist.Move(len(d.events))
				}
			}
			return m, nil
		}
		m.busy = false
		m.det = &d
		m.hist = common.Cursor{Height: m.hist.Height}
		m.hist.SetN(len(d.events))
		m.hist.Move(len(d.events))
		return m, m.settled()
	case common.Changed:
		switch {
		case !msg.Has(localdb.Cases | localdb.Visitors | localdb.Catalog):
		case m.busy:
			m.stale = true // what is being read may predate the change
		default:
			return m, m.reread()
		}
		return m, nil
	case issuedMsg:
		if msg.tag != m.tag {
			return m, nil
		}
		m.issue, m.busy = nil, false
		m.notice = m.c.T.S("issue.issued") + "; " + m.recordNotice(msg.record)
		// Read again as a refresh: if the clerk has left the detail
		// meanwhile, the answer does not bring it back.
		return m, m.refreshed(detailCmd(m.c, m.st, m.tag, msg.cs.ID))
	case recordMsg:
		if msg.tag == m.tag {
			m.busy = false
			m.notice = m.recordNotice(msg)
		}
		return m, nil
	case withdrawnMsg:
		if msg.tag != m.tag {
			return m, nil
		}
		m.cancel, m.busy = false, false
		m.note.Blur()
		m.notice = m.c.T.S("cases.cancelled", msg.cs.Number)
		return m, m.refreshed(detailCmd(m.c, m.st, m.tag, msg.cs.ID))
	case common.ErrMsg:
		if msg.Tag == m.tag {
			m.busy = false
			if m.issue != nil { // the store refused the issue: say so at the field
				return m, m.issue.fault(msg.Err)
			}
			m.err = m.c.Err(msg.Err)
			if m.det != nil && m.det.cs.Number == "" {
				m.det = nil // a case that could not be opened
			}
			return m, m.settled()
		}
		return m, nil
	case tea.KeyMsg:
		if m.busy {
			return m, nil
		}
		m.err, m.notice = "", ""
		switch {
		case m.issue != nil:
			return m, m.issueKey(msg)
		case m.cancel:
			return m, m.reasonKey(msg)
		case m.det != nil:
			return m, m.detailKey(msg)
		}
		return m, m.listKey(msg)
	}
	return m, nil
}

func (m *Model) listKey(msg tea.KeyMsg) tea.Cmd {
	k := m.c.Keys
	switch {
	case key.Matches(msg, k.Filter):
		m.filter = (m.filter + 1) % len(filters)
		m.busy = true
		return listCmd(m.c, m.st, m.tag, m.listed, filters[m.filter])
	case key.Matches(msg, k.Select):
		q := strings.TrimSpace(m.query.Value())
		if q != m.listed {
			return m.search(q)
		}
		if len(m.rows) > 0 {
			m.busy = true
			return detailCmd(m.c, m.st, m.tag, m.rows[m.cur.Pos].cs.ID)
		}
		return nil
	}
	if m.cur.Update(k, msg) {
		return nil
	}
	var cmd tea.Cmd
	m.query, cmd = m.query.Update(msg)
	return cmd
}

// search looks a query up: a case number opens its case, a typo says so,
// anything else finds the visitors' cases.
func (m *Model) search(q string) tea.Cmd {
	if q == "" {
		m.busy = true
		return listCmd(m.c, m.st, m.tag, "", filters[m.filter])
	}
	_, err := domain.ParseCaseNumber(q)
	switch {
	case err == nil:
		m.busy = true
		return byNumberCmd(m.c, m.st, m.tag, q)
	case errors.Is(err, domain.ErrCaseNumberTypo):
		m.err = m.c.T.Err(err)
		return nil
	case looksLikeNumber(q):
		m.err = m.c.T.Err(err)
		return nil
	}
	m.busy = true
	return listCmd(m.c, m.st, m.tag, q, filters[m.filter])
}

// looksLikeNumber reports whether q is meant as a case number: letters,
// then four dash-separated groups of digits.
func looksLikeNumber(q string) bool {
	parts := strings.Split(q, "-")
	return len(parts) >= 4 && strings.IndexFunc(parts[1], func(r rune) bool { return r < '0' || r > '9' }) < 0
}

func (m *Model) detailKey(msg tea.KeyMsg) tea.Cmd {
	k := m.c.Keys
	cs := m.det.cs
	switch {
	case key.Matches(msg, k.Back):
		m.det = nil
		if m.listed == "\x00" {
			m.busy = true
			return listCmd(m.c, m.st, m.tag, "", filters[m.filter])
		}
		// The list is read again: a result issued (or a draft cancelled)
		// in the detail shows its new state; the cursor stays.
		return m.refreshed(listCmd(m.c, m.st, m.tag, m.listed, filters[m.filter]))
	case key.Matches(msg, k.Issue):
		if err := cs.CanIssue(); err != nil {
			m.err = m.c.T.Err(err)
			return nil
		}
		m.issue = newIssueForm(m.c, m.det.visitor)
		return m.issue.setFocus(iKind)
	case cs.State == domain.CaseIssued && key.Matches(msg, k.Print):
		m.busy = true
		m.notice = m.c.T.S("handoff.printing")
		return recordCmd(m.c, m.st, m.tag, cs.ID)
	case cs.State == domain.CaseDraft && key.Matches(msg, k.Resume):
		// The draft's checklist opens over this screen, where the clerk
		// left it; esc comes back here.
		ev := common.CaseOpened{Case: cs, Visitor: m.det.visitor, TicketID: cs.TicketID}
		return func() tea.Msg { return ev }
	case key.Matches(msg, k.CancelCase):
		if _, err := domain.Transition(cs.State, domain.ActWithdraw); err != nil {
			m.err = m.c.T.Err(err)
			return nil
		}
		m.cancel = true
		m.note.Prompt = m.c.T.S("cases.reason") + " "
		m.note.SetValue("")
		return m.note.Focus()
	case key.Matches(msg, k.Receipt):
		if cs.State == domain.CaseDraft {
			m.err = m.c.T.S("cases.no_receipt")
			return nil
		}
		id := cs.ID
		return func() tea.Msg { return common.ShowReceipt{CaseID: id} }
	}
	m.hist.Update(k, msg)
	return nil
}

// issueKey edits who receives the result; ctrl+s (or enter on the last
// field) checks it and records the issue, esc leaves the case as it is.
func (m *Model) issueKey(msg tea.KeyMsg) tea.Cmd {
	if key.Matches(msg, m.c.Keys.Back) {
		m.issue = nil
		return nil
	}
	done, cmd := m.issue.update(msg)
	if !done {
		return cmd
	}
	p, cmd, ok := m.issue.check(m.c.Now().Format("2006-01-02"))
	if !ok {
		return cmd
	}
	m.issue.err = ""
	m.busy = true
	return issueCmd(m.c, m.st, m.tag, m.det.cs.ID, p)
}

// recordNotice says where an issue record went.
func (m *Model) recordNotice(r recordMsg) string {
	t := m.c.T
	switch {
	case r.err != nil && r.saved == "":
		return t.S("issue.record_failed", t.Err(r.err))
	case r.err != nil:
		return t.S("issue.print_failed", t.Err(r.err))
	case r.printed != "":
		return t.S("issue.record_printed", r.printed)
	}
	return t.S("issue.record_saved", m.rel(r.saved))
}

// rel is a path in the data folder, as the clerk is told it.
func (m *Model) rel(path string) string {
	if r, err := filepath.Rel(m.c.DataDir, path); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return path
}

// reasonKey edits the reason of a cancelling; enter records it as the
// case's withdrawal, esc keeps the case as it is.
func (m *Model) reasonKey(msg tea.KeyMsg) tea.Cmd {
	k := m.c.Keys
	switch {
	case key.Matches(msg, k.Back):
		m.cancel = false
		m.note.Blur()
		return nil
	case key.Matches(msg, k.Submit):
		reason := strings.TrimSpace(m.note.Value())
		if _, err := domain.CanWithdraw(m.det.cs.State, reason); err != nil {
			m.err = m.c.T.S("cases.need_reason")
			return nil
		}
		m.busy = true
		return withdrawCmd(m.c, m.st, m.tag, m.det.cs.ID, reason)
	}
	var cmd tea.Cmd
	m.note, cmd = m.note.Update(msg)
	return cmd
}
