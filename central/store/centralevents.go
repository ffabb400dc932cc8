package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
)

// The central's own events: a department's status change and a published
// catalogue. Each office has a stream of them (window 0) with its own
// sequence and hash chain, so they reach the office's feed like any other
// event and verify the same way. With Options.Key they are signed by the
// central's key; without, they are chained but unsigned.

// newCentral makes (but does not record) the next event of office's central
// stream: a UUIDv7, the next seq, sealed onto the stream's last hash.
func (t *Tx) newCentral(office string, kind domain.EventKind, actor string, payload any) (*domain.Event, error) {
	if err := t.lock(office); err != nil {
		return nil, err
	}
	head, err := t.stream(office, 0)
	if err != nil {
		return nil, err
	}
	id, err := uuid.NewV7()
	if err != nil {
		return nil, fmt.Errorf("event id: %w", err)
	}
	body, err := json.Marshal(payload)
	if err != nil {
		return nil, err
	}
	e := &domain.Event{
		ID: id.String(), Office: office, Window: 0, Seq: head.lastSeq + 1,
		At: time.Unix(0, t.now).UTC(), Kind: kind, Actor: actor, Payload: body,
	}
	return e, nil
}

// recordCentral seals and records an event made by newCentral, once the
// projections took it.
func (t *Tx) recordCentral(e *domain.Event) error {
	head, err := t.stream(e.Office, 0)
	if err != nil {
		return err
	}
	if e.Seq != head.lastSeq+1 {
		return fmt.Errorf("central stream %s: seq %d after %d", e.Office, e.Seq, head.lastSeq)
	}
	e.Seal(head.lastHash)
	if t.s.signKey != nil {
		domain.SignEvent(e, t.s.signKey)
	}
	if err := t.insertEvent(e, api.IngestAccepted, "", e.Actor); err != nil {
		return err
	}
	head.lastSeq, head.lastHash, head.dirty = e.Seq, e.Hash, true
	t.changed[e.Office] = true
	return nil
}

// StatusError says why a status change was refused.
type StatusError struct {
	Invalid bool // the request itself is wrong (422); otherwise the case's state does not allow it (409)
	Err     error
}

func (e *StatusError) Error() string { return e.Err.Error() }
func (e *StatusError) Unwrap() error { return e.Err }

// SetStatus moves a case by a department's decision, through the case state
// machine, recording the central's event in the case's office stream. The
// status takes its reasons (domain.StatusPayload.Check). A case back from
// more_docs has its term moved on by the working days it waited on cal
// (the term pauses while the department waits for the documents it asked
// for); cal nil is the built-in Russian calendar. Days are read in loc.
func (t *Tx) SetStatus(caller *Session, caseID string, req api.StatusRequest, cal *domain.Calendar, loc *time.Location) (api.StatusResponse, error) {
	p := domain.StatusPayload{Status: req.Status, Note: req.Note, Documents: req.Documents, Due: req.Due, Result: req.Result, Ground: req.Ground}
	if err := CheckStatus(&req); err != nil {
		return api.StatusResponse{}, err
	}
	if p.Status == domain.CaseReady && p.Result == "" {
		p.Result = domain.ResultCollect // a document to collect at the window, as before results had a form
	}
	if err := p.Check(); err != nil {
		return api.StatusResponse{}, &StatusError{Invalid: true, Err: err}
	}
	if cal == nil {
		cal = domain.DefaultCalendar()
	}
	if loc == nil {
		loc = time.Local
	}
	now := time.Unix(0, t.now).In(loc)
	if p.Due != "" && p.Due < now.Format(time.DateOnly) {
		return api.StatusResponse{}, &StatusError{Invalid: true, Err: fmt.Errorf("due %s is already past: give a day from today on", p.Due)}
	}
	c, err := t.lockCase(caseID)
	if err != nil {
		return api.StatusResponse{}, err
	}
	if c == nil || !caller.CanSeeCase(c) {
		return api.StatusResponse{}, fmt.Errorf("case %s: %w", caseID, domain.ErrNotFound)
	}
	if c.State == domain.CaseMoreDocs && p.Status == domain.CaseInWork && !c.PausedAt.IsZero() && c.Deadline != "" {
		if p.Deadline, err = cal.ResumeDeadline(c.Deadline, c.PausedAt.In(loc), now); err != nil {
			return api.StatusResponse{}, err
		}
		if p.Deadline == c.Deadline {
			p.Deadline = ""
		}
	}
	return t.recordCaseEvent(caller, c, domain.EvCaseStatusChanged, p)
}

