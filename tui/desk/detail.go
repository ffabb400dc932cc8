package desk

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/i18n"
)

// Sections of a case.
const (
	secChecklist = iota
	secFiles
	secHistory
	nSections
)

// detail is a case as the desk shows it.
type detail struct {
	d       api.CaseDetail
	checks  []checkRow
	why     string // why required documents were missing at the hand-off
	files   []domain.AttachmentPayload
	section int
	cur     common.Cursor
}

// checkRow is a checklist row as the window accepted it.
type checkRow struct {
	name      string
	need      domain.Need
	presented bool
	form      domain.DocForm
	count     int
	known     bool // the service's checklist has it
}

// show makes the detail of d (keeping the section of the case shown).
func (m *Model) show(d api.CaseDetail) {
	det := &detail{d: d}
	if m.det != nil && m.det.d.Case.ID == d.Case.ID {
		det.section, det.cur = m.det.section, m.det.cur
	}
	lang := string(m.c.T.Lang)
	docs := map[string]domain.DocumentPayload{}
	var order []string
	for _, e := range d.History {
		p, err := e.DecodePayload()
		if err != nil {
			continue
		}
		switch p := p.(type) {
		case *domain.DocumentPayload:
			if _, ok := docs[p.Doc]; !ok {
				order = append(order, p.Doc)
			}
			docs[p.Doc] = *p
		case *domain.AttachmentPayload:
			det.files = append(det.files, *p)
		case *domain.HandOffPayload:
			det.why = p.MissingReason
		}
	}
	if svc, ok := m.c.Place.Catalog().Service(d.Case.Service); ok {
		for _, r := range svc.Documents {
			p, got := docs[r.Code]
			det.checks = append(det.checks, checkRow{name: r.Name(lang), need: r.Need, presented: got && p.Presented, form: p.Form, count: p.Count, known: true})
			delete(docs, r.Code)
		}
	}
	for _, code := range order { // rows the catalogue here does not know
		if p, ok := docs[code]; ok {
			det.checks = append(det.checks, checkRow{name: code, presented: p.Presented, form: p.Form, count: p.Count})
		}
	}
	m.det = det
	m.sectionN()
}

// sectionN sets the cursor's length to the section's rows.
func (m *Model) sectionN() {
	d := m.det
	switch d.section {
	case secChecklist:
		d.cur.SetN(len(d.checks))
	case secFiles:
		d.cur.SetN(len(d.files))
	default:
		d.cur.SetN(len(d.d.History))
	}
}

func (m *Model) detailKey(msg tea.KeyMsg) tea.Cmd {
	k := m.c.Keys
	d := m.det
	cs := d.d.Case
	switch {
	case d.cur.Update(k, msg):
		return nil
	case key.Matches(msg, k.SwitchTab):
		d.section = (d.section + 1) % nSections
		d.cur = common.Cursor{}
		m.sectionN()
		return nil
	case d.section == secFiles && key.Matches(msg, k.DeskOpen):
		if len(d.files) == 0 {
			return nil
		}
		m.busy, m.notice, m.err = true, "", ""
		return m.openCmd(d.files[d.cur.Pos])
	case d.section == secFiles && key.Matches(msg, k.DeskSave):
		if len(d.files) == 0 {
			return nil
		}
		home, _ := os.UserHomeDir()
		dir := filepath.Join(home, "Downloads")
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			dir = home
		}
		m.form = newForm(m.c, formSave, m.c.T.S("desk.ask_save"), field{label: "desk.field.folder", value: dir})
		return nil
	}
	if !m.online() {
		m.err = m.c.T.S("desk.link_down")
		return nil
	}
	switch {
	case key.Matches(msg, k.DeskWork):
		switch cs.State {
		case domain.CaseSubmitted, domain.CaseAccepted, domain.CaseMoreDocs:
			m.busy, m.notice, m.err = true, "", ""
			return m.workCmd(cs)
		default:
			m.err = m.c.T.S("desk.cannot_work", cs.Number, m.c.T.S("state."+string(cs.State)))
		}
	case key.Matches(msg, k.DeskDocs):
		m.form = newForm(m.c, formDocs, m.c.T.S("desk.ask_docs"),
			field{label: "desk.field.docs"}, field{label: "desk.field.due", value: m.dueDefault()}, field{label: "desk.field.note"})
	case key.Matches(msg, k.DeskExtend):
		m.form = newForm(m.c, formExtend, m.c.T.S("desk.ask_extend"),
			field{label: "desk.field.date", value: cs.Deadline}, field{label: "desk.field.basis"}, field{label: "desk.field.note"})
	case key.Matches(msg, k.DeskReady):
		m.form = newForm(m.c, formReady, m.c.T.S("desk.ask_ready"),
			field{label: "desk.field.form", options: []string{string(domain.ResultCollect), string(domain.ResultElectronic)}}, field{label: "desk.field.note"})
	case key.Matches(msg, k.DeskRefuse):
		m.form = newForm(m.c, formRefuse, m.c.T.S("desk.ask_refuse"), field{label: "desk.field.basis"}, field{label: "desk.field.note"})
	}
	return nil
}

