// Package checklist is the checklist of a draft case: one row per document
// of the service's regulation (required, optional, if available), each
// presented or not, as an original or a copy, with a count. A barcode
// scanner types a code and enter: a document-type code ticks its row, a case
// number opens that case, a file's path attaches the scan to the row under
// the cursor. The case is handed off from here; with a required document
// missing, only with the reason recorded.
package checklist

import (
	"errors"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/tui/common"
)

// Model is the checklist screen.
type Model struct {
	c        *common.Common
	st       Store
	tag      common.Tag
	cs       *domain.CaseView
	visitor  domain.Visitor
	ticketID string
	rows     []domain.ChecklistRow
	loaded   bool
	cur      common.Cursor
	scan     textinput.Model
	reason   textinput.Model
	asking   bool // the reason for handing off with documents missing is asked
	busy     bool
	pending  common.KeyQueue // keys that came while a write was under way (a fast scanner)
	notice   string
	err      string
	width    int
	height   int
}

// New makes the checklist of a draft case.
func New(c *common.Common, st Store, cs *domain.CaseView, v domain.Visitor, ticketID string) *Model {
	in := func(prompt string) textinput.Model {
		ti := textinput.New()
		ti.Prompt = prompt
		ti.CharLimit = 400
		ti.Cursor.SetMode(cursor.CursorStatic)
		ti.PromptStyle = c.Styles.LabelFocused
		return ti
	}
	m := &Model{c: c, st: st, tag: c.NextTag(), cs: cs, visitor: v, ticketID: ticketID,
		scan: in(c.T.S("checklist.scan") + " "), reason: in(c.T.S("checklist.reason") + " "),
		width: c.Width, height: c.Height}
	m.reason.CharLimit = 2000 // a written reason, not a code: room for a paragraph
	m.scan.Placeholder = c.T.S("checklist.scan.ph")
	m.scan.PlaceholderStyle = c.Styles.Muted
	m.scan.Focus()
	return m
}

// Init loads the checklist.
func (m *Model) Init() tea.Cmd { return loadCmd(m.c, m.st, m.tag, m.cs.ID) }

// SetSize sets the screen's size.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h }

// Typing is true: the scanner line (or the reason) takes text.
func (m *Model) Typing() bool { return true }

// Modal is true while the reason is asked.
func (m *Model) Modal() bool { return m.asking }

// Title names the screen.
func (m *Model) Title() string { return m.c.T.S("checklist.title") }

// ShortHelp lists the main keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.c.Keys
	if m.asking {
		return []key.Binding{k.Submit, k.Back}
	}
	return []key.Binding{k.Toggle, k.Form, k.More, k.Less, k.Scan, k.HandOff}
}

// FullHelp lists every key.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.c.Keys
	return [][]key.Binding{{k.Up, k.Down, k.Toggle, k.Form, k.More, k.Less}, {k.Scan, k.HandOff}}
}

// Update handles keys and the store's answers.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case loadedMsg:
		if msg.tag == m.tag {
			m.rows, m.loaded, m.busy = msg.rows, true, false
			m.cur.SetN(len(m.rows))
			return m, m.replay()
		}
		return m, nil
	case checkedMsg:
		if msg.tag != m.tag {
			return m, nil
		}
		m.notice = msg.note // still busy until the rows are read again
		return m, loadCmd(m.c, m.st, m.tag, m.cs.ID)
	case handedMsg:
		if msg.tag != m.tag {
			return m, nil
		}
		m.busy = false
		ev := common.HandedOff{Case: msg.cs, Visitor: m.visitor, TicketID: m.ticketID}
		return m, func() tea.Msg { return ev }
	case foundCaseMsg:
		if msg.tag != m.tag {
			return m, nil
		}
		m.busy = false
		id := msg.id
		return m, func() tea.Msg { return common.ShowCase{CaseID: id} }
	case common.ErrMsg:
		if msg.Tag != m.tag {
			return m, nil
		}
		m.busy = false
		var md *domain.MissingDocumentsError
		if errors.As(msg.Err, &md) {
			m.ask()
			return m, nil
		}
		m.err = m.c.Err(msg.Err)
		return m, m.replay()
	case tea.KeyMsg:
		if m.busy || !m.loaded {
			m.pending.Push(msg)
			return m, nil
		}
		return m, m.handleKey(msg)
	}
	return m, nil
}

func (m *Model) handleKey(msg tea.KeyMsg) tea.Cmd {
	m.err, m.notice = "", ""
	if m.asking {
		return m.reasonKey(msg)
	}
	return m.key(msg)
}

