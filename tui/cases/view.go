package cases

import (
	"fmt"
	"strings"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/tui/common"
)

// View renders the screen.
func (m *Model) View() string {
	if m.det != nil && m.det.cs.Number != "" {
		return m.detailView()
	}
	s, t := m.c.Styles, m.c.T
	var b strings.Builder
	b.WriteString(s.Title.Render(t.S("cases.title")) + "\n")
	m.query.Width = max(10, m.width-len([]rune(m.query.Prompt))-2)
	b.WriteString(m.query.View() + "\n")
	f := t.S("state.all")
	if st := filters[m.filter]; st != "" {
		f = t.S("state." + string(st))
	}
	b.WriteString(s.Label.Render(t.S("cases.filter")+" ") + s.Selected.Render("["+f+"]") + s.Muted.Render("  "+t.S("cases.filter_hint")) + "\n")
	widths := []int{22, 15, 10, max(10, m.width-22-15-10-3)}
	b.WriteString(s.Header.Render(common.Columns(widths, "  "+t.S("cases.col_number"), t.S("cases.col_state"), t.S("cases.col_due"), t.S("cases.col_visitor"))) + "\n")
	rows := m.height - 6
	m.cur.SetHeight(rows)
	if m.loaded && len(m.rows) == 0 {
		b.WriteString(s.Muted.Render("  "+t.S("cases.none")) + "\n")
		rows--
	}
	from, to := m.cur.Visible()
	today := m.c.Now().Format("2006-01-02")
	for i := from; i < to; i++ {
		r := m.rows[i]
		mark := "  "
		if i == m.cur.Pos {
			mark = "› "
		}
		due := ""
		if d, err := domain.ParseDate(r.cs.Deadline); err == nil {
			due = t.Date(d)
		}
		line := common.Columns(widths, mark+r.cs.Number, t.S("state."+string(r.cs.State)), due, r.name)
		switch f := &s.Fast; {
		case i == m.cur.Pos:
			line = f.Selected.Render(line)
		case r.cs.Overdue(today):
			line = f.Error.Render(line)
		case r.cs.State == domain.CaseReady || r.cs.State == domain.CaseRefused:
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

func (m *Model) footer(b *strings.Builder) {
	s := m.c.Styles
	switch {
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
	cs := d.cs
	loc := m.c.Now().Location()
	var b strings.Builder
	b.WriteString(s.Title.Render(t.S("case.head", cs.Number)) + "  " + s.Strong.Render(t.S("state."+string(cs.State))) + "\n")
	lines := 1
	line := func(label, value string) {
		b.WriteString(s.Label.Render(common.Fit(label, 12)) + " " + common.Cut(value, m.width-13) + "\n")
		lines++
	}
	who := d.visitor.FullName
	if d.visitor.DocNumber != "" {
		who += " (" + t.S("doctype.short."+string(d.visitor.DocType)) + " " + d.visitor.DocNumber + ")"
	}
	line(t.S("case.visitor"), who)
	svc := cs.Service
	if sv, ok := m.c.Place.Catalog().Service(cs.Service); ok {
		svc = sv.Name(string(t.Lang))
	}
	line(t.S("case.service"), svc)
	when := t.S("case.opened", t.DateTime(cs.OpenedAt.In(loc)))
	if !cs.HandedOffAt.IsZero() {
		when += " · " + t.S("case.handed", t.DateTime(cs.HandedOffAt.In(loc)))
	}
	line(t.S("case.dates"), when)
	due := cs.Deadline
	if dd, err := domain.ParseDate(cs.Deadline); err == nil {
		due = t.Date(dd)
	}
	if cs.Overdue(m.c.Now().Format("2006-01-02")) {
		due += " " + t.S("case.overdue")
	}
	line(t.S("case.due"), due)
	presented := 0
	for _, r := range d.rows {
		if r.Presented {
			presented++
		}
	}
	docs := t.S("case.docs", presented, len(d.rows))
	if len(cs.Missing) > 0 {
		docs += "; " + t.S("case.missing", len(cs.Missing))
	}
	line(t.S("case.documents"), docs)
	// What the department asked the visitor to bring, its result's form,
	// its refusal's ground.
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
	if rc := cs.Receiver; rc != nil && cs.State == domain.CaseIssued {
		// Wrapped, not cut: the power of attorney is the point of it.
		for i, part := range strings.Split(common.Wrap(t.Receiver(*rc), max(10, m.width-13)), "\n") {
			label := ""
			if i == 0 {
				label = t.S("issue.received")
			}
			line(label, part)
		}
	}
	if cs.Note != "" {
		line(t.S("case.note"), cs.Note)
	}
	// A result not collected in time: where it went, or how long it is kept.
	switch {
	case cs.State == domain.CaseReturned:
		line(t.S("case.returned"), t.S("case.returned_val", t.Date(cs.ClosedAt.In(loc)), cs.ReturnReason))
	case cs.CollectBy != "" && cs.WaitsAtOffice():
		if dd, err := domain.ParseDate(cs.CollectBy); err == nil {
			line(t.S("case.kept"), t.S("case.kept_val", t.Date(dd), cs.CollectReason))
		}
	}
	if m.issue != nil {
		b.WriteString(s.Warning.Render(common.Cut(t.S("cases.issue_ask", cs.Number), m.width)) + "\n")
		for _, l := range m.issue.view(m.width) {
			b.WriteString(l + "\n")
			lines++
		}
		for i := lines + 2; i < m.height; i++ {
			b.WriteByte('\n')
		}
		switch {
		case m.busy:
			b.WriteString(s.Muted.Render(t.S("loading")))
		case m.issue.err != "":
			b.WriteString(s.Error.Render(common.Cut(m.issue.err, m.width)))
		default:
			b.WriteString(s.Muted.Render(common.Cut(t.S("issue.hint"), m.width)))
		}
		return b.String()
	}
	b.WriteString(s.Subtitle.Render(t.S("case.history")) + "\n")
	lines++
	room := m.height - lines - 2
	if m.cancel {
		room -= 2
	}
	m.hist.SetHeight(max(1, room))
	from, to := m.hist.Visible()
	for i := from; i < to; i++ {
		ev := d.events[i]
		text := common.Fit(t.DateTime(ev.At.In(loc)), 17) + " " + common.Fit(ev.Actor, 10) + " " + m.describe(ev)
		b.WriteString(s.Row.Render(common.Cut(text, m.width)) + "\n")
	}
	for i := to - from; i < room; i++ {
		b.WriteByte('\n')
	}
	if m.cancel {
		b.WriteString(s.Warning.Render(common.Cut(t.S("cases.cancel_ask", cs.Number), m.width)) + "\n")
		m.note.Width = max(10, m.width-len([]rune(m.note.Prompt))-2)
		b.WriteString(m.note.View() + "\n")
	}
	if cs.State == domain.CaseDraft && !m.cancel && !m.busy && m.err == "" && m.notice == "" {
		b.WriteString(s.Muted.Render(common.Cut(t.S("cases.draft_hint"), m.width)))
	}
	m.footer(&b)
	return b.String()
}

// describe says what an event did, in the clerk's words.
func (m *Model) describe(ev domain.Event) string {
	t := m.c.T
	lang := string(t.Lang)
	p, err := ev.DecodePayload()
	if err != nil {
		return string(ev.Kind)
	}
	docName := func(code string) string {
		for _, r := range m.det.rows {
			if r.Code == code {
				return r.Name(lang)
			}
		}
		return code
	}
	switch p := p.(type) {
	case *domain.CaseOpenedPayload:
		return t.S("ev.opened")
	case *domain.DocumentPayload:
		if !p.Presented {
			return t.S("ev.doc_not", docName(p.Doc))
		}
		s := t.S("ev.doc", docName(p.Doc), t.S("form."+string(p.Form)), p.Count)
		if p.Barcode != "" {
			s += " " + t.S("ev.scanned")
		}
		return s
	case *domain.AttachmentPayload:
		return t.S("ev.attachment", p.Name, docName(p.Doc))
	case *domain.HandOffPayload:
		if len(p.Missing) > 0 {
			return t.S("ev.handed_missing", len(p.Missing), p.MissingReason)
		}
		return t.S("ev.handed")
	case *domain.StatusPayload:
		return strings.TrimSpace(t.S("ev.status", t.S("state."+string(p.Status))) + " " + p.Note)
	case *domain.ReturnPayload:
		return t.S("ev.returned", p.Reason)
	case *domain.CollectPayload:
		day := p.CollectBy
		if d, err := domain.ParseDate(day); err == nil {
			day = t.Date(d)
		}
		return t.S("ev.collect", day, p.Reason)
	case *domain.NotePayload:
		return strings.TrimSpace(t.S("ev.withdrawn") + " " + p.Note)
	case *domain.IssuePayload:
		s := t.S("ev.issued")
		if p.Receiver != nil {
			s += ": " + t.Receiver(*p.Receiver)
		}
		return strings.TrimSpace(s + " " + p.Note)
	}
	return fmt.Sprint(ev.Kind)
}
