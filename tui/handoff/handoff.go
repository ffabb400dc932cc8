// Package handoff is the receipt screen shown when a case is handed off (or
// reprinted from the cases screen): the receipt as text, saved beside it as
// a UTF-8 text file and a PDF under DATA/receipts, in the office's
// language; p prints it on the window's printer; from here the clerk
// finishes the ticket or takes another service for the same visitor.
package handoff

import (
	"path/filepath"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/localdb"
	"github.com/okno-mfc/okno/receipt"
	"github.com/okno-mfc/okno/tui/common"
)

// Model is the receipt screen.
type Model struct {
	c        *common.Common
	st       Store
	tag      common.Tag
	caseID   string
	visitor  domain.Visitor
	ticketID string
	reprint  bool // opened from the cases screen: done goes back
	text     string
	txtPath  string
	pdfPath  string
	number   string
	receipt  receipt.Receipt // as printed
	lang     string          // the receipt's language: the office's, not the screen's
	notice   string          // what the last print did
	vp       viewport.Model
	busy     bool
	err      string
	width    int
	height   int
}

// savedMsg carries the receipt, made and saved.
type savedMsg struct {
	tag      common.Tag
	receipt  receipt.Receipt
	lang     string
	text     string
	txt, pdf string
}

// printedMsg says where the receipt was printed.
type printedMsg struct {
	tag   common.Tag
	where string
}

// servedMsg says the ticket was finished.
type servedMsg struct {
	tag    common.Tag
	ticket localdb.Ticket
}

// New makes the receipt screen of a case just handed off.
func New(c *common.Common, st Store, caseID string, v domain.Visitor, ticketID string) *Model {
	return &Model{c: c, st: st, tag: c.NextTag(), caseID: caseID, visitor: v, ticketID: ticketID,
		vp: viewport.New(c.Width, max(1, c.Height-3)), busy: true, width: c.Width, height: c.Height}
}

// Reprint makes the receipt screen of an existing case.
func Reprint(c *common.Common, st Store, caseID string) *Model {
	m := New(c, st, caseID, domain.Visitor{}, "")
	m.reprint = true
	return m
}

func receiptCmd(c *common.Common, st Store, tag common.Tag, caseID string) tea.Cmd {
	return func() tea.Msg {
		office, err := st.OfficeSettings(c.Ctx)
		if err != nil {
			return common.Fail(tag, err)
		}
		lang := office.Lang() // the office's language, whatever the clerk's screen says
		r, err := Build(c.Ctx, st, caseID, lang, c.Operator)
		if err != nil {
			return common.Fail(tag, err)
		}
		r.Centre = receipt.Centre{Name: office.Name, Address: office.Address, Phone: office.Phone, Hours: office.Hours}
		r.RateURL = office.RateURL(r.RatingCode)
		txt, pdf, err := Save(c.DataDir, r, lang)
		if err != nil {
			return common.Fail(tag, err)
		}
		return savedMsg{tag: tag, receipt: r, lang: lang, text: receipt.Text(r, lang), txt: txt, pdf: pdf}
	}
}

// printCmd prints the receipt on the window's printer.
func printCmd(c *common.Common, tag common.Tag, r receipt.Receipt, lang string) tea.Cmd {
	return func() tea.Msg {
		where, err := c.Printer.Print(c.Ctx, r, lang)
		if err != nil {
			return common.Fail(tag, err)
		}
		return printedMsg{tag: tag, where: where}
	}
}

func servedCmd(c *common.Common, st Store, tag common.Tag, ticketID string) tea.Cmd {
	return func() tea.Msg {
		t, err := st.Move(c.Ctx, c.Actor(), ticketID, domain.EvTicketServed)
		if err != nil {
			return common.Fail(tag, err)
		}
		return servedMsg{tag: tag, ticket: t}
	}
}

// Init makes and saves the receipt.
func (m *Model) Init() tea.Cmd { return receiptCmd(m.c, m.st, m.tag, m.caseID) }

// SetSize sets the screen's size.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.vp.Width, m.vp.Height = w, max(1, h-3)
	if m.text != "" {
		m.vp.SetContent(m.preview())
	}
}

// preview is the receipt as the screen shows it: wrapped to the screen
// when it is narrower than the receipt, so no word is cut.
func (m *Model) preview() string {
	if m.width >= receipt.Width {
		return m.text
	}
	return receipt.TextWidth(m.receipt, m.lang, m.width)
}

// Typing is false: the screen has no text input.
func (m *Model) Typing() bool { return false }

// Modal is false.
func (m *Model) Modal() bool { return false }

// Title names the screen.
func (m *Model) Title() string { return m.c.T.S("handoff.title") }

// ShortHelp lists the main keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.c.Keys
	if m.reprint {
		return []key.Binding{k.Print, k.Up, k.Down, k.Back}
	}
	return []key.Binding{k.Done, k.Print, k.Another, k.Down}
}

