package supervisor

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/tui/common"
)

// flex is the width left for a flexible column after the fixed ones and
// the spaces between all of them.
func flex(w int, fixed ...int) int {
	n := w - len(fixed)
	for _, f := range fixed {
		n -= f
	}
	return max(8, n)
}

func (m *Model) windowsBlock(w int) block {
	s, t := m.c.Styles, m.c.T
	op := 12
	if w >= 100 {
		op = 18
	}
	// The ticket's column holds a window's number, "A-12001", "АБ-3017"
	// (domain.IssuerNumber).
	widths := []int{5, op, 11, 8, 0, 11, 6}
	widths[4] = flex(w, 5, op, 11, 8, 11, 6)
	b := block{head: []string{s.Header.Render(common.Columns(widths, t.S("sup.col.window"), t.S("sup.col.operator"),
		t.S("sup.col.state"), t.S("sup.col.ticket"), t.S("sup.col.service"), t.S("sup.col.for"), t.S("sup.col.served")))}}
	if len(m.snap.Windows) == 0 {
		b.rows = append(b.rows, s.Muted.Render(t.S("sup.no_windows")))
		return b
	}
	now := m.c.Now()
	focus := m.section == secWindows
	b.sel = -1
	for i, win := range m.snap.Windows {
		mark := " "
		if focus && i == m.selected(secWindows) {
			mark, b.sel = "▸", len(b.rows)
		}
		state := t.S("sup.state." + win.State)
		if !t.Has("sup.state." + win.State) {
			state = win.State
		}
		var st lipgloss.Style
		var since string
		switch win.State {
		case "serving":
			st, since = s.Strong, m.dur(now.Sub(win.Since))
		case "free":
			st = s.OK
			if !win.Since.IsZero() {
				since = m.dur(now.Sub(win.Since))
			}
		case "break":
			st, since = s.Warning, m.dur(now.Sub(win.Since))
		case "closed":
			st, since = s.Dimmed, m.dur(now.Sub(win.Since))
		default:
			st, since = s.Dimmed, t.S("sup.seen", m.clock(win.LastSeen))
		}
		service := ""
		if win.Service != "" {
			service = m.serviceName(win.Service)
		}
		row := s.Row.Render(common.Columns(widths[:2], fmt.Sprintf("%s%3d", mark, win.Window), win.Operator)) + " " +
			st.Render(common.Fit(state, widths[2])) + " " +
			s.Row.Render(common.Columns(widths[3:], win.Ticket, service, since, fmt.Sprintf("%5d", win.ServedToday)))
		b.rows = append(b.rows, row)
	}
	return b
}

func (m *Model) waitingBlock(w int) block {
	s, t := m.c.Styles, m.c.T
	prio := 14
	if w >= 100 {
		prio = 24
	}
	widths := []int{10, 0, prio, 6, 9} // the marks and a number up to "АБ-12001"
	widths[1] = flex(w, 10, prio, 6, 9)
	now := m.c.Now()
	var longest time.Duration
	past := 0
	for _, tk := range m.snap.Waiting {
		d := now.Sub(tk.IssuedAt)
		longest = max(longest, d)
		if m.pastNorm(tk.Service, d) {
			past++
		}
	}
	head := t.S("sup.waiting_head", len(m.snap.Waiting), past, m.dur(longest))
	b := block{head: []string{
		s.Strong.Render(common.Cut(head, w)),
		s.Header.Render(common.Columns(widths, "  "+t.S("sup.col.ticket"), t.S("sup.col.service"), t.S("sup.col.priority"),
			t.S("sup.col.to"), t.S("sup.col.waits"))),
	}}
	if len(m.snap.Waiting) == 0 {
		b.rows = append(b.rows, s.Muted.Render("  "+t.S("sup.nobody_waits")))
		return b
	}
	tickets := m.waitingList()
	focus := m.section == secWaiting
	b.sel = -1
	for i, tk := range tickets {
		if m.grouped && (i == 0 || tickets[i-1].Service != tk.Service) {
			b.rows = append(b.rows, m.groupHead(tickets, tk.Service, now, w))
		}
		d := now.Sub(tk.IssuedAt)
		mark, st := "  ", s.Row
		norm := m.norm(tk.Service)
		switch {
		case d > norm:
			mark, st = "! ", s.Error
		case d*3 > norm*2:
			st = s.Warning
		}
		to := ""
		if tk.Window > 0 {
			to = fmt.Sprint(tk.Window)
		}
		if focus && i == m.selected(secWaiting) {
			mark, b.sel = "▸"+mark[:1], len(b.rows)
		}
		b.rows = append(b.rows, st.Render(common.Columns(widths, mark+tk.Number, m.serviceName(tk.Service),
			m.priorityName(tk), to, m.dur(d))))
	}
	return b
}

