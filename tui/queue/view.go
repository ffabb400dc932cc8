package queue

import (
	"strings"
	"time"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/localdb"
	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/styles"
)

// View renders the screen.
func (m *Model) View() string {
	c, s, t := m.c, &m.c.Styles.Fast, m.c.T
	var b strings.Builder
	b.WriteString(s.Title.Render(t.S("queue.title")) + "\n")
	if m.panel != nil {
		b.WriteString(m.panel.view(m.width, m.height-1))
		return b.String()
	}
	if !m.loaded {
		b.WriteString(s.Muted.Render(t.S("loading")))
		return b.String()
	}
	if m.hasCur {
		cur := m.current
		line := t.S("queue.at_window", cur.Number) + " · " + m.serviceName(cur.Service) +
			" · " + t.S("queue.waited", waited(t.S, cur.Waited(c.Now())))
		b.WriteString(s.Strong.Render(common.Cut(line, m.width)) + "\n")
	} else if m.onBreak {
		b.WriteString(s.Strong.Render(common.Cut(t.S("queue.on_break", m.breakSince.Local().Format("15:04")), m.width)) + "\n")
	} else {
		b.WriteString(s.Muted.Render(common.Cut(t.S("queue.nobody_hint"), m.width)) + "\n")
	}
	if m.ask != nil {
		b.WriteString("\n" + m.c.Styles.Alert.Render(common.Wrap(m.ask.text, max(10, min(72, m.width-4)))))
		return b.String()
	}
	tabs := []string{t.S("queue.tab_waiting", len(m.waiting)), t.S("queue.tab_postponed", len(m.postponed))}
	for i, tab := range tabs {
		if i == m.tab {
			tabs[i] = s.Selected.Render("[" + tab + "]")
		} else {
			tabs[i] = s.Muted.Render(" " + tab + " ")
		}
	}
	b.WriteString(strings.Join(tabs, "  ") + "\n")
	widths := m.widths()
	b.WriteString(s.Header.Render(common.Columns(widths, "  "+t.S("queue.col_ticket"), t.S("queue.col_service"), t.S("queue.col_category"), t.S("queue.col_waits"))) + "\n")
	list := m.waiting
	if m.tab == tabPostponed {
		list = m.postponed
	}
	cur := &m.cur[m.tab]
	rows := m.height - 5
	cur.SetHeight(rows)
	from, to := cur.Visible()
	if len(list) == 0 {
		b.WriteString(s.Muted.Render("  "+t.S("queue.empty")) + "\n")
		rows--
	}
	now := c.Now()
	for i := from; i < to; i++ {
		b.WriteString(m.row(list[i], i == cur.Pos, widths, now) + "\n")
		rows--
	}
	for ; rows > 0; rows-- {
		b.WriteByte('\n')
	}
	switch {
	case len(m.scan) > 0:
		b.WriteString(s.Strong.Render(common.Cut(t.S("queue.scanning", string(m.scan)), m.width)))
	case m.err != "":
		b.WriteString(s.Error.Render(common.Cut(m.err, m.width)))
	case m.notice != "":
		b.WriteString(s.Notice.Render(common.Cut(m.notice, m.width)))
	}
	return b.String()
}

// widths are the columns' widths: the ticket's (the cursor's two and a
// number up to "АБВ-1234", a window's thousand: domain.IssuerNumber),
// the service's, the category's, how long it waited.
func (m *Model) widths() []int {
	svc := max(10, m.width-10-18-10-3)
	return []int{10, svc, 18, 10}
}

func (m *Model) row(tk localdb.Ticket, selected bool, widths []int, now time.Time) string {
	s, t := &m.c.Styles.Fast, m.c.T
	cat := ""
	if tk.Category != "" {
		cat = "★ " + tk.Category
		if c, ok := m.c.Place.Catalog().Category(tk.Category); ok {
			cat = "★ " + c.Name(string(t.Lang))
		}
	}
	svcName := m.serviceName(tk.Service)
	dim := false
	if svc, ok := m.c.Place.Catalog().Service(tk.Service); ok && !domain.CanServe(svc, m.c.Equipment) {
		dim = true
		svcName = "⚙ " + svcName
	}
	w := tk.Waited(now)
	mark := "  "
	if selected {
		mark = "› "
	}
	text := common.Columns(widths[:3], mark+tk.Number, svcName, cat)
	wait := common.Fit(waited(t.S, w), widths[3])
	var ws styles.Paint
	norm := time.Duration(m.c.Place.Catalog().WaitNorm(tk.Service)) * time.Minute
	switch {
	case w > norm:
		ws = s.Error
	case w*3 > norm*2:
		ws = s.Warning
	default:
		ws = s.Row
	}
	switch {
	case selected:
		return s.Selected.Render(text + " " + wait)
	case dim:
		return s.Dimmed.Render(text + " " + wait)
	}
	return s.Row.Render(text) + " " + ws.Render(wait)
}

func (m *Model) serviceName(code string) string {
	if svc, ok := m.c.Place.Catalog().Service(code); ok {
		return svc.Name(string(m.c.T.Lang))
	}
	return code
}

// waited prints a waiting time in minutes, or hours and minutes.
func waited(S func(string, ...any) string, d time.Duration) string {
	mins := int(d / time.Minute)
	if mins < 60 {
		return S("minutes", max(0, mins))
	}
	return S("hours_minutes", mins/60, mins%60)
}