// dueDefault is the day documents are asked by unless the officer says
// otherwise: five working days on.
func (m *Model) dueDefault() string {
	return calendarOf(m.c).AddWorkingDays(m.c.Now(), 5).Format("2006-01-02")
}

// calendarOf is the workstation's working-day calendar (the office's,
// with the catalogue's days), or the built-in Russian one.
func calendarOf(c *common.Common) *domain.Calendar {
	if p, ok := c.Place.(interface{ Calendar() *domain.Calendar }); ok && p.Calendar() != nil {
		return p.Calendar()
	}
	return domain.DefaultCalendar()
}

func (m *Model) formKey(msg tea.KeyMsg) tea.Cmd {
	k := m.c.Keys
	f := m.form
	switch {
	case key.Matches(msg, k.Back):
		m.form, m.err = nil, ""
		return nil
	case msg.Type == tea.KeyTab || msg.Type == tea.KeyDown:
		f.move(1)
		return nil
	case msg.Type == tea.KeyShiftTab || msg.Type == tea.KeyUp:
		f.move(-1)
		return nil
	case msg.Type == tea.KeyEnter:
		if m.busy {
			return nil
		}
		return m.submit()
	}
	return f.update(msg)
}

// submit sends what the form asks.
func (m *Model) submit() tea.Cmd {
	f, cs := m.form, m.det.d.Case
	if f.kind == formSave {
		m.busy, m.err = true, ""
		return m.saveCmd(m.det.files[m.det.cur.Pos], strings.TrimSpace(f.value(0)))
	}
	if !m.online() {
		m.err = m.c.T.S("desk.link_down")
		return nil
	}
	var req api.StatusRequest
	switch f.kind {
	case formDocs:
		var docs []string
		for _, d := range strings.Split(f.value(0), ";") {
			if d = strings.TrimSpace(d); d != "" {
				docs = append(docs, d)
			}
		}
		req = api.StatusRequest{Status: domain.CaseMoreDocs, Documents: docs, Due: strings.TrimSpace(f.value(1)), Note: f.value(2)}
	case formExtend:
		m.busy, m.err = true, ""
		return m.extendCmd(cs, api.DeadlineRequest{Deadline: strings.TrimSpace(f.value(0)), Basis: strings.TrimSpace(f.value(1)), Note: f.value(2)})
	case formReady:
		req = api.StatusRequest{Status: domain.CaseReady, Result: domain.Result(f.value(0)), Note: f.value(1)}
	case formRefuse:
		req = api.StatusRequest{Status: domain.CaseRefused, Ground: strings.TrimSpace(f.value(0)), Note: f.value(1)}
	}
	m.busy, m.err = true, ""
	return m.statusCmd(cs, req)
}

// statusCmd records a status and reads the case back with its history.
func (m *Model) statusCmd(cs domain.CaseView, reqs ...api.StatusRequest) tea.Cmd {
	a, tag, t := m.api, m.tag, m.c.T
	return func() tea.Msg {
		ctx, cancel := m.ctx()
		defer cancel()
		var last domain.CaseState
		for _, req := range reqs {
			r, err := a.SetStatus(ctx, cs.ID, req)
			if err != nil {
				return common.Fail(tag, err)
			}
			last = r.Case.State
		}
		d, err := a.Case(ctx, cs.ID)
		if err != nil {
			return common.Fail(tag, err)
		}
		return doneMsg{tag: tag, d: d, notice: t.S("desk.done", cs.Number, t.S("state."+string(last)))}
	}
}

// workCmd takes a case into work: a submitted case is accepted first; a
// case waiting for documents goes back to work (the documents came).
func (m *Model) workCmd(cs domain.CaseView) tea.Cmd {
	if cs.State == domain.CaseSubmitted {
		return m.statusCmd(cs, api.StatusRequest{Status: domain.CaseAccepted}, api.StatusRequest{Status: domain.CaseInWork})
	}
	return m.statusCmd(cs, api.StatusRequest{Status: domain.CaseInWork})
}

