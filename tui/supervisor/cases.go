package supervisor

import (
	"time"

	"github.com/charmbracelet/lipgloss"

	"github.com/okno-mfc/okno/tui/common"
)

// casesBlock lists what needs attention: cases overdue at the department,
// results not collected, events the central rejected.
func (m *Model) casesBlock(w int) block {
	s, t := m.c.Styles, m.c.T
	var b block
	a := m.attention
	if a == nil {
		b.rows = append(b.rows, s.Muted.Render(t.S("sup.cases.loading")))
		return b
	}
	now := m.c.Now()
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	// number · how late (or since when ready) · service · (wide) state
	type caseRow struct{ number, when, service, state string }
	var overdue, unclaimed []caseRow
	whenW := 0
	for _, c := range a.Overdue {
		late := "—"
		deadline := c.Deadline
		if d, err := time.ParseInLocation(time.DateOnly, c.Deadline, now.Location()); err == nil {
			late = t.N("sup.days", int(today.Sub(d).Hours()/24))
			deadline = t.Date(d)
		}
		r := caseRow{"  " + c.Number, t.S("sup.cases.late", deadline, late), m.serviceName(c.Service), t.S("state." + string(c.State))}
		whenW = max(whenW, lipgloss.Width(r.when))
		overdue = append(overdue, r)
	}
	focus := m.section == secCases
	for i, c := range a.Unclaimed {
		since := c.ReadyAt
		if since.IsZero() {
			since = c.UpdatedAt
		}
		days := t.N("sup.days", int(now.Sub(since).Hours()/24))
		when := t.S("sup.cases.ready", t.Date(m.local(since)), days)
		if d, err := time.ParseInLocation(time.DateOnly, c.CollectBy, now.Location()); err == nil {
			when = t.S("sup.cases.kept", t.Date(d))
		}
		mark := "  "
		if focus && i == m.selected(secCases) {
			mark = "▸ "
		}
		r := caseRow{mark + c.Number, when, m.serviceName(c.Service), ""}
		whenW = max(whenW, lipgloss.Width(r.when))
		unclaimed = append(unclaimed, r)
	}
	widths := []int{22, min(whenW, max(16, w-22-12)), 0}
	widths[2] = max(8, w-widths[0]-widths[1]-2)
	wideState := widths[2] >= 40
	if wideState {
		widths[2] -= 15
		widths = append(widths, 14)
	}
	format := func(rs []caseRow) []string {
		var out []string
		for _, r := range rs {
			cells := []string{r.number, r.when, r.service}
			if wideState {
				cells = append(cells, r.state)
			}
			out = append(out, common.Columns(widths, cells...))
		}
		return out
	}
	list := func(title string, total, shown int, style lipgloss.Style, rows []string) {
		b.rows = append(b.rows, style.Render(common.Cut(title, w)))
		if total == 0 {
			b.rows = append(b.rows, s.Muted.Render("  "+t.S("sup.cases.none")))
		}
		b.rows = append(b.rows, rows...)
		if total > shown {
			b.rows = append(b.rows, s.Muted.Render("  "+t.S("sup.cases.more", total-shown)))
		}
	}
	style := s.Strong
	if a.OverdueTotal > 0 {
		style = s.Error
	}
	list(t.S("sup.cases.overdue", a.OverdueTotal), a.OverdueTotal, len(a.Overdue), style, format(overdue))
	style = s.Strong
	if a.UnclaimedTotal > 0 {
		style = s.Warning
	}
	b.rows = append(b.rows, "")
	if focus && len(a.Unclaimed) > 0 {
		b.sel = len(b.rows) + 1 + m.selected(secCases) // under the list's title
	}
	list(t.S("sup.cases.unclaimed", a.UnclaimedTotal), a.UnclaimedTotal, len(a.Unclaimed), style, format(unclaimed))
	if focus && m.results != nil && len(a.Unclaimed) > 0 {
		b.rows = append(b.rows, s.Muted.Render(common.Cut("  "+t.S("sup.cases.keys"), w)))
	}

	var rows []string
	for _, e := range a.Rejected {
		head := t.S("sup.cases.event", e.Window, e.Seq, e.Kind, m.clock(e.At))
		rows = append(rows, "  "+common.Cut(head+" · "+e.Reason, w-2))
	}
	style = s.Strong
	if a.RejectedTotal > 0 {
		style = s.Error
	}
	days := int(a.At.Sub(a.RejectedSince).Hours()/24 + 0.5)
	b.rows = append(b.rows, "")
	list(t.S("sup.cases.rejected", days, a.RejectedTotal), a.RejectedTotal, len(a.Rejected), style, rows)
	b.rows = append(b.rows, m.quarantineRows(a, w)...)
	return b
}