// groupHead is the line over a service's tickets when grouped.
func (m *Model) groupHead(tickets []api.QueueTicket, service string, now time.Time, w int) string {
	n := 0
	var longest time.Duration
	for _, tk := range tickets {
		if tk.Service == service {
			n++
			longest = max(longest, now.Sub(tk.IssuedAt))
		}
	}
	line := m.c.T.S("sup.group_head", m.serviceName(service), n, m.dur(longest), int(m.norm(service)/time.Minute))
	return m.c.Styles.Subtitle.Render(common.Cut(line, w))
}

func (m *Model) todayBlock(w int) block {
	s, t := m.c.Styles, m.c.T
	f := m.snap.Today
	avg := func(sec float64) string {
		if sec <= 0 {
			return "—"
		}
		return m.secs(sec)
	}
	pct := func(p float64, n int) string {
		if n == 0 {
			return "—"
		}
		return fmt.Sprintf("%.0f %%", p)
	}
	label := min(22, max(12, (w-4)/2-10))
	pair := func(l1, v1, l2, v2 string) string {
		return common.Columns([]int{label, 9, label, 9}, l1, v1, l2, v2)
	}
	var b block
	b.rows = append(b.rows,
		pair(t.S("sup.fig.visitors"), fmt.Sprint(f.Visitors), t.S("sup.fig.avg_wait"), avg(f.AvgWaitSec)),
		pair(t.S("sup.fig.served"), fmt.Sprint(f.Served), t.S("sup.fig.max_wait"), avg(f.MaxWaitSec)),
		pair(t.S("sup.fig.no_shows"), fmt.Sprint(f.NoShows), t.S("sup.fig.within"), pct(f.WithinNormPct, f.Visitors)),
		pair(t.S("sup.fig.avg_service"), avg(f.AvgServiceSec), t.S("sup.fig.arrivals"), fmt.Sprint(f.ArrivalsLastHr)),
	)
	if m.day == nil {
		b.rows = append(b.rows, "", s.Muted.Render(common.Cut(t.S("sup.breakdown_wait"), w)))
		return b
	}
	widths := []int{0, 6, 6, 9, 10, 7}
	widths[0] = flex(w, 6, 6, 9, 10, 7)
	b.rows = append(b.rows, "", s.Subtitle.Render(t.S("sup.by_service")),
		s.Header.Render(common.Columns(widths, t.S("sup.col.service"), t.S("sup.col.visitors"), t.S("sup.col.served"),
			t.S("sup.col.avg_wait"), t.S("sup.col.avg_service"), t.S("sup.col.within"))))
	for _, sf := range m.day.Services {
		b.rows = append(b.rows, common.Columns(widths, m.serviceName(sf.Service), fmt.Sprintf("%5d", sf.Visitors),
			fmt.Sprintf("%5d", sf.Served), avg(sf.AvgWaitSec), avg(sf.AvgServiceSec), pct(sf.WithinNormPct, sf.Visitors)))
	}
	ow := []int{0, 9, 6, 10}
	ow[0] = flex(w, 9, 6, 10)
	b.rows = append(b.rows, "", s.Subtitle.Render(t.S("sup.by_operator")),
		s.Header.Render(common.Columns(ow, t.S("sup.col.operator"), t.S("sup.col.windows"), t.S("sup.col.served"), t.S("sup.col.avg_service"))))
	if len(m.day.Operators) == 0 {
		b.rows = append(b.rows, s.Muted.Render(t.S("sup.nobody_served")))
	}
	for _, o := range m.day.Operators {
		wins := make([]string, len(o.Windows))
		for i, n := range o.Windows {
			wins[i] = fmt.Sprint(n)
		}
		name := o.Operator
		if name == "" {
			name = "—"
		}
		b.rows = append(b.rows, common.Columns(ow, name, joinComma(wins), fmt.Sprintf("%5d", o.Served), avg(o.AvgServiceSec)))
	}
	m.ratingRows(&b, w)
	return b
}

