package supervisor

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/components/field"
)

// Hands are the supervisor's actions on the queue, through the central
// (link.Live has them): each is recorded there as the central's event,
// and the stream then brings the new picture. A feed without them (a
// fake, a read-only view) leaves the screen watching only.
type Hands interface {
	MoveTicket(ctx context.Context, office, ticketID string, window int, reason string) error
	SetPriority(ctx context.Context, office, ticketID string, rank int, reason string) error
	CloseWindow(ctx context.Context, office string, window int, reason string) error
}

// The actions a prompt asks for.
const (
	actMove = iota + 1
	actRaise
	actLower
	actClose
	actMoveWhy   // a move's second step: the reason (optional), the window chosen
	actReturn    // an unclaimed result back to the department: the reason
	actExtend    // an unclaimed result kept longer: the days
	actExtendWhy // then the reason
)

// action is an open prompt: what it does, to which ticket or window, and
// the one field it asks (a window, or the reason).
type action struct {
	kind   int
	ticket api.QueueTicket
	window api.WindowState
	to     int             // actMoveWhy: the window chosen (0: the shared queue)
	result domain.CaseView // actReturn, actExtend: the unclaimed result
	days   int             // actExtendWhy: how many more days
	input  *field.Field
	err    string
}

// actedMsg answers actCmd.
type actedMsg struct {
	tag    common.Tag
	notice string
	err    error
	done   string // a result returned or kept longer: off the unclaimed list
}

// selectable reports whether section sec has a cursor (rows to act on):
// the windows, the waiting tickets, and the cases while results wait
// unclaimed.
func (m *Model) selectable(sec int) bool {
	return sec == secWindows || sec == secWaiting || sec == secCases && m.attention != nil && len(m.attention.Unclaimed) > 0
}

// waitingList is the waiting tickets in the order the section shows them.
func (m *Model) waitingList() []api.QueueTicket {
	if m.snap == nil {
		return nil
	}
	if !m.grouped {
		return m.snap.Waiting
	}
	tickets := slices.Clone(m.snap.Waiting)
	slices.SortStableFunc(tickets, func(a, b api.QueueTicket) int { return strings.Compare(a.Service, b.Service) })
	return tickets
}

// selected is the index of the row under the cursor of section sec, kept
// within its list.
func (m *Model) selected(sec int) int {
	n := 0
	if m.snap != nil {
		switch sec {
		case secWindows:
			n = len(m.snap.Windows)
		case secWaiting:
			n = len(m.snap.Waiting)
		}
	}
	if sec == secCases && m.attention != nil {
		n = len(m.attention.Unclaimed)
	}
	return max(0, min(m.sel[sec], n-1))
}

// moveSel moves the cursor of the focused section by d.
func (m *Model) moveSel(d int) {
	m.sel[m.section] = m.selected(m.section) + d
	m.sel[m.section] = m.selected(m.section)
}

// startAction opens the prompt of kind for the row under the cursor.
func (m *Model) startAction(kind int) tea.Cmd {
	t := m.c.T
	m.notice, m.actErr = "", ""
	if m.hands == nil || m.snap == nil || m.failed != nil {
		m.actErr = t.S("sup.act.unavailable")
		return nil
	}
	a := &action{kind: kind}
	switch kind {
	case actClose:
		if len(m.snap.Windows) == 0 {
			m.actErr = t.S("sup.act.pick_window")
			return nil
		}
		a.window = m.snap.Windows[m.selected(secWindows)]
		if a.window.State == "closed" {
			m.actErr = t.S("sup.act.closed_already", a.window.Window)
			return nil
		}
		a.input = field.New(t.S("sup.act.reason"), t.S("sup.act.reason_hint")).Styled(m.c.Styles)
		a.input.Input.CharLimit = 500
	default:
		list := m.waitingList()
		if len(list) == 0 {
			m.actErr = t.S("sup.act.pick_ticket")
			return nil
		}
		a.ticket = list[m.selected(secWaiting)]
		switch {
		case kind == actLower && a.ticket.Rank == 0:
			m.actErr = t.S("sup.act.ordinary_already", a.ticket.Number)
			return nil
		case kind == actRaise && a.ticket.Rank == 1:
			m.actErr = t.S("sup.act.first_already", a.ticket.Number)
			return nil
		}
		if kind == actMove {
			a.input = field.New(t.S("sup.act.window"), t.S("sup.act.window_hint")).Styled(m.c.Styles)
			a.input.Input.CharLimit = 3
		} else {
			a.input = field.New(t.S("sup.act.reason"), t.S("sup.act.reason_hint")).Styled(m.c.Styles)
			a.input.Input.CharLimit = 500
		}
	}
	m.act = a
	return a.input.Focus()
}