func (m *Model) extendCmd(cs domain.CaseView, req api.DeadlineRequest) tea.Cmd {
	a, tag, t := m.api, m.tag, m.c.T
	return func() tea.Msg {
		ctx, cancel := m.ctx()
		defer cancel()
		r, err := a.ExtendDeadline(ctx, cs.ID, req)
		if err != nil {
			return common.Fail(tag, err)
		}
		d, err := a.Case(ctx, cs.ID)
		if err != nil {
			return common.Fail(tag, err)
		}
		day := r.Case.Deadline
		if dd, err := domain.ParseDate(day); err == nil {
			day = t.Date(dd)
		}
		return doneMsg{tag: tag, d: d, notice: t.S("desk.done", cs.Number, t.S("desk.extended_to", day))}
	}
}

// fetch fetches an attachment and checks it is the file the case names.
func (m *Model) fetch(f domain.AttachmentPayload) ([]byte, error) {
	ctx, cancel := m.ctx()
	defer cancel()
	data, err := m.api.Blob(ctx, f.SHA256)
	if err != nil {
		return nil, err
	}
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != f.SHA256 {
		return nil, fmt.Errorf("the central sent another file than %s: its hash differs", safeName(f))
	}
	return data, nil
}

// safeName is an attachment's file name without any path, never empty.
func safeName(f domain.AttachmentPayload) string {
	n := filepath.Base(strings.ReplaceAll(f.Name, "\\", "/"))
	if n == "." || n == "/" || n == "" || strings.HasPrefix(n, ".") {
		n = f.SHA256[:12] + filepath.Ext(n)
	}
	return n
}

// Viewer opens a file in the system's viewer; tests replace it.
var Viewer = func(path string) error {
	bin, err := exec.LookPath("xdg-open")
	if err != nil {
		return i18n.Errorf("desk.no_viewer")
	}
	cmd := exec.Command(bin, path)
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait() //nolint:errcheck // the viewer lives on its own
	return nil
}

// openCmd writes the attachment to the desk's folder (mode 0600: scans
// hold personal data) and opens it in the system's viewer.
func (m *Model) openCmd(f domain.AttachmentPayload) tea.Cmd {
	tag, t, dir := m.tag, m.c.T, filepath.Join(m.c.DataDir, "desk")
	return func() tea.Msg {
		data, err := m.fetch(f)
		if err != nil {
			return common.Fail(tag, err)
		}
		if m.c.DataDir == "" {
			dir = filepath.Join(os.TempDir(), "okno-desk")
		}
		if err := os.MkdirAll(filepath.Join(dir, f.SHA256[:12]), 0o700); err != nil {
			return common.Fail(tag, err)
		}
		path := filepath.Join(dir, f.SHA256[:12], safeName(f))
		if err := os.WriteFile(path, data, 0o600); err != nil {
			return common.Fail(tag, err)
		}
		if err := Viewer(path); err != nil {
			return common.Fail(tag, err)
		}
		return fileMsg{tag: tag, notice: t.S("desk.opened_file", safeName(f))}
	}
}

// saveCmd saves the attachment into folder, under a name not taken yet.
func (m *Model) saveCmd(f domain.AttachmentPayload, folder string) tea.Cmd {
	tag, t := m.tag, m.c.T
	return func() tea.Msg {
		if st, err := os.Stat(folder); err != nil || !st.IsDir() {
			return common.Fail(tag, fmt.Errorf("%q is not a folder: give a folder that exists", folder))
		}
		data, err := m.fetch(f)
		if err != nil {
			return common.Fail(tag, err)
		}
		name := safeName(f)
		ext := filepath.Ext(name)
		base := strings.TrimSuffix(name, ext)
		for i := 1; ; i++ {
			path := filepath.Join(folder, name)
			fh, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
			if errors.Is(err, os.ErrExist) {
				name = fmt.Sprintf("%s (%d)%s", base, i, ext)
				continue
			}
			if err != nil {
				return common.Fail(tag, err)
			}
			_, werr := fh.Write(data)
			if cerr := fh.Close(); werr == nil {
				werr = cerr
			}
			if werr != nil {
				return common.Fail(tag, werr)
			}
			return fileMsg{tag: tag, notice: t.S("desk.saved_file", path)}
		}
	}
}