// ratingRows adds today's ratings to the figures: the whole, then by
// window, service and clerk, with the share below 4.
func (m *Model) ratingRows(b *block, w int) {
	s, t := m.c.Styles, m.c.T
	r := m.day.Ratings
	b.rows = append(b.rows, "", s.Subtitle.Render(t.S("sup.ratings")))
	if r.Count == 0 {
		b.rows = append(b.rows, s.Muted.Render(t.S("sup.no_ratings")))
		return
	}
	b.rows = append(b.rows, common.Cut(t.S("sup.ratings_total", r.Count, r.Avg, r.Below4Pct), w))
	rw := []int{0, 7, 8, 8}
	rw[0] = flex(w, 7, 8, 8)
	b.rows = append(b.rows, s.Header.Render(common.Columns(rw, "", t.S("sup.col.rated"), t.S("sup.col.avg_rating"), t.S("sup.col.below4"))))
	row := func(name string, g api.RatingGroup) {
		st := lipgloss.NewStyle()
		if g.Below4Pct >= 50 {
			st = s.Error
		}
		b.rows = append(b.rows, st.Render(common.Columns(rw, name, fmt.Sprintf("%5d", g.Count), fmt.Sprintf("%6.1f", g.Avg), fmt.Sprintf("%5.0f %%", g.Below4Pct))))
	}
	for _, g := range r.Windows {
		n := 0
		fmt.Sscan(g.Key, &n)
		row(t.S("sup.rated.window", n), g)
	}
	for _, g := range r.Services {
		row(m.serviceName(g.Key), g)
	}
	for _, g := range r.Clerks {
		name := g.Key
		if name == "" {
			name = "—"
		}
		row(name, g)
	}
}

