package supervisor

import (
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"

	"github.com/okno-mfc/okno/tui/common"
)

// Wide layouts show every section at once.
const (
	wideWidth  = 120
	wideHeight = 36
)

// block is a section's text: head lines that stay, rows that scroll.
type block struct {
	head []string
	rows []string
	sel  int // the row under the cursor, kept in view; -1 or 0 when none
}

// View renders the screen: the title with the stream's state, the alert or
// the summary, then the sections (tabs when narrow, all when wide).
func (m *Model) View() string {
	w, h := max(20, m.width), max(4, m.height)
	lines := []string{m.titleLine(w), m.alertLine(w)}
	body := h - 2
	var prompt []string
	if m.act != nil {
		prompt = m.actionView(w)
		body -= len(prompt) + 1
	}
	switch {
	case m.picker != nil:
		lines = append(lines, "", m.picker.view(min(w, 60), body-1, m.listErr))
	case m.office == "":
		lines = append(lines, "", m.c.Styles.Muted.Render(m.c.T.S("sup.choose_office")))
	case m.snap == nil && m.failed == nil:
		lines = append(lines, "", m.c.Styles.Muted.Render(common.Cut(m.c.T.S("sup.waiting_first"), w)))
	case m.wide():
		lines = append(lines, m.dashboard(w, body)...)
	default:
		lines = append(lines, m.tabBar(w))
		lines = append(lines, m.frame(m.section, w, body-1)...)
	}
	if prompt != nil {
		top := strings.Split(common.Lines(strings.Join(lines, "\n"), h-len(prompt)-1), "\n")
		lines = append(append(top, ""), prompt...)
	}
	return common.Lines(strings.Join(lines, "\n"), h)
}

func (m *Model) wide() bool { return m.width >= wideWidth && m.height >= wideHeight }

// titleLine is the office on the left and the stream's state on the right.
func (m *Model) titleLine(w int) string {
	s, t := m.c.Styles, m.c.T
	left := s.Title.Render(t.S("sup.title", m.officeName()))
	var right string
	switch {
	case m.failed != nil:
		right = s.Error.Render(t.S("sup.lost_short"))
	case m.lost != nil:
		right = s.Warning.Render(t.S("sup.lost_short"))
	case m.connected && m.snap != nil:
		right = s.OK.Render(t.S("sup.live", m.local(m.snap.At).Format("15:04:05")))
	default:
		right = s.Muted.Render(t.S("sup.connecting"))
	}
	gap := w - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		return common.Cut(left+" "+right, w)
	}
	return left + strings.Repeat(" ", gap) + right
}

// alertLine says the stream is lost (the picture is the last one) or the
// central refused; otherwise it sums the picture up.
func (m *Model) alertLine(w int) string {
	s, t := m.c.Styles, m.c.T
	switch {
	case m.actErr != "":
		return s.Error.Render(common.Cut(m.actErr, w))
	case m.notice != "":
		return s.OK.Render(common.Cut("✓ "+m.notice, w))
	case m.failed != nil:
		return s.Error.Render(common.Cut(t.S("sup.failed", m.c.Err(m.failed)), w))
	case m.lost != nil:
		last := "—"
		if m.snap != nil {
			last = m.local(m.snap.At).Format("15:04:05")
		}
		return s.Error.Render(common.Cut(t.S("sup.lost", m.local(m.lostAt).Format("15:04:05"), last), w))
	case m.snap == nil:
		return ""
	}
	c := computeCapacity(m.snap, m.cat, m.opts.TargetShare)
	past := 0
	now := m.c.Now()
	for _, tk := range m.snap.Waiting {
		if m.pastNorm(tk.Service, now.Sub(tk.IssuedAt)) {
			past++
		}
	}
	line := s.Text.Render(t.S("sup.summary", len(m.snap.Waiting), past, c.open, c.total, c.needed))
	if c.needed > c.open {
		line = s.Error.Bold(true).Render(t.N("sup.cap.more", c.needed-c.open)) + s.Text.Render(" · ") + line
	}
	return common.Cut(line, w)
}

// tabBar names the sections, the active one marked.
func (m *Model) tabBar(w int) string {
	s := m.c.Styles
	var parts []string
	for i := range nSections {
		name := m.tabName(i)
		if i == m.section {
			parts = append(parts, s.Selected.Render("["+name+"]"))
		} else {
			parts = append(parts, s.Muted.Render(" "+name+" "))
		}
	}
	return common.Cut(strings.Join(parts, " "), w)
}

