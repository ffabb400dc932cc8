package store

import (
	"encoding/json"
	"errors"
	"fmt"
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
// machine, recording the central's event in the case's office stream.
func (t *Tx) SetStatus(caller *Session, caseID string, req api.StatusRequest) (api.StatusResponse, error) {
	if err := CheckStatus(&req); err != nil {
		return api.StatusResponse{}, err
	}
	c, err := t.lockCase(caseID)
	if err != nil {
		return api.StatusResponse{}, err
	}
	if c == nil || !caller.CanSeeCase(c) {
		return api.StatusResponse{}, fmt.Errorf("case %s: %w", caseID, domain.ErrNotFound)
	}
	e, err := t.newCentral(c.Office, domain.EvCaseStatusChanged, caller.Login, domain.StatusPayload{Status: req.Status, Note: req.Note})
	if err != nil {
		return api.StatusResponse{}, err
	}
	e.CaseID, e.VisitorID, e.TicketID = c.ID, c.VisitorID, c.TicketID
	next := *c
	if err := next.Apply(e); err != nil {
		return api.StatusResponse{}, &StatusError{Err: err}
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
	return nil
}

// CanSeeCase reports whether the caller may read or move a case: a
// department or an all-offices caller sees every case, others their office's.
func (s *Session) CanSeeCase(c *domain.CaseView) bool {
	return s.Role == domain.RoleDepartment || s.SeesOffice(c.Office)
}

// clip shortens s to n bytes for an error message.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
