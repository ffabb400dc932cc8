package supervisor

import (
	"context"
	"strconv"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/link"
	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/components/field"
)

// ResultHands are the supervisor's actions on the results not collected in
// time (the cases section's unclaimed list), through the central
// (link.Live and the SSH board have them): back to the department, or kept
// at the office longer, each with a reason and recorded as the central's
// event.
type ResultHands interface {
	ReturnResult(ctx context.Context, office, caseID, reason string) error
	ExtendCollect(ctx context.Context, office, caseID string, days int, reason string) error
}

// maxExtendDays is the longest one extension may keep a result (the
// central's limit too).
const maxExtendDays = 365

// startResult opens the prompt of kind (actReturn, actExtend) for the
// unclaimed result under the cursor.
func (m *Model) startResult(kind int) tea.Cmd {
	t := m.c.T
	m.notice, m.actErr = "", ""
	if m.results == nil || m.failed != nil {
		m.actErr = t.S("sup.act.unavailable")
		return nil
	}
	if m.attention == nil || len(m.attention.Unclaimed) == 0 {
		m.actErr = t.S("sup.act.pick_result")
		return nil
	}
	a := &action{kind: kind, result: m.attention.Unclaimed[m.selected(secCases)]}
	if kind == actExtend {
		a.input = field.New(t.S("sup.act.days"), t.S("sup.act.days_hint", maxExtendDays)).Styled(m.c.Styles)
		a.input.Input.CharLimit = 3
	} else {
		a.input = field.New(t.S("sup.act.reason"), t.S("sup.act.reason_hint")).Styled(m.c.Styles)
		a.input.Input.CharLimit = 500
	}
	m.act = a
	return a.input.Focus()
}

// resultKey is enter in a result's prompt, with the field's value v.
func (m *Model) resultKey(a *action, v string) tea.Cmd {
	t := m.c.T
	office, h, tag, c := m.office, m.results, m.tag, a.result
	switch a.kind {
	case actExtend:
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxExtendDays {
			a.err = t.S("sup.act.bad_days", v, maxExtendDays)
			return nil
		}
		a.kind, a.days = actExtendWhy, n
		a.input = field.New(t.S("sup.act.reason"), t.S("sup.act.reason_hint")).Styled(m.c.Styles)
		a.input.Input.CharLimit = 500
		return a.input.Focus()
	}
	if v == "" {
		a.err = t.S("sup.act.need_reason")
		return nil
	}
	m.act = nil
	if a.kind == actReturn {
		return resultCmd(m.c.Ctx, tag, c.ID, t.S("sup.act.returned", c.Number), func(ctx context.Context) error {
			return h.ReturnResult(ctx, office, c.ID, v)
		})
	}
	days := a.days
	return resultCmd(m.c.Ctx, tag, c.ID, t.S("sup.act.extended", c.Number, t.N("sup.days", days)), func(ctx context.Context) error {
		return h.ExtendCollect(ctx, office, c.ID, days, v)
	})
}

// resultCmd does a result's action; on success the result leaves the list.
func resultCmd(ctx context.Context, tag common.Tag, caseID, notice string, do func(context.Context) error) tea.Cmd {
	return func() tea.Msg {
		if err := do(ctx); err != nil {
			return actedMsg{tag: tag, err: err}
		}
		return actedMsg{tag: tag, notice: notice, done: caseID}
	}
}

// The link's live feed has the hands over the person's session.
var _ ResultHands = (*link.Live)(nil)
