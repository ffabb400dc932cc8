// Package syncscreen is the sync screen: the link's state, the outbox
// (waiting, sent, rejected), the last sync and the last failure, and the
// events the central rejected with its reasons: they need attention.
package syncscreen

import (
	"context"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/link"
	"github.com/okno-mfc/okno/localdb"
	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/i18n"
)

// Store is what the sync screen reads and records: the outbox, the
// rejected events and their cases, and the resend (*localdb.Store is one).
type Store interface {
	Outbox(ctx context.Context) (localdb.OutboxStats, error)
	RejectedEvents(ctx context.Context, limit int) ([]localdb.Rejected, error)
	Case(ctx context.Context, id string) (*domain.CaseView, error)
	ResendRejected(ctx context.Context, ids ...string) (int, error)
}

// rejectedLimit is how many rejected events the screen lists.
const rejectedLimit = 100

// Model is the sync screen.
type Model struct {
	c        *common.Common
	st       Store
	tag      common.Tag
	stats    localdb.OutboxStats
	rejected []rejected
	loaded   bool
	cur      common.Cursor
	resent   int // events put back in the outbox by the last Resend (-1: none yet)
	err      string
	width    int
	height   int
}

// rejected is a rejected event with the number of its case, if any.
type rejected struct {
	localdb.Rejected
	caseNumber string
}

// loadedMsg carries the outbox's state.
type loadedMsg struct {
	tag      common.Tag
	stats    localdb.OutboxStats
	rejected []rejected
}

// resentMsg says how many rejected events went back to the outbox.
type resentMsg struct {
	tag common.Tag
	n   int
}

// New makes the screen.
func New(c *common.Common, st Store) *Model {
	return &Model{c: c, st: st, tag: c.NextTag(), width: c.Width, height: c.Height, resent: -1}
}

// resendCmd puts the rejected events back in the outbox, as they are.
func resendCmd(c *common.Common, st Store, tag common.Tag) tea.Cmd {
	return func() tea.Msg {
		n, err := st.ResendRejected(c.Ctx)
		if err != nil {
			return common.Fail(tag, err)
		}
		return resentMsg{tag: tag, n: n}
	}
}

func loadCmd(c *common.Common, st Store, tag common.Tag) tea.Cmd {
	return func() tea.Msg {
		stats, err := st.Outbox(c.Ctx)
		if err != nil {
			return common.Fail(tag, err)
		}
		rs, err := st.RejectedEvents(c.Ctx, rejectedLimit)
		if err != nil {
			return common.Fail(tag, err)
		}
		out := make([]rejected, len(rs))
		for i, r := range rs {
			out[i].Rejected = r
			if r.Event.CaseID != "" {
				if cs, err := st.Case(c.Ctx, r.Event.CaseID); err == nil {
					out[i].caseNumber = cs.Number
				}
			}
		}
		return loadedMsg{tag: tag, stats: stats, rejected: out}
	}
}

// Init reads the outbox.
func (m *Model) Init() tea.Cmd { return loadCmd(m.c, m.st, m.tag) }

// SetSize sets the screen's size.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h }

// Typing is false: no text input here.
func (m *Model) Typing() bool { return false }

// Modal is false.
func (m *Model) Modal() bool { return false }

// Title names the screen.
func (m *Model) Title() string { return m.c.T.S("sync.title") }

// ShortHelp lists the main keys.
func (m *Model) ShortHelp() []key.Binding {
	k := m.c.Keys
	if len(m.rejected) > 0 {
		return []key.Binding{k.Resend, k.Refresh, k.Up, k.Down, k.Back}
	}
	return []key.Binding{k.Refresh, k.Up, k.Down, k.Back}
}

// FullHelp lists every key.
func (m *Model) FullHelp() [][]key.Binding {
	k := m.c.Keys
	return [][]key.Binding{{k.Refresh, k.Resend, k.Up, k.Down, k.PageUp, k.PageDown}}
}

// Update handles keys, the outbox's state and the link's changes.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case loadedMsg:
		if msg.tag == m.tag {
			m.loaded, m.err = true, ""
			m.stats, m.rejected = msg.stats, msg.rejected
			m.cur.SetN(len(m.rejected))
		}
		return m, nil
	case common.ErrMsg:
		if msg.Tag == m.tag {
			m.err = m.c.Err(msg.Err)
		}
		return m, nil
	case resentMsg:
		if msg.tag == m.tag {
			m.resent = msg.n // the store announced the events put back: the link sends them
			return m, loadCmd(m.c, m.st, m.tag)
		}
		return m, nil
	case common.StatusChanged:
		return m, loadCmd(m.c, m.st, m.tag)
	case common.Changed:
		if msg.Has(localdb.Outbox) {
			return m, loadCmd(m.c, m.st, m.tag)
		}
		return m, nil
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, m.c.Keys.Refresh):
			m.c.Link.SyncNow()
			return m, loadCmd(m.c, m.st, m.tag)
		case key.Matches(msg, m.c.Keys.Resend) && len(m.rejected) > 0:
			return m, resendCmd(m.c, m.st, m.tag)
		}
		m.cur.Update(m.c.Keys, msg)
	}
	return m, nil
}