func (m *Model) capacityBlock(w int) block {
	s, t := m.c.Styles, m.c.T
	c := computeCapacity(m.snap, m.cat, m.opts.TargetShare)
	label := min(28, max(16, w/3))
	line := func(l, v string) string { return common.Columns([]int{label}, l, v) }
	service := m.secs(c.aht)
	if c.ahtFromNorm {
		service = t.S("sup.cap.service_norm", service)
	}
	var b block
	b.rows = append(b.rows,
		line(t.S("sup.cap.arrivals"), fmt.Sprint(c.arrivals)),
		line(t.S("sup.cap.service"), service),
		line(t.S("sup.cap.load"), t.S("sup.cap.erlangs", c.load)),
		line(t.S("sup.cap.norm"), t.S("sup.cap.norm_val", int(c.norm/time.Minute), c.target*100)),
		line(t.S("sup.cap.open"), t.S("sup.cap.open_val", c.open, c.serving, c.free, c.total)),
		line(t.S("sup.cap.needed"), fmt.Sprint(c.needed)),
	)
	switch {
	case c.arrivals == 0:
		b.rows = append(b.rows, s.Muted.Render("→ "+t.S("sup.cap.quiet")))
	case c.needed > c.open:
		b.rows = append(b.rows, s.Error.Bold(true).Render("→ "+t.N("sup.cap.more", c.needed-c.open)))
	case c.needed < c.open:
		b.rows = append(b.rows, s.OK.Render("→ "+t.S("sup.cap.enough")+" · "+t.S("sup.cap.spare", c.open-c.needed)))
	default:
		b.rows = append(b.rows, s.OK.Render("→ "+t.S("sup.cap.enough")))
	}
	if len(c.rows) == 0 {
		return b
	}
	widths := []int{8, 16, 22}
	b.rows = append(b.rows, "", s.Header.Render(common.Columns(widths, t.S("sup.col.windows"), t.S("sup.col.mean_wait"),
		t.S("sup.col.within_norm", int(c.norm/time.Minute)))))
	for _, r := range c.rows {
		wait := t.S("sup.cap.grows")
		if r.stable {
			wait = m.dur(r.wait)
			if r.wait < time.Minute {
				wait = t.S("sup.under_minute")
			}
		}
		mark := "  "
		if r.windows == c.needed {
			mark = "→ "
		}
		row := common.Columns(widths, fmt.Sprintf("%s%3d", mark, r.windows), wait, fmt.Sprintf("%3.0f %%", r.within*100))
		switch {
		case r.windows == c.open:
			row = s.Strong.Render(row)
		case r.within < c.target:
			row = s.Muted.Render(row)
		}
		b.rows = append(b.rows, row)
	}
	return b
}

// norm is a service's waiting norm.
func (m *Model) norm(service string) time.Duration {
	return time.Duration(m.cat.WaitNorm(service)) * time.Minute
}

// pastNorm reports whether a wait of d breaks the service's norm.
func (m *Model) pastNorm(service string, d time.Duration) bool { return d > m.norm(service) }

func (m *Model) serviceName(code string) string {
	if svc, ok := m.cat.Service(code); ok {
		return svc.Name(string(m.c.T.Lang))
	}
	return code
}

// priorityName is a waiting ticket's place: its privileged category, a
// supervisor's raise (a rank without a category), or a category lowered
// to the ordinary order.
func (m *Model) priorityName(tk api.QueueTicket) string {
	switch {
	case tk.Rank == domain.PrebookedRank && tk.Category == "":
		return m.c.T.S("sup.prio.booked")
	case tk.Rank > 0 && tk.Category == "":
		return m.c.T.S("sup.prio.raised")
	case tk.Rank == 0 && tk.Category != "":
		return "↓ " + strings.TrimPrefix(m.categoryName(tk.Category), "★ ")
	}
	return m.categoryName(tk.Category)
}

func (m *Model) categoryName(code string) string {
	if code == "" {
		return m.c.T.S("sup.ordinary")
	}
	if c, ok := m.cat.Category(code); ok {
		return "★ " + c.Name(string(m.c.T.Lang))
	}
	return "★ " + code
}

// dur prints a duration in minutes, or hours and minutes.
func (m *Model) dur(d time.Duration) string {
	t := m.c.T
	if d < time.Minute {
		return t.S("sup.under_minute")
	}
	mins := int(d / time.Minute)
	if mins < 60 {
		return t.S("minutes", mins)
	}
	return t.S("hours_minutes", mins/60, mins%60)
}

func (m *Model) secs(sec float64) string { return m.dur(time.Duration(sec * float64(time.Second))) }

// clock prints a moment: its time of day, with the date when not today.
func (m *Model) clock(at time.Time) string {
	if at.IsZero() {
		return "—"
	}
	now := m.c.Now()
	at = at.In(now.Location())
	if y, mo, d := at.Date(); y == now.Year() && mo == now.Month() && d == now.Day() {
		return at.Format("15:04")
	}
	return m.c.T.Date(at) + " " + at.Format("15:04")
}

func joinComma(xs []string) string {
	out := ""
	for i, x := range xs {
		if i > 0 {
			out += ","
		}
		out += x
	}
	return out
}