func (m *Model) tabName(i int) string {
	t := m.c.T
	n := func(k int) string { return string(rune('1'+k)) + " " }
	switch i {
	case secWindows:
		return n(i) + t.S("sup.tab.windows", m.count(i))
	case secWaiting:
		return n(i) + t.S("sup.tab.waiting", m.count(i))
	case secToday:
		return n(i) + t.S("sup.tab.today")
	case secCapacity:
		return n(i) + t.S("sup.tab.capacity")
	}
	return n(i) + t.S("sup.tab.cases", m.count(i))
}

// count is the number a tab shows.
func (m *Model) count(sec int) int {
	switch {
	case sec == secCases && m.attention != nil:
		a := m.attention
		return a.OverdueTotal + a.UnclaimedTotal + a.RejectedTotal + a.QuarantinedTotal
	case m.snap == nil:
		return 0
	case sec == secWindows:
		return len(m.snap.Windows)
	case sec == secWaiting:
		return len(m.snap.Waiting)
	}
	return 0
}

// frame renders section sec as exactly h lines of width w, scrolled.
func (m *Model) frame(sec, w, h int) []string {
	if h <= 0 {
		return nil
	}
	b := m.render(sec, w)
	out := make([]string, 0, h)
	for _, l := range b.head {
		if len(out) < h {
			out = append(out, l)
		}
	}
	room := h - len(out)
	off := max(0, min(m.scroll[sec], len(b.rows)-room))
	if m.selectable(sec) {
		// The cursor stays in view, above the "more below" line.
		off = max(0, min(b.sel-room+2, len(b.rows)-room))
	}
	rows := b.rows[off:]
	if len(rows) > room && room > 0 {
		more := m.c.Styles.Muted.Render(m.c.T.S("sup.more_below", len(rows)-room+1))
		rows = append(rows[:room-1:room-1], more)
	}
	for _, r := range rows {
		if len(out) < h {
			out = append(out, r)
		}
	}
	for i := range out {
		out[i] = common.Fit(out[i], w)
	}
	for len(out) < h {
		out = append(out, strings.Repeat(" ", w))
	}
	return out
}

// sectionLen is how many rows section sec scrolls through.
func (m *Model) sectionLen(sec int) int { return len(m.render(sec, max(20, m.width)).rows) }

// render builds section sec at width w.
func (m *Model) render(sec, w int) block {
	if m.snap == nil {
		return block{}
	}
	switch sec {
	case secWindows:
		return m.windowsBlock(w)
	case secWaiting:
		return m.waitingBlock(w)
	case secToday:
		return m.todayBlock(w)
	case secCapacity:
		return m.capacityBlock(w)
	}
	return m.casesBlock(w)
}

// dashboard lays every section out in two columns of h lines, each
// section as high as its text (within bounds), the last of a column taking
// the rest.
func (m *Model) dashboard(w, h int) []string {
	lw := w * 55 / 100
	rw := w - lw - 3
	need := func(sec, width int) int {
		b := m.render(sec, width)
		return 1 + len(b.head) + len(b.rows)
	}
	clamp := func(n, lo, hi int) int { return max(lo, min(n, hi)) }
	winH := clamp(need(secWindows, lw), 4, h*2/3)
	left := append(m.titled(secWindows, lw, winH), m.titled(secWaiting, lw, h-winH)...)
	todayH := clamp(need(secToday, rw), 4, h/2)
	capH := clamp(need(secCapacity, rw), 4, max(4, (h-todayH)*2/3))
	right := append(m.titled(secToday, rw, todayH), m.titled(secCapacity, rw, capH)...)
	right = append(right, m.titled(secCases, rw, h-todayH-capH)...)
	sep := m.c.Styles.Muted.Render(" │ ")
	out := make([]string, h)
	for i := range out {
		out[i] = left[i] + sep + right[i]
	}
	return out
}

// titled is a section with its title line (marked when it has the focus)
// in exactly h lines.
func (m *Model) titled(sec, w, h int) []string {
	s := m.c.Styles
	name := m.tabName(sec)
	title := s.Subtitle.Render("  " + name)
	if sec == m.section {
		title = s.Title.Render("▸ " + name)
	}
	return append([]string{common.Fit(title, w)}, m.frame(sec, w, h-1)...)
}

// local is t in the clock's zone.
func (m *Model) local(t time.Time) time.Time { return t.In(m.c.Now().Location()) }
