package localdb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/internal/ratingcode"
	"github.com/okno-mfc/okno/internal/statuscode"
)

// OpenCase opens a draft case for a visitor and a service (and the ticket the
// visitor came with, if any). The case gets its offline-safe number and its
// deadline from the service and the working-day calendar.
func (s *Store) OpenCase(ctx context.Context, actor, visitorID, service, ticketID string) (*domain.CaseView, error) {
	svc, ok := s.catalog.Service(service)
	if !ok {
		return nil, &domain.InvalidError{Field: "service", Problem: domain.ProblemUnknown, Message: fmt.Sprintf("no service %q in the catalogue", service)}
	}
	id, err := uuid.NewV7()
	if err != nil {
		return nil, err
	}
	var c *domain.CaseView
	err = s.WithTx(ctx, func(tx *Tx) error {
		if _, err := visitorByID(ctx, tx, visitorID); err != nil {
			return err
		}
		now := s.Now()
		n, err := s.next(ctx, tx, "case:"+now.Format("060102"))
		if err != nil {
			return err
		}
		number := domain.NewCaseNumber(s.office, s.window, now, int(n)).String()
		_, err = s.record(ctx, tx, draft{Kind: domain.EvCaseOpened, Actor: actor, CaseID: id.String(), VisitorID: visitorID, TicketID: ticketID,
			Payload: domain.CaseOpenedPayload{Number: number, Service: service, Deadline: s.Deadline(svc, now).Format("2006-01-02")}})
		if err != nil {
			return err
		}
		c, err = caseByID(ctx, tx, id.String())
		return err
	})
	return c, err
}

// Deadline is the date a service's result is due for a request taken at t,
// on the office's calendar: a last day off moves to the next working day.
func (s *Store) Deadline(svc *domain.Service, t time.Time) time.Time {
	return s.cal.Deadline(t, svc.Deadline, svc.DeadlineKind)
}

// CheckDocument sets one checklist row of a case. The document must be in the
// service's checklist: the clerk may not ask for more than the regulation.
func (s *Store) CheckDocument(ctx context.Context, actor, caseID string, d domain.DocumentPayload) error {
	return s.WithTx(ctx, func(tx *Tx) error {
		c, err := caseByID(ctx, tx, caseID)
		if err != nil {
			return err
		}
		svc, ok := s.catalog.Service(c.Service)
		if !ok {
			return fmt.Errorf("service %q of case %s is no longer in the catalogue", c.Service, c.Number)
		}
		req, ok := svc.Requirement(d.Doc)
		if !ok {
			return &domain.InvalidError{Field: "doc", Problem: domain.ProblemUnknown, Message: fmt.Sprintf("document %q is not in the checklist of %s", d.Doc, svc.Code)}
		}
		if d.Presented {
			if d.Form == "" {
				d.Form = req.Form
			}
			if d.Count == 0 {
				d.Count = req.Count
			}
		}
		_, err = s.record(ctx, tx, draft{Kind: domain.EvDocumentChecked, Actor: actor, CaseID: caseID, Payload: d})
		return err
	})
}

// Checklist returns the rows of a case's checklist in the service's order.
func (s *Store) Checklist(ctx context.Context, caseID string) ([]domain.ChecklistRow, error) {
	return s.checklist(ctx, s.rdb, caseID)
}

