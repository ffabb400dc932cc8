package supervisor

import (
	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/tui/common"
)

// quarantineRows is the attention list's part of the events the central
// kept out of the windows' chains (api.Attention.Quarantined, issue 11):
// a hash or signature that does not verify with the window's key, none,
// a seq another event holds. One line per window, problem and sender:
// how many, when (the first and the latest), and the reason given. They
// are a supervisor's to look into: someone may be forging events, or a
// workstation's key changed with events still to send. Nothing kept
// apart, no heading.
func (m *Model) quarantineRows(a *api.Attention, w int) []string {
	s, t := m.c.Styles, m.c.T
	if a.QuarantinedTotal == 0 && len(a.Quarantined) == 0 {
		return nil // rare: the heading shows only when there is something to look into
	}
	days := int(a.At.Sub(a.RejectedSince).Hours()/24 + 0.5)
	rows := []string{"", s.Error.Render(common.Cut(t.S("sup.quar.title", days, a.QuarantinedTotal), w))}
	for _, g := range a.Quarantined {
		when := m.clock(g.Last)
		if g.Count > 1 && !g.First.IsZero() && m.clock(g.First) != when {
			when = m.clock(g.First) + "–" + when
		}
		problem := g.Problem
		if k := "sup.quar.problem." + g.Problem; t.Has(k) {
			problem = t.S(k)
		}
		line := t.S("sup.quar.row", g.Window, t.N("sup.quar.events", g.Count), problem, g.SentBy, when)
		if g.Reason != "" {
			line += " · " + g.Reason
		}
		rows = append(rows, "  "+common.Cut(line, max(1, w-2)))
	}
	if len(a.Quarantined) > 0 {
		rows = append(rows, s.Muted.Render("  "+common.Cut(t.S("sup.quar.hint"), max(1, w-2))))
	}
	return rows
}
