package checklist

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/localdb"
	"github.com/okno-mfc/okno/tui/common"
	"github.com/okno-mfc/okno/tui/i18n"
)

// Store is what the checklist screen reads and records: the case's
// checklist, its rows, scans and hand-off (*localdb.Store is one).
type Store interface {
	Checklist(ctx context.Context, caseID string) ([]domain.ChecklistRow, error)
	CheckDocument(ctx context.Context, actor, caseID string, d domain.DocumentPayload) error
	AttachFile(ctx context.Context, actor, caseID, doc, path string) (string, error)
	HandOff(ctx context.Context, actor, caseID, reason string) (*domain.CaseView, error)
	CaseByNumber(ctx context.Context, number string) (*domain.CaseView, error)
}

// loadedMsg carries the case's checklist.
type loadedMsg struct {
	tag  common.Tag
	rows []domain.ChecklistRow
}

// checkedMsg says a row was set; note says what happened.
type checkedMsg struct {
	tag  common.Tag
	note string
}

// handedMsg says the case left for its department.
type handedMsg struct {
	tag common.Tag
	cs  *domain.CaseView
}

// foundCaseMsg carries a case whose number was scanned.
type foundCaseMsg struct {
	tag common.Tag
	id  string
}

func loadCmd(c *common.Common, st Store, tag common.Tag, caseID string) tea.Cmd {
	return func() tea.Msg {
		rows, err := st.Checklist(c.Ctx, caseID)
		if err != nil {
			return common.Fail(tag, err)
		}
		return loadedMsg{tag: tag, rows: rows}
	}
}

func checkCmd(c *common.Common, st Store, tag common.Tag, caseID string, d domain.DocumentPayload, note string) tea.Cmd {
	return func() tea.Msg {
		if err := st.CheckDocument(c.Ctx, c.Actor(), caseID, d); err != nil {
			return common.Fail(tag, err)
		}
		return checkedMsg{tag: tag, note: note}
	}
}

// maxAttachMB is the largest scan the TUI attaches.
const maxAttachMB = localdb.MaxAttachment >> 20

// attachCmd attaches the file at path to a row, after checking that it is
// a file, not too big, and a PDF or an image by its first bytes.
func attachCmd(c *common.Common, st Store, tag common.Tag, caseID, doc, path, rowName string) tea.Cmd {
	return func() tea.Msg {
		p := path
		if strings.HasPrefix(p, "~/") {
			if home, err := os.UserHomeDir(); err == nil {
				p = filepath.Join(home, p[2:])
			}
		}
		fi, err := os.Stat(p)
		switch {
		case err != nil && !errors.Is(err, fs.ErrPermission):
			// Not there, a name too long, a folder in the way: whatever
			// the scanner typed is not a file.
			return common.Fail(tag, i18n.Errorf("err.scan_unknown", common.Cut(path, 24)))
		case err != nil:
			return common.Fail(tag, i18n.Errorf("err.file_denied", filepath.Base(p)))
		case fi.IsDir():
			return common.Fail(tag, i18n.Errorf("err.file_dir", filepath.Base(p)))
		case fi.Size() > localdb.MaxAttachment:
			return common.Fail(tag, i18n.Errorf("err.file_big", filepath.Base(p), maxAttachMB))
		}
		if !scanLike(p) {
			return common.Fail(tag, i18n.Errorf("err.file_type", filepath.Base(p)))
		}
		if _, err := st.AttachFile(c.Ctx, c.Actor(), caseID, doc, p); err != nil {
			return common.Fail(tag, err)
		}
		return checkedMsg{tag: tag, note: c.T.S("checklist.attached", filepath.Base(p), rowName)}
	}
}

// scanLike reports whether the file starts like a PDF, a JPEG, a PNG or a
// TIFF, whatever its name says.
func scanLike(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 8)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	for _, magic := range [][]byte{[]byte("%PDF-"), {0xFF, 0xD8, 0xFF}, {0x89, 'P', 'N', 'G'}, []byte("II*\x00"), []byte("MM\x00*")} {
		if bytes.HasPrefix(head, magic) {
			return true
		}
	}
	return false
}

func handOffCmd(c *common.Common, st Store, tag common.Tag, caseID, reason string) tea.Cmd {
	return func() tea.Msg {
		cs, err := st.HandOff(c.Ctx, c.Actor(), caseID, reason)
		if err != nil {
			return common.Fail(tag, err)
		}
		return handedMsg{tag: tag, cs: cs}
	}
}

func findCaseCmd(c *common.Common, st Store, tag common.Tag, number string) tea.Cmd {
	return func() tea.Msg {
		cs, err := st.CaseByNumber(c.Ctx, number)
		if errors.Is(err, domain.ErrNotFound) {
			return common.Fail(tag, i18n.Errorf("err.case_not_found", number))
		}
		if err != nil {
			return common.Fail(tag, err)
		}
		return foundCaseMsg{tag: tag, id: cs.ID}
	}
}

// WorkOpen says what is left undone: the case on screen is a draft until
// it is handed off.
func (m *Model) WorkOpen() string {
	if m.cs.State == domain.CaseDraft {
		return m.c.T.S("quit.draft", m.cs.Number)
	}
	return ""
}
