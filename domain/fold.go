package domain

import (
	"fmt"
	"time"
)

// CaseView is a case as its events fold it: the same on the workstation and
// on the central server, because both fold with Apply.
type CaseView struct {
	ID          string    `json:"id"`
	Number      string    `json:"number"`
	Office      string    `json:"office"`
	Window      int       `json:"window"`
	VisitorID   string    `json:"visitor_id"`
	TicketID    string    `json:"ticket_id,omitempty"`
	Service     string    `json:"service"`
	State       CaseState `json:"state"`
	Refused     bool      `json:"refused,omitempty"` // the decision was a refusal (kept after the letter is issued)
	Deadline    string    `json:"deadline"`          // YYYY-MM-DD
	OpenedAt    time.Time `json:"opened_at"`
	HandedOffAt time.Time `json:"handed_off_at,omitzero"`
	ReadyAt     time.Time `json:"ready_at,omitzero"`
	ClosedAt    time.Time `json:"closed_at,omitzero"`
	Note        string    `json:"note,omitempty"` // the last note of the department or the clerk
	Missing     []string  `json:"missing,omitempty"`
	UpdatedAt   time.Time `json:"updated_at"`

	// Department is the department that decides the case (the catalogue's
	// Service.Department when the central first saw it); the central sets
	// it, a workstation's fold leaves it empty.
	Department string `json:"department,omitempty"`
	// Requested and RequestedDue: the documents the department asked for
	// and the day to bring them by, while the case waits for them.
	Requested    []string  `json:"requested,omitempty"`
	RequestedDue string    `json:"requested_due,omitempty"`
	PausedAt     time.Time `json:"paused_at,omitzero"` // when the term paused (more_docs)
	// Result is how a ready result is handed over; Ground the legal ground
	// of a refusal (printed on the issue record).
	Result Result `json:"result,omitempty"`
	Ground string `json:"ground,omitempty"`
	// ExtendedBasis is the legal basis of the last extension of the
	// deadline, if it was extended.
	ExtendedBasis string `json:"extended_basis,omitempty"`
	// CollectBy is the last day a ready result (or a refusal letter) is
	// kept at the office for its visitor, once a supervisor extended it
	// (case.collect_extended, with CollectReason); empty, the day is the
	// office's storage period after ReadyAt. ReturnReason: why the result
	// went back to the department (case.returned; ClosedAt says when).
	CollectBy     string `json:"collect_by,omitempty"`
	CollectReason string `json:"collect_reason,omitempty"`
	ReturnReason  string `json:"return_reason,omitempty"`
	// Receiver is who collected the result (an issued case's), as its
	// case.result_issued event recorded them; nil before receivers were
	// recorded.
	Receiver *Receiver `json:"receiver,omitempty"`
}

// NewCase folds a case.opened event into a fresh view.
func NewCase(e *Event) (*CaseView, error) {
	if e.Kind != EvCaseOpened {
		return nil, fmt.Errorf("case %s does not exist yet: its first event must be %s, not %s", e.CaseID, EvCaseOpened, e.Kind)
	}
	p, err := e.DecodePayload()
	if err != nil {
		return nil, err
	}
	return NewCaseDecoded(e, p)
}

// NewCaseDecoded is NewCase with e's payload decoded already (by
// DecodePayload or CheckHashedAt).
func NewCaseDecoded(e *Event, p any) (*CaseView, error) {
	o, ok := p.(*CaseOpenedPayload)
	if e.Kind != EvCaseOpened || !ok {
		return nil, fmt.Errorf("case %s does not exist yet: its first event must be %s, not %s", e.CaseID, EvCaseOpened, e.Kind)
	}
	return &CaseView{
		ID: e.CaseID, Number: o.Number, Office: e.Office, Window: e.Window,
		VisitorID: e.VisitorID, TicketID: e.TicketID, Service: o.Service,
		State: CaseDraft, Deadline: o.Deadline, OpenedAt: e.At, UpdatedAt: e.At,
	}, nil
}

// Apply folds one more event of the case into c, or says why the event
// breaks the rules (and leaves c as it was).
func (c *CaseView) Apply(e *Event) error {
	if e.CaseID != c.ID {
		return fmt.Errorf("event %s is for case %s, not %s", e.ID, e.CaseID, c.ID)
	}
	p, err := e.DecodePayload()
	if err != nil {
		return err
	}
	return c.ApplyDecoded(e, p)
}

