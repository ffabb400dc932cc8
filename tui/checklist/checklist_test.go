package checklist

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/localdb"
	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/fake"
	"github.com/okno-mfc/okno/tui/i18n"
)

func init() { lipgloss.SetColorProfile(termenv.Ascii) }

func setup(t *testing.T) (*fake.Env, *Model) {
	t.Helper()
	e := fake.New(t)
	v := e.Visitor(t, domain.Visitor{FullName: "Фёдоров Пётр", DocType: domain.DocPassportRU, DocNumber: "2504 123456"})
	cs := e.Case(t, v.ID, "replanning", "")
	m := New(e.SignedIn(i18n.RU), e.Store, cs, v, "")
	fake.Run(t, m, m.Init()())
	if !m.loaded || len(m.rows) != 5 {
		t.Fatalf("the checklist did not load: %d rows, %q", len(m.rows), m.err)
	}
	return e, m
}

func row(t *testing.T, m *Model, code string) int {
	t.Helper()
	for i, r := range m.rows {
		if r.Code == code {
			return i
		}
	}
	t.Fatalf("no row %q in the checklist", code)
	return -1
}

func TestScannedCodeTicksItsRow(t *testing.T) {
	t.Parallel()
	e, m := setup(t)
	changes, stop := e.Store.Subscribe()
	defer stop()
	fake.Run(t, m, fake.Keys("PASSPORT", tea.KeyEnter)...)
	select {
	case ch := <-changes:
		if !ch.ToPush() || !ch.Has(localdb.Cases) {
			t.Errorf("the scan announced %+v", ch)
		}
	default:
		t.Errorf("the scan was not announced: the link would not push it")
	}
	r := m.rows[row(t, m, "passport")]
	if !r.Presented || r.Barcode != "PASSPORT" || r.Form != domain.FormOriginal || r.Count != 1 {
		t.Errorf("the scanned row is %+v", r)
	}
	if m.cur.Pos != row(t, m, "passport") {
		t.Errorf("the cursor is on row %d, not on the row scanned", m.cur.Pos)
	}
	if !strings.Contains(m.View(), "✓ Отмечен: Паспорт") {
		t.Errorf("the screen does not say what was ticked:\n%s", m.View())
	}
	fake.Run(t, m, fake.Keys("passport", tea.KeyEnter)...)
	if !strings.Contains(m.notice, "Уже отмечен") {
		t.Errorf("a second scan says %q", m.notice)
	}
}

func TestRowKeys(t *testing.T) {
	t.Parallel()
	_, m := setup(t)
	fake.Run(t, m, fake.Keys(tea.KeyDown, tea.KeyDown, tea.KeyDown, " ")...) // floor plan: copy, 2
	r := m.rows[3]
	if !r.Presented || r.Form != domain.FormCopy || r.Count != 2 {
		t.Fatalf("space set %+v", r)
	}
	fake.Run(t, m, fake.Keys("+", "+", "-", tea.KeyTab)...)
	r = m.rows[3]
	if r.Count != 3 || r.Form != domain.FormOriginal {
		t.Errorf("+ + - tab gave count %d form %s, want 3 original", r.Count, r.Form)
	}
	fake.Run(t, m, fake.Keys(" ")...)
	if m.rows[3].Presented {
		t.Errorf("space did not untick the row")
	}
	// With text on the scanner line, space and + are text.
	fake.Run(t, m, fake.Keys("a +")...)
	if m.scan.Value() != "a +" {
		t.Errorf("the scanner line holds %q", m.scan.Value())
	}
}