// View renders the screen.
func (m *Model) View() string {
	c, s, t := m.c, m.c.Styles, m.c.T
	st := c.Status
	loc := c.Now().Location()
	var b strings.Builder
	b.WriteString(s.Title.Render(t.S("sync.title")) + "\n")
	line := func(label, value string) {
		b.WriteString(s.Label.Render(common.Fit(label, 18)) + " " + common.Cut(value, m.width-19) + "\n")
	}
	state := t.S("link." + string(st.State))
	if st.State == "" {
		state = t.S("link.offline")
	}
	switch st.State {
	case link.Online:
		state = s.OK.Render(state)
	case link.Syncing:
		state = s.Subtitle.Render(state)
	default:
		state = s.Warning.Render(state)
	}
	line(t.S("sync.state"), state)
	line(t.S("sync.outbox"), t.S("sync.counts", m.stats.Pending, m.stats.Sent, m.stats.Rejected))
	last := t.S("sync.never")
	if !st.LastSync.IsZero() {
		last = t.DateTime(st.LastSync.In(loc))
	}
	line(t.S("sync.last"), last)
	if st.Problem != link.NoProblem {
		e := problem(t, st)
		if !st.NextTry.IsZero() {
			e += " · " + t.S("sync.next", st.NextTry.In(loc).Format("15:04:05"))
		}
		b.WriteString(s.Label.Render(common.Fit(t.S("sync.error"), 18)) + " " + s.Error.Render(common.Cut(e, m.width-19)) + "\n")
	} else {
		b.WriteByte('\n')
	}
	b.WriteString("\n")
	if !m.loaded {
		b.WriteString(s.Muted.Render(t.S("loading")))
		return b.String()
	}
	if m.resent >= 0 {
		b.WriteString(s.OK.Render(t.S("sync.resent", m.resent)) + "\n")
	}
	if len(m.rejected) == 0 {
		b.WriteString(s.OK.Render(t.S("sync.no_rejected")) + "\n")
	} else {
		b.WriteString(s.Error.Render(t.S("sync.attention", len(m.rejected))) + "\n")
		b.WriteString(s.Muted.Render(common.Cut(t.S("sync.resend_hint"), m.width)) + "\n")
		// Two lines per event: what it was, and the central's reason.
		m.cur.SetHeight(max(1, (m.height-11)/2))
		from, to := m.cur.Visible()
		for i := from; i < to; i++ {
			r := m.rejected[i]
			mark := "  "
			if i == m.cur.Pos {
				mark = "› "
			}
			what := mark + t.DateTime(r.Event.At.In(loc)) + "  " + t.S("evkind."+string(r.Event.Kind))
			if r.caseNumber != "" {
				what += "  " + r.caseNumber
			}
			if i == m.cur.Pos {
				b.WriteString(s.Selected.Render(common.Fit(what, m.width)) + "\n")
			} else {
				b.WriteString(s.Row.Render(common.Cut(what, m.width)) + "\n")
			}
			b.WriteString(s.Warning.Render(common.Cut("    "+t.S("sync.reason", r.Reason), m.width)) + "\n")
		}
	}
	if m.err != "" {
		b.WriteString(s.Error.Render(common.Cut(m.err, m.width)))
	}
	return b.String()
}

// problem says in the clerk's language why the link is not online; the
// English details follow where the translation has room for them.
func problem(t i18n.T, st link.Status) string {
	switch st.Problem {
	case link.NoProblem:
		return ""
	case link.NotEnrolled:
		return t.S("linkerr.not_enrolled")
	case link.Unreachable:
		return t.S("linkerr.unreachable")
	case link.Refused:
		return t.S("linkerr.refused")
	case link.SendAgain:
		return t.S("linkerr.send_again")
	case link.BlobMissing:
		return t.S("linkerr.blob_missing", st.Detail)
	case link.CentralFailing:
		// The central's own words are English: the screen gives its
		// status code; the log keeps the rest (Status.Err).
		if st.Code > 0 {
			return t.S("linkerr.central_status", st.Code)
		}
		return t.S("linkerr.sync_failed")
	}
	return t.S("linkerr.sync_failed") // a problem newer than this screen
}