// actionKey types into the prompt, or sends it (enter) or drops it (esc).
func (m *Model) actionKey(msg tea.KeyMsg) tea.Cmd {
	a := m.act
	switch {
	case key.Matches(msg, m.keys.Back):
		m.act = nil
		return nil
	case key.Matches(msg, m.keys.Submit):
	default:
		a.err = ""
		return a.input.Update(msg)
	}
	t := m.c.T
	v := strings.TrimSpace(a.input.Value())
	office, h, tag := m.office, m.hands, m.tag
	switch a.kind {
	case actMove:
		win := 0
		if v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				a.err = t.S("sup.act.not_number", v) + " " + m.windowsHint()
				return nil
			}
			win = n
		}
		if win != 0 {
			w, ok := m.windowState(win)
			switch {
			case !ok:
				a.err = t.S("sup.act.no_window", win) + " " + m.windowsHint()
				return nil
			case w.State == "closed":
				a.err = t.S("sup.act.window_closed", win)
				return nil
			}
		}
		if win == a.ticket.Window {
			a.err = t.S("sup.act.there_already", a.ticket.Number)
			return nil
		}
		// The window is right: now the reason, which the API keeps in
		// the event (ticket.redirected) and the audit; a move may go
		// without one.
		a.kind, a.to = actMoveWhy, win
		a.input = field.New(t.S("sup.act.reason"), t.S("sup.act.move_why_hint")).Styled(m.c.Styles)
		a.input.Input.CharLimit = 500
		return a.input.Focus()
	case actReturn, actExtend, actExtendWhy:
		return m.resultKey(a, v)
	case actMoveWhy:
		tk, win := a.ticket, a.to
		notice := t.S("sup.act.moved_shared", tk.Number)
		if win > 0 {
			notice = t.S("sup.act.moved", tk.Number, win)
		}
		m.act = nil
		return actCmd(m.c.Ctx, tag, notice, func(ctx context.Context) error { return h.MoveTicket(ctx, office, tk.ID, win, v) })
	default:
		if v == "" {
			a.err = t.S("sup.act.need_reason")
			return nil
		}
		m.act = nil
		switch a.kind {
		case actRaise:
			tk := a.ticket
			return actCmd(m.c.Ctx, tag, t.S("sup.act.raised", tk.Number), func(ctx context.Context) error { return h.SetPriority(ctx, office, tk.ID, 1, v) })
		case actLower:
			tk := a.ticket
			return actCmd(m.c.Ctx, tag, t.S("sup.act.lowered", tk.Number), func(ctx context.Context) error { return h.SetPriority(ctx, office, tk.ID, 0, v) })
		}
		win := a.window.Window
		return actCmd(m.c.Ctx, tag, t.S("sup.act.closed", win), func(ctx context.Context) error { return h.CloseWindow(ctx, office, win, v) })
	}
}

func actCmd(ctx context.Context, tag common.Tag, notice string, do func(context.Context) error) tea.Cmd {
	return func() tea.Msg {
		if err := do(ctx); err != nil {
			return actedMsg{tag: tag, err: err}
		}
		return actedMsg{tag: tag, notice: notice}
	}
}

// windowState finds window n in the picture.
func (m *Model) windowState(n int) (api.WindowState, bool) {
	if m.snap != nil {
		for _, w := range m.snap.Windows {
			if w.Window == n {
				return w, true
			}
		}
	}
	return api.WindowState{}, false
}

// windowsHint lists the office's windows for a message.
func (m *Model) windowsHint() string {
	var ws []string
	if m.snap != nil {
		for _, w := range m.snap.Windows {
			ws = append(ws, strconv.Itoa(w.Window))
		}
	}
	return m.c.T.S("sup.act.windows_are", strings.Join(ws, ", "))
}

// actionView is the open prompt: what it does, the field, its message.
func (m *Model) actionView(w int) []string {
	s, t := m.c.Styles, m.c.T
	a := m.act
	var title, hint string
	switch a.kind {
	case actMove:
		title, hint = t.S("sup.act.move_title", a.ticket.Number), t.S("sup.act.move_next_keys")
	case actMoveWhy:
		title, hint = t.S("sup.act.move_why_title", a.ticket.Number, a.to), t.S("sup.act.move_keys")
		if a.to == 0 {
			title = t.S("sup.act.move_why_shared", a.ticket.Number)
		}
	case actRaise:
		title, hint = t.S("sup.act.raise_title", a.ticket.Number), t.S("sup.act.reason_keys")
	case actLower:
		title, hint = t.S("sup.act.lower_title", a.ticket.Number), t.S("sup.act.reason_keys")
	case actReturn:
		title, hint = t.S("sup.act.return_title", a.result.Number), t.S("sup.act.return_keys")
	case actExtend:
		title, hint = t.S("sup.act.extend_title", a.result.Number), t.S("sup.act.extend_next_keys")
	case actExtendWhy:
		title, hint = t.S("sup.act.extend_why_title", a.result.Number, t.N("sup.days", a.days)), t.S("sup.act.reason_keys")
	case actClose:
		who := a.window.Operator
		if who == "" {
			who = "—"
		}
		title, hint = t.S("sup.act.close_title", a.window.Window, who), t.S("sup.act.close_keys")
	}
	out := []string{
		s.Subtitle.Render(common.Cut(title, w)),
		common.Cut(a.input.View(s, 10, max(10, min(60, w-14)), w), w),
	}
	if a.err != "" {
		out = append(out, s.Error.Render(common.Cut(a.err, w)))
	} else {
		out = append(out, s.Muted.Render(common.Cut(hint, w)))
	}
	return out
}

func (m *Model) gotActed(msg actedMsg) {
	if msg.err != nil {
		m.notice, m.actErr = "", fmt.Sprint(m.c.Err(msg.err))
		return
	}
	m.notice, m.actErr = msg.notice, ""
	if a := m.attention; msg.done != "" && a != nil {
		// The central took it: off the list now, before the next fetch
		// of the attention list says so too.
		kept := slices.DeleteFunc(slices.Clone(a.Unclaimed), func(c domain.CaseView) bool { return c.ID == msg.done })
		if n := len(a.Unclaimed) - len(kept); n > 0 {
			next := *a
			next.Unclaimed, next.UnclaimedTotal = kept, max(0, a.UnclaimedTotal-n)
			m.attention = &next
		}
	}
}
