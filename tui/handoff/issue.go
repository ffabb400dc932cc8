package handoff

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/receipt"
)

// IssueReader is what an issue record is made from: the issued case, its
// visitor and history, and the catalogue (*localdb.Store is one).
type IssueReader interface {
	Case(ctx context.Context, id string) (*domain.CaseView, error)
	Visitor(ctx context.Context, id string) (domain.Visitor, error)
	EventsOf(ctx context.Context, caseID string) ([]domain.Event, error)
	Catalog() *domain.Catalog
}

// BuildIssue makes the issue record of an issued case in lang, from its
// last case.result_issued event (who received it, when, by which clerk);
// clerk names the operator signed in (their login becomes their name);
// loc is the office's time zone for the record's time.
func BuildIssue(ctx context.Context, st IssueReader, caseID, lang string, clerk domain.Operator, loc *time.Location) (receipt.IssueRecord, error) {
	cs, err := st.Case(ctx, caseID)
	if err != nil {
		return receipt.IssueRecord{}, err
	}
	events, err := st.EventsOf(ctx, caseID)
	if err != nil {
		return receipt.IssueRecord{}, err
	}
	var issued *domain.Event
	for i := range events {
		if events[i].Kind == domain.EvResultIssued {
			issued = &events[i]
		}
	}
	if issued == nil || cs.State != domain.CaseIssued {
		return receipt.IssueRecord{}, fmt.Errorf("case %s: its result has not been issued: %w", cs.Number, domain.ErrNotFound)
	}
	p, err := issued.DecodePayload()
	if err != nil {
		return receipt.IssueRecord{}, err
	}
	ip, _ := p.(*domain.IssuePayload)
	v, err := st.Visitor(ctx, cs.VisitorID)
	if err != nil {
		return receipt.IssueRecord{}, err
	}
	r := receipt.IssueRecord{
		CaseNumber: cs.Number, Date: issued.At.In(loc), Office: cs.Office, Window: issued.Window,
		Applicant: v.FullName, Refused: cs.Refused, Ground: cs.Ground, Clerk: issued.Actor,
	}
	if ip != nil {
		r.Note = ip.Note
		if ip.Receiver != nil {
			r.Receiver = *ip.Receiver
		}
	}
	if r.Receiver.Kind == "" { // issued before receivers were recorded
		r.Receiver = *domain.ApplicantReceives(v)
	}
	if issued.Actor == clerk.Login && clerk.Name != "" {
		r.Clerk = clerk.Name
	}
	r.Service = cs.Service
	if svc, ok := st.Catalog().Service(cs.Service); ok {
		r.Service = svc.Name(lang)
	}
	return r, nil
}

// SaveIssue writes the issue record as DATA/receipts/NUMBER-issue.txt and
// .pdf (mode 0600) and returns the PDF's path.
func SaveIssue(dataDir string, r receipt.IssueRecord, lang string) (string, error) {
	dir := filepath.Join(dataDir, "receipts")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("create the receipts folder: %w", err)
	}
	base := filepath.Join(dir, r.CaseNumber+receipt.IssueSuffix)
	if err := writeFile(base+".txt", []byte(receipt.IssueText(r, lang))); err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := receipt.IssuePDF(r, lang, &b); err != nil {
		return "", err
	}
	if err := writeFile(base+".pdf", b.Bytes()); err != nil {
		return "", err
	}
	return base + ".pdf", nil
}
