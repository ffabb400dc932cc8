package desk

import (
	"strconv"
	"strings"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/link"
	"github.com/okno-mfc/okno/tui/common"
)

// View renders the inbox, or the case shown.
func (m *Model) View() string {
	s, t := m.c.Styles, m.c.T
	if m.api == nil {
		return s.Title.Render(t.S("desk.title")) + "\n\n" + s.Error.Render(common.Wrap(t.S("desk.offline"), m.width)) + "\n"
	}
	if m.det != nil {
		return m.detailView()
	}
	var b strings.Builder
	overdue := 0
	for _, c := range m.all {
		if _, late := m.left(c); late {
			overdue++
		}
	}
	title := s.Title.Render(t.S("desk.title"))
	if m.loaded {
		title += "  " + s.Muted.Render(t.S("desk.count", len(m.all), overdue))
	}
	b.WriteString(title + "\n")
	all := t.S("desk.all")
	or := func(v string) string {
		if v == "" {
			return all
		}
		return v
	}
	svc := chosen(m.services(), m.fService)
	if sv, ok := m.c.Place.Catalog().Service(svc); ok {
		svc = sv.Name(string(t.Lang))
	}
	st := chosen(m.states(), m.fState)
	if st != "" {
		st = t.S("state." + st)
	}
	filters := s.Label.Render(t.S("desk.filter")+" ") +
		s.Selected.Render("["+t.S("desk.f_office", or(chosen(m.offices(), m.fOffice)))+"]") + " " +
		s.Selected.Render("["+common.Cut(t.S("desk.f_service", or(svc)), 30)+"]") + " " +
		s.Selected.Render("["+t.S("desk.f_state", or(st))+"]")
	b.WriteString(common.Cut(filters, m.width) + "\n")
	widths := []int{22, max(10, m.width-22-15-12-3), 15, 12}
	b.WriteString(s.Header.Render(common.Columns(widths, "  "+t.S("desk.col_number"), t.S("desk.col_service"), t.S("desk.col_state"), t.S("desk.col_left"))) + "\n")
	rows := m.height - 4
	m.cur.SetHeight(rows)
	if m.loaded && len(m.rows) == 0 {
		b.WriteString(s.Muted.Render("  "+t.S("desk.none")) + "\n")
		rows--
	}
	from, to := m.cur.Visible()
	for i := from; i < to; i++ {
		c := m.all[m.rows[i]]
		mark := "  "
		if i == m.cur.Pos {
			mark = "› "
		}
		name := c.Service
		if sv, ok := m.c.Place.Catalog().Service(c.Service); ok {
			name = sv.Name(string(t.Lang))
		}
		left, late := m.left(c)
		line := common.Columns(widths, mark+c.Number, name, t.S("state."+string(c.State)), left)
		switch f := &s.Fast; {
		case i == m.cur.Pos:
			line = f.Selected.Render(line)
		case late:
			line = f.Error.Render(line)
		case c.State == domain.CaseReady || c.State == domain.CaseRefused:
			line = f.OK.Render(line)
		default:
			line = f.Row.Render(line)
		}
		b.WriteString(line + "\n")
		rows--
	}
	for ; rows > 0; rows-- {
		b.WriteByte('\n')
	}
	m.footer(&b)
	return b.String()
}

// left is the working days left to a case's deadline, as the inbox shows
// it, and whether the case is overdue: only while the department decides
// it (a case waiting for documents is paused).
func (m *Model) left(c domain.CaseView) (string, bool) {
	t := m.c.T
	switch c.State {
	case domain.CaseSubmitted, domain.CaseAccepted, domain.CaseInWork:
	case domain.CaseMoreDocs:
		return t.S("desk.paused"), false
	default:
		return t.S("none"), false
	}
	d, err := domain.ParseDate(c.Deadline)
	if err != nil {
		return t.S("none"), false
	}
	n := calendarOf(m.c).WorkingDaysBetween(m.c.Now(), d)
	switch {
	case n > 0:
		return t.S("desk.left", n), false
	case n == 0 && c.Deadline >= m.c.Now().Format("2006-01-02"):
		return t.S("desk.today"), false
	case n == 0: // past, over days off only
		return t.S("desk.overdue", 0), true
	}
	return t.S("desk.overdue", -n), true
}