func (s *Store) checklist(ctx context.Context, q querier, caseID string) ([]domain.ChecklistRow, error) {
	c, err := caseByID(ctx, q, caseID)
	if err != nil {
		return nil, err
	}
	svc, ok := s.catalog.Service(c.Service)
	if !ok {
		return nil, fmt.Errorf("service %q of case %s is no longer in the catalogue", c.Service, c.Number)
	}
	rows := make([]domain.ChecklistRow, len(svc.Documents))
	index := map[string]int{}
	for i, r := range svc.Documents {
		rows[i] = domain.ChecklistRow{Requirement: r, Form: r.Form}
		index[r.Code] = i
	}
	err = eachRow(ctx, q, `SELECT doc, presented, form, count, barcode FROM checklist WHERE case_id = ?`, []any{caseID}, func(sc scanner) (bool, error) {
		var doc, form, barcode string
		var presented bool
		var count int
		if err := sc.Scan(&doc, &presented, &form, &count, &barcode); err != nil {
			return false, err
		}
		if i, ok := index[doc]; ok {
			rows[i].Presented, rows[i].Count, rows[i].Barcode = presented, count, barcode
			if form != "" {
				rows[i].Form = domain.DocForm(form)
			}
		}
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	err = eachRow(ctx, q, `SELECT doc, sha256 FROM attachments WHERE case_id = ? ORDER BY rowid`, []any{caseID}, func(sc scanner) (bool, error) {
		var doc, sum string
		if err := sc.Scan(&doc, &sum); err != nil {
			return false, err
		}
		if i, ok := index[doc]; ok {
			rows[i].Attachments = append(rows[i].Attachments, sum)
		}
		return true, nil
	})
	return rows, err
}

// HandOff sends a draft case to its department. Required documents that are
// not presented block it unless reason says why (domain.CanHandOff); the
// checklist is read in the hand-off's own transaction, so a row changed
// meanwhile cannot slip past the rule. It makes the case's status code
// (internal/statuscode): the event carries its hash, the code itself is
// kept here for the receipt (StatusCode).
func (s *Store) HandOff(ctx context.Context, actor, caseID, reason string) (*domain.CaseView, error) {
	var c *domain.CaseView
	code, err := s.newStatusCode()
	if err != nil {
		return nil, err
	}
	rating, err := s.newRatingCode()
	if err != nil {
		return nil, err
	}
	err = s.WithTx(ctx, func(tx *Tx) error {
		cur, err := caseByID(ctx, tx, caseID)
		if err != nil {
			return err
		}
		rows, err := s.checklist(ctx, tx, caseID)
		if err != nil {
			return err
		}
		p, err := domain.CanHandOff(cur.State, rows, reason)
		if err != nil {
			return err
		}
		if p.StatusCodeHash, err = statuscode.Hash(cur.Number, code); err != nil {
			return err
		}
		p.RatingCodeHash = ratingcode.Hash(rating)
		if _, err := s.record(ctx, tx, draft{Kind: domain.EvCaseHandedOff, Actor: actor, CaseID: caseID, Payload: p}); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO status_codes (case_id, code, rating) VALUES (?, ?, ?)`, caseID, code, rating); err != nil {
			return fmt.Errorf("keep the status code: %w", err)
		}
		c, err = caseByID(ctx, tx, caseID)
		return err
	})
	return c, err
}

// newStatusCode makes a status code from the store's source.
func (s *Store) newStatusCode() (string, error) {
	s.codeMu.Lock()
	defer s.codeMu.Unlock()
	return statuscode.New(s.statusCodes)
}

// newRatingCode makes a rating code from the store's source (the status
// codes' fixed one in tests, so goldens stay put).
func (s *Store) newRatingCode() (string, error) {
	s.codeMu.Lock()
	defer s.codeMu.Unlock()
	return ratingcode.New(s.statusCodes)
}

// StatusCode returns the status code printed on a handed-off case's
// receipt; "" for a case handed off before codes existed, or not yet.
func (s *Store) StatusCode(ctx context.Context, caseID string) (string, error) {
	var code string
	err := s.rdb.QueryRowContext(ctx, `SELECT code FROM status_codes WHERE case_id = ?`, caseID).Scan(&code)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return code, err
}

// RatingCode returns the rating code printed on a handed-off case's
// receipt (canonical, internal/ratingcode); "" for a case handed off
// before rating codes existed, or not yet.
func (s *Store) RatingCode(ctx context.Context, caseID string) (string, error) {
	var code string
	err := s.rdb.QueryRowContext(ctx, `SELECT rating FROM status_codes WHERE case_id = ?`, caseID).Scan(&code)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return code, err
}

// IssueResult records that the result of a ready (or refused) case was
// collected, and by whom: p.Receiver is required (the applicant or a
// representative with a power of attorney), checked against today's date
// (a power of attorney dated after today or expired is refused) and
// recorded in its canonical form.
func (s *Store) IssueResult(ctx context.Context, actor, caseID string, p domain.IssuePayload) (*domain.CaseView, error) {
	if p.Receiver == nil {
		return nil, &domain.InvalidError{Field: "kind", Problem: domain.ProblemEmpty, Message: "say who receives the result: applicant or representative"}
	}
	r, err := p.Receiver.Check(s.Now().Format(time.DateOnly))
	if err != nil {
		return nil, err
	}
	p.Receiver, p.Note = &r, strings.TrimSpace(p.Note)
	return s.caseEvent(ctx, actor, caseID, domain.EvResultIssued, p)
}

// Withdraw records that the applicant withdrew the request, or that the
// clerk cancelled a draft: an event with its reason (domain.CanWithdraw),
// checked against the case as it is in the same transaction.
func (s *Store) Withdraw(ctx context.Context, actor, caseID, reason string) (*domain.CaseView, error) {
	var c *domain.CaseView
	err := s.WithTx(ctx, func(tx *Tx) error {
		cur, err := caseByID(ctx, tx, caseID)
		if err != nil {
			return err
		}
		p, err := domain.CanWithdraw(cur.State, reason)
		if err != nil {
			return err
		}
		if _, err := s.record(ctx, tx, draft{Kind: domain.EvCaseWithdrawn, Actor: actor, CaseID: caseID, Payload: p}); err != nil {
			return err
		}
		c, err = caseByID(ctx, tx, caseID)
		return err
	})
	return c, err
}

// DraftsOfTicket lists the draft cases opened for a ticket, newest first:
// a ticket is not served while one is left open without a word.
func (s *Store) DraftsOfTicket(ctx context.Context, ticketID string) ([]domain.CaseView, error) {
	if ticketID == "" {
		return nil, nil
	}
	drafts, err := s.FindCases(ctx, CaseFilter{States: []domain.CaseState{domain.CaseDraft}, Limit: 1000})
	if err != nil {
		return nil, err
	}
	var out []domain.CaseView
	for _, c := range drafts {
		if c.TicketID == ticketID {
			out = append(out, c)
		}
	}
	return out, nil
}

func (s *Store) caseEvent(ctx context.Context, actor, caseID string, kind domain.EventKind, p any) (*domain.CaseView, error) {
	var c *domain.CaseView
	err := s.WithTx(ctx, func(tx *Tx) error {
		if _, err := s.record(ctx, tx, draft{Kind: kind, Actor: actor, CaseID: caseID, Payload: p}); err != nil {
			return err
		}
		var err error
		c, err = caseByID(ctx, tx, caseID)
		return err
	})
	return c, err
}

// Case returns one case.
func (s *Store) Case(ctx context.Context, id string) (*domain.CaseView, error) {
	return caseByID(ctx, s.rdb, id)
}

// CaseByNumber finds a case by its number; a number with a wrong check digit
// is a typo (the error says so), a well-formed unknown number is domain.ErrNotFound.
func (s *Store) CaseByNumber(ctx context.Context, number string) (*domain.CaseView, error) {
	n, err := domain.ParseCaseNumber(number)
	if err != nil {
		return nil, err
	}
	var id string
	err = s.rdb.QueryRowContext(ctx, `SELECT id FROM cases WHERE number = ?`, n.String()).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("case %s: %w", n, domain.ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	return caseByID(ctx, s.rdb, id)
}

// CaseFilter narrows FindCases; empty fields match all.
type CaseFilter struct {
	VisitorID string
	Service   string
	States    []domain.CaseState
	Limit     int
}

// FindCases lists cases, newest first.
func (s *Store) FindCases(ctx context.Context, f CaseFilter) ([]domain.CaseView, error) {
	var where []string
	var args []any
	if f.VisitorID != "" {
		where = append(where, "visitor_id = ?")
		args = append(args, f.VisitorID)
	}
	if f.Service != "" {
		where = append(where, "service = ?")
		args = append(args, f.Service)
	}
	if len(f.States) > 0 {
		ph := strings.TrimSuffix(strings.Repeat("?,", len(f.States)), ",")
		where = append(where, "state IN ("+ph+")")
		for _, st := range f.States {
			args = append(args, string(st))
		}
	}
	q := `SELECT view FROM cases`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	if f.Limit <= 0 {
		f.Limit = 200
	}
	q += " ORDER BY opened_at DESC LIMIT ?"
	args = append(args, f.Limit)
	rows, err := s.rdb.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.CaseView
	for rows.Next() {
		var view []byte
		if err := rows.Scan(&view); err != nil {
			return nil, err
		}
		var c domain.CaseView
		if err := json.Unmarshal(view, &c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// RepeatRequests lists the visitor's open cases for the same service: the
// clerk must check whether a request repeats an earlier one.
func (s *Store) RepeatRequests(ctx context.Context, visitorID, service string) ([]domain.CaseView, error) {
	open := []domain.CaseState{domain.CaseDraft, domain.CaseSubmitted, domain.CaseAccepted, domain.CaseInWork, domain.CaseMoreDocs, domain.CaseReady}
	return s.FindCases(ctx, CaseFilter{VisitorID: visitorID, Service: service, States: open})
}