func TestHandOffNeedsAReasonWhenRequiredDocumentsAreMissing(t *testing.T) {
	t.Parallel()
	e, m := setup(t)
	fake.Run(t, m, fake.Keys("application", tea.KeyEnter, "passport", tea.KeyEnter)...)
	_, nav := fake.Run(t, m, fake.Keys(tea.KeyCtrlS)...)
	if len(nav) != 0 || !m.asking {
		t.Fatalf("hand-off with the project missing went %v (asking %v)", nav, m.asking)
	}
	if !strings.Contains(m.View(), "Проект перепланировки") {
		t.Errorf("the missing document is not listed:\n%s", m.View())
	}
	_, nav = fake.Run(t, m, fake.Keys(tea.KeyEnter)...)
	if len(nav) != 0 || m.err == "" {
		t.Fatalf("an empty reason handed off (%v) or said nothing", nav)
	}
	cs, _ := e.Store.Case(context.Background(), m.cs.ID)
	if cs.State != domain.CaseDraft {
		t.Fatalf("the case is %s before a reason was given", cs.State)
	}
	_, nav = fake.Run(t, m, fake.Keys("донесёт сам", tea.KeyEnter)...)
	if len(nav) != 1 {
		t.Fatalf("with a reason the hand-off sent %v; error %q", nav, m.err)
	}
	h := fake.Only[common.HandedOff](t, nav)
	if h.Case.State != domain.CaseSubmitted || len(h.Case.Missing) != 1 || h.Case.Missing[0] != "project" {
		t.Errorf("handed off %+v", h.Case)
	}
}

func TestHandOffWithEverythingRequired(t *testing.T) {
	t.Parallel()
	_, m := setup(t)
	fake.Run(t, m, fake.Keys("application", tea.KeyEnter, "passport", tea.KeyEnter, "project", tea.KeyEnter)...)
	_, nav := fake.Run(t, m, fake.Keys(tea.KeyCtrlS)...)
	if len(nav) != 1 || m.asking {
		t.Fatalf("hand-off with every required document went %v (asking %v, err %q)", nav, m.asking, m.err)
	}
}

func TestScanCaseNumberAttachAndUnknown(t *testing.T) {
	t.Parallel()
	e, m := setup(t)
	// Its own number opens the case.
	_, nav := fake.Run(t, m, fake.Keys(strings.ToLower(m.cs.Number), tea.KeyEnter)...)
	if fake.Only[common.ShowCase](t, nav).CaseID != m.cs.ID {
		t.Errorf("scanning the case number sent %v", nav)
	}
	// A typo in the check digit says so.
	n := m.cs.Number
	typo := n[:len(n)-1] + string('0'+(n[len(n)-1]-'0'+1)%10)
	fake.Run(t, m, fake.Keys(typo, tea.KeyEnter)...)
	if !strings.Contains(m.err, "Опечатка") {
		t.Errorf("a mistyped case number says %q", m.err)
	}
	// A PDF's path attaches it to the row under the cursor.
	pdf := filepath.Join(t.TempDir(), "скан паспорта.pdf")
	if err := os.WriteFile(pdf, []byte("%PDF-1.4\n%%EOF\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	fake.Run(t, m, fake.Keys(tea.KeyDown, pdf, tea.KeyEnter)...)
	if a := m.rows[1].Attachments; len(a) != 1 {
		t.Fatalf("the PDF was not attached to the passport row: %v (err %q)", a, m.err)
	} else if _, err := os.Stat(e.Store.BlobPath(a[0])); err != nil {
		t.Errorf("the blob is not kept: %v", err)
	}
	// A text file is refused, a path that is nothing is unknown.
	txt := filepath.Join(t.TempDir(), "note.pdf")
	os.WriteFile(txt, []byte("hello"), 0o600)
	fake.Run(t, m, fake.Keys(txt, tea.KeyEnter)...)
	if !strings.Contains(m.err, "не PDF") {
		t.Errorf("a text file named .pdf says %q", m.err)
	}
	fake.Run(t, m, fake.Keys("XYZ-404", tea.KeyEnter)...)
	if !strings.Contains(m.err, "не код документа") {
		t.Errorf("an unknown code says %q", m.err)
	}
}