// ApplyDecoded is Apply with e's payload decoded already (by DecodePayload
// or CheckHashedAt): p must be what DecodePayload returns for e.
func (c *CaseView) ApplyDecoded(e *Event, p any) error {
	if e.CaseID != c.ID {
		return fmt.Errorf("event %s is for case %s, not %s", e.ID, e.CaseID, c.ID)
	}
	var err error
	next := *c
	next.UpdatedAt = e.At
	switch e.Kind {
	case EvCaseOpened:
		return &InvalidError{Field: "case_id", Problem: ProblemConflict, Message: fmt.Sprintf("case %s is already open as %s", c.ID, c.Number)}
	case EvDocumentChecked, EvAttachmentAdded:
		if c.State != CaseDraft && c.State != CaseMoreDocs {
			return fmt.Errorf("documents can be added to a draft case or one that waits for more documents; this case is %s: %w", c.State, &TransitionError{From: c.State, Action: "add_document"})
		}
	case EvCaseHandedOff:
		if next.State, err = Transition(c.State, ActHandOff); err != nil {
			return err
		}
		next.HandedOffAt = e.At
		next.Missing = p.(*HandOffPayload).Missing
	case EvCaseStatusChanged:
		s := p.(*StatusPayload)
		a, err := ActionForStatus(c.State, s.Status)
		if err != nil || a == ActReturn {
			return &TransitionError{From: c.State, Action: CaseAction("set_" + string(s.Status))}
		}
		if next.State, err = Transition(c.State, a); err != nil {
			return err
		}
		next.Note = s.Note
		if s.Deadline != "" {
			next.Deadline = s.Deadline
		}
		next.Requested, next.RequestedDue = nil, ""
		if c.State == CaseMoreDocs {
			next.PausedAt = time.Time{}
		}
		switch next.State {
		case CaseMoreDocs:
			next.Requested, next.RequestedDue, next.PausedAt = s.Documents, s.Due, e.At
		case CaseReady:
			next.Result = s.Result
			next.ReadyAt = e.At
		case CaseRefused:
			next.Refused = true
			next.Ground = s.Ground
			next.ReadyAt = e.At
		case CaseUnclaimed:
			next.ClosedAt = e.At
		default: // the other states keep no time of their own
		}
	case EvDeadlineExtended:
		d := p.(*DeadlinePayload)
		switch c.State {
		case CaseSubmitted, CaseAccepted, CaseInWork, CaseMoreDocs:
		default:
			return &TransitionError{From: c.State, Action: "extend_deadline"}
		}
		if d.Deadline <= c.Deadline {
			return invalidf("payload.deadline", ProblemRange, "the new deadline %s must be after the current one, %s", d.Deadline, c.Deadline)
		}
		next.Deadline, next.ExtendedBasis, next.Note = d.Deadline, d.Basis, d.Note
	case EvCaseReturned:
		if next.State, err = Transition(c.State, ActReturn); err != nil {
			return err
		}
		next.ClosedAt = e.At
		next.ReturnReason = p.(*ReturnPayload).Reason
	case EvCollectExtended:
		cp := p.(*CollectPayload)
		if c.State != CaseReady && c.State != CaseRefused {
			return &TransitionError{From: c.State, Action: "extend_collect"}
		}
		if cp.CollectBy <= c.CollectBy {
			return invalidf("payload.collect_by", ProblemRange, "the new last day %s must be after the current one, %s", cp.CollectBy, c.CollectBy)
		}
		next.CollectBy, next.CollectReason = cp.CollectBy, cp.Reason
	case EvResultIssued:
		if err := c.CanIssue(); err != nil {
			return err
		}
		next.State = CaseIssued
		next.ClosedAt = e.At
		ip := p.(*IssuePayload)
		next.Note, next.Receiver = ip.Note, ip.Receiver
	case EvCaseWithdrawn:
		if next.State, err = Transition(c.State, ActWithdraw); err != nil {
			return err
		}
		next.ClosedAt = e.At
		next.Note = p.(*NotePayload).Note
	default:
		return fmt.Errorf("event kind %s does not apply to a case", e.Kind)
	}
	*c = next
	return nil
}

// Overdue reports whether a handed-off case is past its deadline on day
// today (YYYY-MM-DD) and not yet ready.
func (c *CaseView) Overdue(today string) bool {
	switch c.State {
	case CaseSubmitted, CaseAccepted, CaseInWork, CaseMoreDocs:
		return c.Deadline != "" && c.Deadline < today
	default:
		return false
	}
}

// WaitsAtOffice reports whether the case's result (or refusal letter)
// waits at the office for its visitor to collect: ready with a result to
// collect, or refused.
func (c *CaseView) WaitsAtOffice() bool {
	switch c.State {
	case CaseReady:
		return c.Result != ResultElectronic
	case CaseRefused, CaseUnclaimed:
		return true
	default:
		return false
	}
}

// CollectUntil is the last day (YYYY-MM-DD, in loc) the result of a case
// that waits at the office is kept for its visitor: the day a supervisor
// extended it to, or the day period days after the day it became ready.
// From the day after, it is unclaimed. "" for a case whose result does not
// wait at the office.
func (c *CaseView) CollectUntil(period int, loc *time.Location) string {
	if !c.WaitsAtOffice() {
		return ""
	}
	if c.CollectBy != "" {
		return c.CollectBy
	}
	if c.ReadyAt.IsZero() {
		return c.UpdatedAt.In(loc).AddDate(0, 0, period).Format(time.DateOnly)
	}
	return c.ReadyAt.In(loc).AddDate(0, 0, period).Format(time.DateOnly)
}

// CanIssue says why the result of c cannot be issued at the window now (a
// *ReturnedError for one the office sent back to the department, else the
// machine's *TransitionError), or nil.
func (c *CaseView) CanIssue() error {
	if c.State == CaseReturned {
		return &ReturnedError{ReturnedAt: c.ClosedAt, Reason: c.ReturnReason, Department: c.Department}
	}
	_, err := Transition(c.State, ActIssue)
	return err
}

// ReturnedError says that a result cannot be issued at the window because
// the office returned it to its department, not collected in time.
type ReturnedError struct {
	ReturnedAt time.Time
	Reason     string
	Department string
}

func (e *ReturnedError) Error() string {
	msg := "the result was not collected in time and went back to the department"
	if e.Department != "" {
		msg += " (" + e.Department + ")"
	}
	if !e.ReturnedAt.IsZero() {
		msg += " on " + e.ReturnedAt.Format(time.DateOnly)
	}
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	return msg + "; the visitor collects it from the department"
}

// Unwrap makes a ReturnedError a *TransitionError too (issue from returned).
func (e *ReturnedError) Unwrap() error { return &TransitionError{From: CaseReturned, Action: ActIssue} }
