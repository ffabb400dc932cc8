package handoff

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/localdb"
	"github.com/okno-mfc/okno/receipt"
)

// Reader is what a receipt is made from: the case, its visitor, checklist
// and history, and the catalogue (*localdb.Store is one).
type Reader interface {
	Case(ctx context.Context, id string) (*domain.CaseView, error)
	Visitor(ctx context.Context, id string) (domain.Visitor, error)
	Checklist(ctx context.Context, caseID string) ([]domain.ChecklistRow, error)
	EventsOf(ctx context.Context, caseID string) ([]domain.Event, error)
	StatusCode(ctx context.Context, caseID string) (string, error)
	RatingCode(ctx context.Context, caseID string) (string, error)
	Catalog() *domain.Catalog
}

// Store is what the receipt screen reads and records: the receipt's
// sources, the office's settings (the receipt's language and the centre's
// details), and the ticket served.
type Store interface {
	Reader
	OfficeSettings(ctx context.Context) (localdb.OfficeSettings, error)
	Move(ctx context.Context, actor, ticketID string, kind domain.EventKind) (localdb.Ticket, error)
}

// Build makes the receipt of a handed-off case from the store, in lang;
// clerk names the operator when the hand-off was theirs (login → name).
func Build(ctx context.Context, st Reader, caseID, lang string, clerk domain.Operator) (receipt.Receipt, error) {
	cs, err := st.Case(ctx, caseID)
	if err != nil {
		return receipt.Receipt{}, err
	}
	v, err := st.Visitor(ctx, cs.VisitorID)
	if err != nil {
		return receipt.Receipt{}, err
	}
	rows, err := st.Checklist(ctx, caseID)
	if err != nil {
		return receipt.Receipt{}, err
	}
	events, err := st.EventsOf(ctx, caseID)
	if err != nil {
		return receipt.Receipt{}, err
	}
	code, err := st.StatusCode(ctx, caseID)
	if err != nil {
		return receipt.Receipt{}, err
	}
	rating, err := st.RatingCode(ctx, caseID)
	if err != nil {
		return receipt.Receipt{}, err
	}
	r := receipt.Receipt{
		CaseNumber: cs.Number, StatusCode: code, RatingCode: rating, Office: cs.Office, Window: cs.Window,
		Visitor: v.FullName, DocType: v.DocType, DocNumber: v.DocNumber,
		Date: cs.HandedOffAt,
	}
	if r.Date.IsZero() {
		r.Date = cs.OpenedAt
	}
	if svc, ok := st.Catalog().Service(cs.Service); ok {
		r.Service, r.Department = svc.Name(lang), svc.Department
		r.Fee, r.Currency = svc.Fee, svc.Currency
		r.DeadlineDays, r.DeadlineKind = svc.Deadline, svc.DeadlineKind
	} else {
		r.Service = cs.Service
	}
	if d, err := time.Parse(time.DateOnly, cs.Deadline); err == nil {
		r.Deadline = d
	}
	names := map[string]string{}
	for _, row := range rows {
		names[row.Code] = row.Name(lang)
		if row.Presented {
			r.Accepted = append(r.Accepted, receipt.Doc{Name: row.Name(lang), Form: row.Form, Count: row.Count})
		}
	}
	clerkLogin := ""
	for _, ev := range events {
		if ev.Kind != domain.EvCaseHandedOff {
			continue
		}
		clerkLogin = ev.Actor
		if p, err := ev.DecodePayload(); err == nil {
			h := p.(*domain.HandOffPayload)
			r.Missing = r.Missing[:0]
			for _, code := range h.Missing {
				name := names[code]
				if name == "" {
					name = code
				}
				r.Missing = append(r.Missing, name)
			}
			r.MissingReason = h.MissingReason
		}
	}
	r.Clerk = clerkLogin
	if clerkLogin == "" || clerkLogin == clerk.Login {
		r.Clerk = clerk.Name
		if r.Clerk == "" {
			r.Clerk = clerk.Login
		}
	}
	return r, nil
}

// Save writes the receipt as DIR/receipts/NUMBER.txt (UTF-8) and .pdf,
// mode 0600 (they hold personal data), and returns their paths.
func Save(dataDir string, r receipt.Receipt, lang string) (txt, pdf string, err error) {
	dir := filepath.Join(dataDir, "receipts")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", "", fmt.Errorf("create the receipts folder: %w", err)
	}
	txt = filepath.Join(dir, r.CaseNumber+".txt")
	pdf = filepath.Join(dir, r.CaseNumber+".pdf")
	if err := writeFile(txt, []byte(receipt.Text(r, lang))); err != nil {
		return "", "", err
	}
	var b bytes.Buffer
	if err := receipt.PDF(r, lang, &b); err != nil {
		return "", "", err
	}
	if err := writeFile(pdf, b.Bytes()); err != nil {
		return "", "", err
	}
	return txt, pdf, nil
}

// writeFile writes data to path through a temporary file and a rename, so
// a printer never sees half a receipt.
func writeFile(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".receipt-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