// replay hands the keys that waited for a write to the screen, in order,
// until one starts another write.
func (m *Model) replay() tea.Cmd {
	return m.pending.Replay(func() bool { return m.busy }, func(k tea.KeyMsg) tea.Cmd {
		notice := m.notice
		cmd := m.handleKey(k)
		if m.notice == "" && !m.busy {
			m.notice = notice // a typed letter does not wipe the last result
		}
		return cmd
	})
}

func (m *Model) key(msg tea.KeyMsg) tea.Cmd {
	k := m.c.Keys
	empty := m.scan.Value() == ""
	switch {
	case key.Matches(msg, k.HandOff):
		var md *domain.MissingDocumentsError
		if _, err := domain.CanHandOff(m.cs.State, m.rows, ""); errors.As(err, &md) {
			m.ask()
			return nil
		}
		m.busy = true
		return handOffCmd(m.c, m.st, m.tag, m.cs.ID, "")
	case key.Matches(msg, k.Scan):
		code := strings.TrimSpace(m.scan.Value())
		m.scan.SetValue("")
		return m.scanned(code)
	case key.Matches(msg, k.Up), key.Matches(msg, k.Down), key.Matches(msg, k.PageUp), key.Matches(msg, k.PageDown):
		m.cur.Update(k, msg)
		return nil
	case key.Matches(msg, k.Form):
		return m.setRow(func(r *domain.ChecklistRow) {
			if r.Form == domain.FormOriginal {
				r.Form = domain.FormCopy
			} else {
				r.Form = domain.FormOriginal
			}
		})
	case empty && key.Matches(msg, k.Toggle):
		return m.setRow(func(r *domain.ChecklistRow) { r.Presented = !r.Presented })
	case empty && key.Matches(msg, k.More):
		return m.setRow(func(r *domain.ChecklistRow) { r.Count = min(999, r.Count+1); r.Presented = true })
	case empty && key.Matches(msg, k.Less):
		return m.setRow(func(r *domain.ChecklistRow) { r.Count = max(1, r.Count-1) })
	}
	var cmd tea.Cmd
	m.scan, cmd = m.scan.Update(msg)
	return cmd
}

// setRow changes the row under the cursor and records it.
func (m *Model) setRow(change func(*domain.ChecklistRow)) tea.Cmd {
	if len(m.rows) == 0 {
		return nil
	}
	r := m.rows[m.cur.Pos]
	if r.Count == 0 {
		r.Count = r.Requirement.Count
	}
	change(&r)
	m.busy = true
	return checkCmd(m.c, m.st, m.tag, m.cs.ID, domain.DocumentPayload{Doc: r.Code, Presented: r.Presented, Form: r.Form, Count: r.Count, Barcode: r.Barcode}, "")
}

// scanned acts on what the scanner (or the clerk) typed.
func (m *Model) scanned(code string) tea.Cmd {
	t := m.c.T
	if code == "" {
		return nil
	}
	for i, r := range m.rows {
		if strings.EqualFold(r.Code, code) {
			m.cur.Pos = i
			m.cur.Move(0)
			name := r.Name(string(t.Lang))
			if r.Presented {
				m.notice = t.S("checklist.already", name)
				return nil
			}
			m.busy = true
			count := r.Count
			if count == 0 {
				count = r.Requirement.Count
			}
			return checkCmd(m.c, m.st, m.tag, m.cs.ID, domain.DocumentPayload{Doc: r.Code, Presented: true, Form: r.Form, Count: count, Barcode: code},
				t.S("checklist.ticked", name))
		}
	}
	if _, err := domain.ParseCaseNumber(code); err == nil {
		m.busy = true
		return findCaseCmd(m.c, m.st, m.tag, code)
	} else if errors.Is(err, domain.ErrCaseNumberTypo) {
		m.err = t.Err(err)
		return nil
	}
	if len(m.rows) == 0 {
		return nil
	}
	r := m.rows[m.cur.Pos]
	m.busy = true
	return attachCmd(m.c, m.st, m.tag, m.cs.ID, r.Code, code, r.Name(string(t.Lang)))
}

func (m *Model) ask() {
	m.asking = true
	m.scan.Blur()
	m.reason.Focus()
}

func (m *Model) reasonKey(msg tea.KeyMsg) tea.Cmd {
	k := m.c.Keys
	switch {
	case key.Matches(msg, k.Back):
		m.asking = false
		m.reason.Blur()
		m.scan.Focus()
		return nil
	case key.Matches(msg, k.Submit):
		reason := strings.TrimSpace(m.reason.Value())
		if reason == "" {
			m.err = m.c.T.S("checklist.need_reason")
			return nil
		}
		m.busy = true
		return handOffCmd(m.c, m.st, m.tag, m.cs.ID, reason)
	}
	var cmd tea.Cmd
	m.reason, cmd = m.reason.Update(msg)
	return cmd
}