// FullHelp lists every key.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.c.Keys
	return [][]key.Binding{{k.Done, k.Print, k.Another}, {k.Up, k.Down, k.PageUp, k.PageDown}}
}

// Update handles keys and the answers.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	k := m.c.Keys
	switch msg := msg.(type) {
	case savedMsg:
		if msg.tag == m.tag {
			m.busy = false
			m.receipt, m.lang = msg.receipt, msg.lang
			m.number, m.text, m.txtPath, m.pdfPath = msg.receipt.CaseNumber, msg.text, msg.txt, msg.pdf
			m.vp.SetContent(m.preview())
		}
		return m, nil
	case printedMsg:
		if msg.tag == m.tag {
			m.busy, m.err = false, ""
			m.notice = m.c.T.S("handoff.printed", msg.where)
		}
		return m, nil
	case servedMsg:
		if msg.tag != m.tag {
			return m, nil
		}
		notice := m.c.T.S("handoff.served", m.number, msg.ticket.Number)
		return m, func() tea.Msg { return common.GoQueue{Notice: notice} }
	case common.ErrMsg:
		if msg.Tag == m.tag {
			m.busy, m.notice = false, ""
			m.err = m.c.Err(msg.Err)
			if m.text != "" { // the receipt is there: it was the printing that failed
				m.err = m.c.T.S("handoff.printfail", msg.Err.Error())
			}
		}
		return m, nil
	case tea.KeyMsg:
		if m.busy {
			return m, nil
		}
		switch {
		case key.Matches(msg, k.Done):
			if m.reprint {
				return m, func() tea.Msg { return common.Back{} }
			}
			if m.ticketID != "" {
				m.busy = true
				return m, servedCmd(m.c, m.st, m.tag, m.ticketID)
			}
			notice := m.c.T.S("handoff.done", m.number)
			return m, func() tea.Msg { return common.GoQueue{Notice: notice} }
		case key.Matches(msg, k.Print):
			if m.c.Printer == nil {
				m.err, m.notice = m.c.T.S("handoff.noprinter"), ""
				return m, nil
			}
			m.busy, m.err, m.notice = true, "", m.c.T.S("handoff.printing")
			return m, printCmd(m.c, m.tag, m.receipt, m.lang)
		case key.Matches(msg, k.Another) && !m.reprint:
			ev := common.VisitorChosen{Visitor: m.visitor, TicketID: m.ticketID}
			return m, func() tea.Msg { return ev }
		}
		var cmd tea.Cmd
		m.vp, cmd = m.vp.Update(msg)
		return m, cmd
	}
	return m, nil
}

// rel is a saved file's path in the data folder (the same on every
// workstation, so the clerk can be told where to look).
func (m *Model) rel(path string) string {
	if r, err := filepath.Rel(m.c.DataDir, path); err == nil {
		return r
	}
	return path
}

// View renders the screen.
func (m *Model) View() string {
	s, t := m.c.Styles, m.c.T
	var b strings.Builder
	if m.busy && m.text == "" {
		b.WriteString(s.Title.Render(t.S("handoff.title")) + "\n" + s.Muted.Render(t.S("loading")))
		return b.String()
	}
	if m.err != "" && m.text == "" {
		b.WriteString(s.Title.Render(t.S("handoff.title")) + "\n" + s.Error.Render(common.Wrap(m.err, m.width)))
		return b.String()
	}
	head := t.S("handoff.handed", m.number)
	if m.reprint {
		head = t.S("handoff.reprint", m.number)
	}
	b.WriteString(s.Title.Render(common.Cut(head, m.width)) + "\n")
	b.WriteString(m.vp.View() + "\n")
	saved := t.S("handoff.saved", m.rel(m.txtPath))
	if m.notice != "" {
		saved = m.notice
	}
	if !m.vp.AtBottom() {
		saved += "  " + t.S("handoff.more")
	}
	if common.Width(saved) > m.width && m.err == "" && !m.reprint {
		// A narrow screen: the saved files take the keys' line (the help
		// line below names the same keys).
		lines := strings.SplitN(common.Wrap(saved, m.width), "\n", 3)
		if len(lines) > 2 {
			lines[1] = common.Cut(lines[1]+" "+lines[2], m.width)
			lines = lines[:2]
		}
		b.WriteString(s.Muted.Render(strings.Join(lines, "\n")))
		return b.String()
	}
	b.WriteString(s.Muted.Render(common.Cut(saved, m.width)) + "\n")
	if m.err != "" {
		b.WriteString(s.Error.Render(common.Wrap(m.err, m.width)))
	} else if !m.reprint {
		b.WriteString(s.Muted.Render(common.Cut(t.S("handoff.keys"), m.width)))
	}
	return b.String()
}