// ExtendDeadline moves a case's deadline later, with the legal basis of
// the extension (a case.deadline_extended event of the central).
func (t *Tx) ExtendDeadline(caller *Session, caseID string, req api.DeadlineRequest) (api.StatusResponse, error) {
	p := domain.DeadlinePayload{Deadline: strings.TrimSpace(req.Deadline), Basis: strings.TrimSpace(req.Basis), Note: req.Note}
	if _, err := domain.ParseDate(p.Deadline); err != nil {
		return api.StatusResponse{}, &StatusError{Invalid: true, Err: fmt.Errorf("deadline: %w", err)}
	}
	switch {
	case p.Basis == "":
		return api.StatusResponse{}, &StatusError{Invalid: true, Err: errors.New("basis: give the legal basis of the extension (the regulation's article)")}
	case len([]rune(p.Basis)) > 500:
		return api.StatusResponse{}, &StatusError{Invalid: true, Err: errors.New("basis: at most 500 characters")}
	case len([]rune(p.Note)) > 2000:
		return api.StatusResponse{}, &StatusError{Invalid: true, Err: errors.New("note: at most 2000 characters")}
	}
	c, err := t.lockCase(caseID)
	if err != nil {
		return api.StatusResponse{}, err
	}
	if c == nil || !caller.CanSeeCase(c) {
		return api.StatusResponse{}, fmt.Errorf("case %s: %w", caseID, domain.ErrNotFound)
	}
	return t.recordCaseEvent(caller, c, domain.EvDeadlineExtended, p)
}

// recordCaseEvent folds the central's event of kind into case c and
// records it; a refusal of the fold is a *StatusError (409, or 422 for a
// payload the fold finds invalid).
func (t *Tx) recordCaseEvent(caller *Session, c *domain.CaseView, kind domain.EventKind, payload any) (api.StatusResponse, error) {
	e, err := t.newCentral(c.Office, kind, caller.Login, payload)
	if err != nil {
		return api.StatusResponse{}, err
	}
	e.CaseID, e.VisitorID, e.TicketID = c.ID, c.VisitorID, c.TicketID
	next := *c
	if err := next.Apply(e); err != nil {
		return api.StatusResponse{}, &StatusError{Invalid: errors.Is(err, domain.ErrInvalid), Err: err}
	}
	if err := t.recordCentral(e); err != nil {
		return api.StatusResponse{}, err
	}
	if err := t.saveCase(&next); err != nil {
		return api.StatusResponse{}, err
	}
	return api.StatusResponse{Case: next, Event: *e}, nil
}

// CheckStatus says what is wrong with a status request on its own.
func CheckStatus(req *api.StatusRequest) error {
	if !req.Status.Valid() {
		return &StatusError{Invalid: true, Err: fmt.Errorf("status %q: must be one of %v", clip(string(req.Status), 40), domain.CaseStates)}
	}
	if len([]rune(req.Note)) > 2000 {
		return &StatusError{Invalid: true, Err: errors.New("note: at most 2000 characters")}
	}
	if len(req.Documents) > 50 {
		return &StatusError{Invalid: true, Err: errors.New("documents: at most 50")}
	}
	for _, d := range req.Documents {
		if len([]rune(d)) > 300 {
			return &StatusError{Invalid: true, Err: errors.New("documents: at most 300 characters each")}
		}
	}
	if len([]rune(req.Ground)) > 1000 {
		return &StatusError{Invalid: true, Err: errors.New("ground: at most 1000 characters")}
	}
	return nil
}

// CanSeeCase reports whether the caller may read or move a case: a
// department's officer sees the cases of their department (in their
// office, or every office), the others the cases of their office (every
// office for office *).
func (s *Session) CanSeeCase(c *domain.CaseView) bool {
	if s.Role == domain.RoleDepartment {
		return s.SeesOffice(c.Office) && domain.SeesDepartment(s.Department, c.Department)
	}
	return s.SeesOffice(c.Office)
}

// clip shortens s to n bytes for an error message.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