func (m *Model) footer(b *strings.Builder) {
	s := m.c.Styles
	switch {
	case m.c.Status.State == link.Offline:
		b.WriteString(s.Error.Render(common.Cut(m.c.T.S("desk.link_down"), m.width)))
	case m.busy:
		b.WriteString(s.Muted.Render(m.c.T.S("loading")))
	case m.err != "":
		b.WriteString(s.Error.Render(common.Cut(m.err, m.width)))
	case m.notice != "":
		b.WriteString(s.Notice.Render(common.Cut(m.notice, m.width)))
	}
}

func (m *Model) detailView() string {
	s, t := m.c.Styles, m.c.T
	d := m.det
	cs := d.d.Case
	loc := m.c.Now().Location()
	var b strings.Builder
	b.WriteString(s.Title.Render(t.S("case.head", cs.Number)) + "  " + s.Strong.Render(t.S("state."+string(cs.State))) + "\n")
	lines := 1
	line := func(label, value string) {
		b.WriteString(s.Label.Render(common.Fit(label, 12)) + " " + common.Cut(value, m.width-13) + "\n")
		lines++
	}
	svc := cs.Service
	if sv, ok := m.c.Place.Catalog().Service(cs.Service); ok {
		svc = sv.Name(string(t.Lang))
	}
	line(t.S("case.service"), svc)
	handed := t.S("none")
	if !cs.HandedOffAt.IsZero() {
		handed = t.DateTime(cs.HandedOffAt.In(loc))
	}
	line(t.S("desk.office"), cs.Office+" · "+t.S("desk.handed")+" "+handed)
	due := cs.Deadline
	if dd, err := domain.ParseDate(cs.Deadline); err == nil {
		due = t.Date(dd)
	}
	left, _ := m.left(cs)
	if left != t.S("none") {
		due += " (" + left + ")"
	}
	line(t.S("desk.due"), due)
	if cs.ExtendedBasis != "" {
		line(t.S("desk.extended"), cs.ExtendedBasis)
	}
	if len(cs.Requested) > 0 {
		req := strings.Join(cs.Requested, "; ")
		if dd, err := domain.ParseDate(cs.RequestedDue); err == nil {
			req += " — " + t.S("deadline.until", t.Date(dd))
		}
		line(t.S("desk.requested"), req)
	}
	if cs.Result != "" {
		line(t.S("desk.result"), t.S("desk.result."+string(cs.Result)))
	}
	if cs.Ground != "" {
		line(t.S("desk.ground"), cs.Ground)
	}
	if cs.Note != "" {
		line(t.S("case.note"), cs.Note)
	}
	tabs := []string{t.S("desk.sec_checklist"), t.S("desk.sec_files", len(d.files)), t.S("desk.sec_history")}
	var tb strings.Builder
	for i, name := range tabs {
		if i == d.section {
			tb.WriteString(s.Selected.Render("[" + name + "]"))
		} else {
			tb.WriteString(s.Muted.Render(" " + name + " "))
		}
		tb.WriteString(" ")
	}
	b.WriteString(common.Cut(tb.String(), m.width) + "\n")
	lines++
	var formLines []string
	if m.form != nil {
		formLines = m.form.view(m.width)
	}
	room := m.height - lines - 1 - len(formLines)
	body := m.sectionLines()
	d.cur.SetHeight(max(1, room))
	from, to := d.cur.Visible()
	shown := 0
	for i := from; i < to && shown < room; i++ {
		text := common.Cut(body[i], m.width-2)
		if i == d.cur.Pos && d.section != secChecklist {
			b.WriteString(s.Fast.Selected.Render("› "+text) + "\n")
		} else {
			b.WriteString(s.Fast.Row.Render("  "+text) + "\n")
		}
		shown++
	}
	if len(body) == 0 && room > 0 {
		b.WriteString(s.Muted.Render("  "+t.S("desk.no_files")) + "\n")
		shown++
	}
	for ; shown < room; shown++ {
		b.WriteByte('\n')
	}
	for _, l := range formLines {
		b.WriteString(l + "\n")
	}
	m.footer(&b)
	return b.String()
}

