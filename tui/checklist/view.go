package checklist

import (
	"fmt"
	"slices"
	"strings"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/tui/common"
)

// View renders the screen.
func (m *Model) View() string {
	s, t := m.c.Styles, m.c.T
	lang := string(t.Lang)
	var b strings.Builder
	b.WriteString(s.Title.Render(common.Cut(t.S("checklist.head", m.cs.Number, m.visitor.FullName), m.width)) + "\n")
	svcName := m.cs.Service
	if svc, ok := m.c.Place.Catalog().Service(m.cs.Service); ok {
		svcName = svc.Name(lang)
	}
	b.WriteString(s.Subtitle.Render(common.Cut(svcName, m.width)) + "\n")
	if !m.loaded {
		b.WriteString(s.Muted.Render(t.S("loading")))
		return b.String()
	}
	if m.asking {
		b.WriteString("\n" + m.askView())
		return b.String()
	}
	widths := m.widths()
	b.WriteString(s.Header.Render(common.Columns(widths, "      "+t.S("checklist.col_doc"), t.S("checklist.col_need"), t.S("checklist.col_form"), t.S("checklist.col_count"), "")) + "\n")
	rows := m.height - 6
	m.cur.SetHeight(rows)
	from, to := m.cur.Visible()
	for i := from; i < to; i++ {
		b.WriteString(m.row(m.rows[i], i == m.cur.Pos, widths) + "\n")
	}
	for i := to - from; i < rows; i++ {
		b.WriteByte('\n')
	}
	b.WriteString(m.detail() + "\n")
	m.scan.Width = max(10, m.width-len([]rune(m.scan.Prompt))-2)
	b.WriteString(m.scan.View() + "\n")
	switch {
	case m.busy:
		b.WriteString(s.Muted.Render(t.S("loading")))
	case m.err != "":
		b.WriteString(s.Error.Render(common.Cut(m.err, m.width)))
	case m.notice != "":
		b.WriteString(s.Notice.Render(common.Cut(m.notice, m.width)))
	default:
		b.WriteString(s.Muted.Render(common.Cut(m.summary(), m.width)))
	}
	return b.String()
}

func (m *Model) widths() []int {
	name := max(12, m.width-6-13-9-5-4-5)
	return []int{6 + name, 13, 9, 5, 4}
}

func (m *Model) row(r domain.ChecklistRow, selected bool, widths []int) string {
	s, t := &m.c.Styles.Fast, m.c.T
	box := "[ ]"
	if r.Presented {
		box = "[x]"
	}
	mark := "  "
	if selected {
		mark = "› "
	}
	form, count := t.S("form."+string(r.Form)), ""
	if r.Presented {
		count = fmt.Sprint(r.Count)
	}
	clip := ""
	if n := len(r.Attachments); n > 0 {
		clip = fmt.Sprintf("+%d", n)
	}
	line := common.Columns(widths, mark+box+" "+r.Name(string(t.Lang)), t.S("need."+string(r.Need)), form, count, clip)
	switch {
	case selected:
		return s.Selected.Render(line)
	case r.Presented:
		return s.OK.Render(line)
	case r.Need == domain.Required:
		return s.Row.Render(line)
	}
	return s.Dimmed.Render(line)
}

// detail is the row under the cursor in full, one line.
func (m *Model) detail() string {
	s, t := m.c.Styles, m.c.T
	if len(m.rows) == 0 {
		return ""
	}
	r := m.rows[m.cur.Pos]
	parts := []string{r.Name(string(t.Lang))}
	if r.Interagency {
		parts = append(parts, t.S("checklist.interagency"))
	}
	if r.Barcode != "" {
		parts = append(parts, t.S("checklist.barcode", r.Barcode))
	}
	if n := len(r.Attachments); n > 0 {
		parts = append(parts, t.S("checklist.files", n))
	}
	return s.Muted.Render(common.Cut(strings.Join(parts, " · "), m.width))
}

// missing lists the rows of the required documents not presented
// (domain.MissingDocuments), for the view.
func (m *Model) missing() []domain.ChecklistRow {
	codes := domain.MissingDocuments(m.rows)
	var out []domain.ChecklistRow
	for _, r := range m.rows {
		if slices.Contains(codes, r.Code) {
			out = append(out, r)
		}
	}
	return out
}

// summary counts what is presented and what required is missing.
func (m *Model) summary() string {
	n := 0
	for _, r := range m.rows {
		if r.Presented {
			n++
		}
	}
	return m.c.T.S("checklist.summary", n, len(m.rows), len(m.missing()))
}

func (m *Model) askView() string {
	s, t := m.c.Styles, m.c.T
	var b strings.Builder
	b.WriteString(s.Warning.Render(t.S("checklist.missing_title")) + "\n")
	for i, r := range m.missing() {
		if i >= m.height-10 {
			b.WriteString("  …\n")
			break
		}
		b.WriteString("  • " + common.Cut(r.Name(string(t.Lang)), m.width-10) + "\n")
	}
	m.reason.Width = max(10, m.width-len([]rune(m.reason.Prompt))-8)
	b.WriteString("\n" + m.reason.View() + "\n\n")
	b.WriteString(s.Muted.Render(common.Wrap(t.S("checklist.reason_keys"), m.width-8)))
	if m.err != "" {
		b.WriteString("\n" + s.Error.Render(m.err))
	}
	return s.Alert.Render(b.String())
}
