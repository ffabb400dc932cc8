package service

import (
	"strings"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/tui/common"
)

// View renders the screen.
func (m *Model) View() string {
	s, t := m.c.Styles, m.c.T
	var b strings.Builder
	b.WriteString(s.Title.Render(common.Cut(t.S("service.for", m.visitor.FullName), m.width)) + "\n")
	if len(m.ready) > 0 && m.repeats == nil {
		b.WriteString(s.Warning.Render(common.Cut(t.S("service.ready", len(m.ready), m.ready[0].Number), m.width)) + "\n")
	}
	if m.repeats != nil {
		b.WriteString("\n" + m.repeatView())
		return b.String()
	}
	extra := 0
	if len(m.ready) > 0 {
		extra = 1
	}
	b.WriteString(m.pick.View(s, m.width, m.height-5-extra) + "\n")
	lines := strings.Count(b.String(), "\n")
	for ; lines < m.height-4; lines++ {
		b.WriteByte('\n')
	}
	if it, ok := m.pick.Selected(); ok {
		if svc, ok := m.c.Place.Catalog().Service(it.ID); ok {
			b.WriteString(m.detail(svc))
		}
	}
	b.WriteByte('\n')
	switch {
	case m.busy:
		b.WriteString(s.Muted.Render(t.S("loading")))
	case m.err != "":
		b.WriteString(s.Error.Render(common.Cut(m.err, m.width)))
	}
	return b.String()
}

// detail is the chosen service's deadline, fee and checklist, three lines.
func (m *Model) detail(svc *domain.Service) string {
	s, t := m.c.Styles, m.c.T
	due := m.st.Deadline(svc, m.c.Now())
	var req, opt int
	for _, d := range svc.Documents {
		if d.Need == domain.Required {
			req++
		} else {
			opt++
		}
	}
	fee := t.S("free")
	if svc.Fee > 0 {
		fee = t.Money(svc.Fee, svc.Currency)
	}
	line1 := s.Label.Render(t.S("service.deadline")+" ") + s.Strong.Render(days(m.c, svc)+" — "+t.S("deadline.until", t.Date(due)))
	line2 := s.Label.Render(t.S("service.fee")+" ") + s.Strong.Render(fee) + s.Label.Render("  ·  "+t.S("service.docs", req, opt))
	line3 := s.Muted.Render(common.Cut(t.S("service.department")+" "+svc.Department, m.width))
	if len(svc.Equipment) > 0 {
		line3 = s.Warning.Render(common.Cut(t.S("service.equipment", strings.Join(svc.Equipment, ", ")), m.width))
	}
	return common.Cut(line1, m.width) + "\n" + common.Cut(line2, m.width) + "\n" + line3
}

func (m *Model) repeatView() string {
	s, t := m.c.Styles, m.c.T
	var b strings.Builder
	b.WriteString(s.Warning.Render(t.S("service.repeat_title")) + "\n\n")
	for i, cs := range m.repeats {
		if i >= m.height-8 {
			break
		}
		b.WriteString("  " + cs.Number + "  " + t.S("state."+string(cs.State)) + "  " + t.Date(cs.OpenedAt.In(m.c.Now().Location())) + "\n")
	}
	keys := t.S("service.repeat_keys")
	if d, ok := m.draft(); ok {
		keys = t.S("service.repeat_draft", d.Number)
	}
	b.WriteString("\n" + common.Wrap(keys, min(72, m.width-4)))
	return s.Alert.Render(b.String())
}
