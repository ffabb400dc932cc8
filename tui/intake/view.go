package intake

import (
	"strings"

	"github.com/okno-mfc/okno/tui/common"
)

// View renders the screen.
func (m *Model) View() string {
	s, t := m.c.Styles, m.c.T
	var b strings.Builder
	switch m.mode {
	case modeForm:
		b.WriteString(s.Title.Render(t.S("intake.new_title")) + "\n\n")
		b.WriteString(m.form.view(m.width) + "\n\n")
		if m.discard {
			b.WriteString(s.Warning.Render(common.Wrap(t.S("intake.discard_ask"), m.width)))
			return b.String()
		}
		m.footer(&b, t.S("intake.form_hint"))
		return b.String()
	case modeDup:
		b.WriteString(s.Title.Render(t.S("intake.new_title")) + "\n\n")
		d := m.dups[0]
		body := t.S("intake.dup", d.FullName, t.S("doctype."+string(d.DocType))+" "+d.DocNumber)
		if d.Field != "doc_number" {
			name := t.S("field.id." + d.Field)
			body = t.S("intake.dup_id", name, d.FullName, name, d.Value)
		}
		body += "\n\n" + t.S("intake.dup_keys")
		b.WriteString(s.Alert.Render(common.Wrap(body, min(72, m.width-4))))
		return b.String()
	}
	b.WriteString(s.Title.Render(t.S("intake.title")) + "\n")
	m.query.Width = max(10, m.width-len([]rune(m.query.Prompt))-2)
	b.WriteString(m.query.View() + "\n\n")
	nameW := max(16, m.width*2/5)
	docW := max(12, m.width-nameW-16-4)
	widths := []int{nameW, docW, 16}
	b.WriteString(s.Header.Render(common.Columns(widths, "  "+t.S("field.full_name"), t.S("field.doc_type"), t.S("field.phone"))) + "\n")
	rows := m.height - 6
	m.cur.SetHeight(rows)
	switch {
	case strings.TrimSpace(m.query.Value()) == "":
		b.WriteString(s.Muted.Render(common.Wrap(t.S("intake.start_typing"), m.width)) + "\n")
		rows--
	case len(m.hits) == 0 && m.hitsFor == m.query.Value():
		b.WriteString(s.Muted.Render(common.Wrap(t.S("intake.nobody"), m.width)) + "\n")
		rows--
	}
	from, to := m.cur.Visible()
	for i := from; i < to; i++ {
		h := m.hits[i]
		mark := "  "
		if i == m.cur.Pos {
			mark = "› "
		}
		line := common.Columns(widths, mark+h.FullName, t.S("doctype.short."+string(h.DocType))+" "+h.DocNumber, h.Phone)
		if i == m.cur.Pos {
			b.WriteString(s.Fast.Selected.Render(line) + "\n")
		} else {
			b.WriteString(s.Fast.Row.Render(line) + "\n")
		}
		rows--
	}
	for ; rows > 0; rows-- {
		b.WriteByte('\n')
	}
	switch {
	case m.asking != nil:
		b.WriteString(s.Warning.Render(common.Cut(t.S("intake.consent_asked", m.asking.FullName), m.width)))
	case m.note != "" && !m.busy:
		b.WriteString(s.OK.Render(common.Cut(m.note, m.width)))
	default:
		m.footer(&b, "")
	}
	return b.String()
}

func (m *Model) footer(b *strings.Builder, hint string) {
	s := m.c.Styles
	switch {
	case m.busy:
		b.WriteString(s.Muted.Render(m.c.T.S("loading")))
	case m.err != "":
		b.WriteString(s.Error.Render(common.Cut(m.err, m.width)))
	case hint != "":
		b.WriteString(s.Muted.Render(common.Wrap(hint, m.width)))
	}
}