// sectionLines are the lines of the section shown.
func (m *Model) sectionLines() []string {
	t, d := m.c.T, m.det
	loc := m.c.Now().Location()
	var out []string
	switch d.section {
	case secChecklist:
		for _, r := range d.checks {
			state := t.S("desk.not_presented")
			if r.presented {
				state = t.S("desk.presented", t.S("form."+string(r.form)), max(1, r.count))
			}
			mark := "✓"
			if !r.presented {
				mark = "·"
				if r.need == domain.Required {
					mark = "✗"
				}
			}
			need := ""
			if r.known {
				need = " (" + t.S("need."+string(r.need)) + ")"
			}
			out = append(out, mark+" "+r.name+need+" — "+state)
		}
		if d.why != "" {
			out = append(out, t.S("desk.missing_why", d.why))
		}
	case secFiles:
		for _, f := range d.files {
			out = append(out, safeName(f)+"  "+humanSize(f.Size))
		}
	default:
		for _, e := range d.d.History {
			out = append(out, common.Fit(t.DateTime(e.At.In(loc)), 17)+" "+common.Fit(e.Actor, 10)+" "+m.describe(e))
		}
	}
	return out
}

// describe says what an event of the history did.
func (m *Model) describe(e domain.Event) string {
	t := m.c.T
	p, err := e.DecodePayload()
	if err != nil {
		return string(e.Kind)
	}
	switch p := p.(type) {
	case *domain.StatusPayload:
		out := t.S("desk.ev.status", t.S("state."+string(p.Status)))
		for _, extra := range []string{strings.Join(p.Documents, "; "), p.Ground, p.Note} {
			if extra != "" {
				out += " — " + extra
			}
		}
		return out
	case *domain.DeadlinePayload:
		day := p.Deadline
		if dd, err := domain.ParseDate(day); err == nil {
			day = t.Date(dd)
		}
		return t.S("desk.ev.extended", day, p.Basis)
	case *domain.DocumentPayload:
		return t.S("desk.ev.document", p.Doc)
	case *domain.AttachmentPayload:
		return t.S("desk.ev.attachment", p.Name)
	case *domain.ReturnPayload:
		return t.S("desk.ev.returned", p.Reason)
	case *domain.CollectPayload:
		day := p.CollectBy
		if dd, err := domain.ParseDate(day); err == nil {
			day = t.Date(dd)
		}
		return t.S("desk.ev.collect", day, p.Reason)
	case *domain.CaseOpenedPayload:
		return t.S("desk.ev.opened")
	case *domain.HandOffPayload:
		return t.S("desk.ev.handed")
	case *domain.IssuePayload:
		if p.Receiver != nil {
			return t.S("desk.ev.issued") + ": " + t.Receiver(*p.Receiver)
		}
	}
	switch e.Kind {
	case domain.EvResultIssued:
		return t.S("desk.ev.issued")
	case domain.EvCaseWithdrawn:
		return t.S("desk.ev.withdrawn")
	default:
		return string(e.Kind)
	}
}

// humanSize prints a file's size in KiB or MiB.
func humanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return formatFloat(float64(n)/(1<<20)) + " MiB"
	case n >= 1<<10:
		return formatFloat(float64(n)/(1<<10)) + " KiB"
	}
	return formatInt(n) + " B"
}

func formatFloat(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

func formatInt(n int64) string { return strconv.FormatInt(n, 10) }
