package domain

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	jsonv2 "github.com/go-json-experiment/json"
	jsonv1 "github.com/go-json-experiment/json/v1"
)

// Payloads, one type per event kind. Field names are the wire format: keep
// them stable.

// VisitorPayload goes with visitor.registered and visitor.updated.
type VisitorPayload struct {
	Visitor Visitor `json:"visitor"`
}

// TicketIssuedPayload goes with ticket.issued.
type TicketIssuedPayload struct {
	Number    string `json:"number"`
	Service   string `json:"service"`            // service code
	Category  string `json:"category,omitempty"` // privileged category code; "" for the ordinary queue
	Proof     string `json:"proof,omitempty"`    // the proof document of the category, as shown
	Prebooked bool   `json:"prebooked,omitempty"`
}

// TicketMovePayload goes with the ticket's moves at a window (called,
// recalled, no-show, postponed, returned, served).
type TicketMovePayload struct {
	Window int  `json:"window"`           // the window that did it
	Shared bool `json:"shared,omitempty"` // called from the office's shared queue (online)
	// Number and Service repeat the ticket's, so a window that calls a ticket
	// issued elsewhere (from the shared queue) can show it before the feed
	// brings the ticket itself.
	Number  string `json:"number,omitempty"`
	Service string `json:"service,omitempty"`
}

// TicketRedirectedPayload goes with ticket.redirected.
type TicketRedirectedPayload struct {
	Service string `json:"service,omitempty"` // new service, or "" to keep it
	Window  int    `json:"window,omitempty"`  // a window to send it to, or 0 for any
	Reason  string `json:"reason,omitempty"`  // why (a supervisor's move says)
}

// TicketPriorityPayload goes with ticket.priority_changed: a supervisor's
// decision on a waiting ticket's place in the queue.
type TicketPriorityPayload struct {
	Rank   int    `json:"rank"`   // the new queue rank: 0 the ordinary queue, 1… served before it (lower first)
	Reason string `json:"reason"` // why; required
}

// WindowClosedPayload goes with window.force_closed: a supervisor closed a
// window whose clerk has gone; its tickets went back to the shared queue.
type WindowClosedPayload struct {
	Window int    `json:"window"`
	Reason string `json:"reason"`
}

// CaseOpenedPayload goes with case.opened.
type CaseOpenedPayload struct {
	Number   string `json:"number"`   // offline-safe case number, IRK-03-261122-0007-4
	Service  string `json:"service"`  // service code
	Deadline string `json:"deadline"` // YYYY-MM-DD, the date the result is due
}

// DocForm is how a document is taken.
type DocForm string

// Document forms.
const (
	FormOriginal DocForm = "original"
	FormCopy     DocForm = "copy"
)

// DocumentPayload goes with case.document: one checklist row set.
type DocumentPayload struct {
	Doc       string  `json:"doc"` // document code in the service's checklist
	Presented bool    `json:"presented"`
	Form      DocForm `json:"form,omitempty"`
	Count     int     `json:"count,omitempty"`
	Barcode   string  `json:"barcode,omitempty"` // the scanned code, when it came by scanner
}

// AttachmentPayload goes with case.attachment.
type AttachmentPayload struct {
	Doc    string `json:"doc"`
	SHA256 string `json:"sha256"`
	Name   string `json:"name"` // file name, without the path
	Size   int64  `json:"size"`
}

// HandOffPayload goes with case.handed_off.
type HandOffPayload struct {
	Missing       []string `json:"missing,omitempty"`        // required documents not presented
	MissingReason string   `json:"missing_reason,omitempty"` // why the clerk handed off anyway
	// StatusCodeHash is the hash (argon2id, PHC string) of the case's
	// status code, which the receipt prints and the visitor types to read
	// the case's status (internal/statuscode); the code itself never
	// leaves the workstation. Empty from workstations older than it.
	StatusCodeHash string `json:"status_code_hash,omitempty"`
	// RatingCodeHash is the SHA-256 (64 hex digits) of the case's rating
	// code (internal/ratingcode), printed on the receipt: with it the
	// visitor rates the service once the result is issued. Empty from
	// workstations older than it.
	RatingCodeHash string `json:"rating_code_hash,omitempty"`
}

// StatusPayload goes with case.status_changed. The reasons go with the
// status they belong to: Documents and Due with more_docs, Result with
// ready, Ground with refused. Deadline is the case's deadline after the
// change when the change moves it (a case back from more_docs: the term
// paused while the department waited for the documents).
type StatusPayload struct {
	Status    CaseState `json:"status"`
	Note      string    `json:"note,omitempty"`
	Documents []string  `json:"documents,omitempty"` // more_docs: the documents the department asks for
	Due       string    `json:"due,omitempty"`       // more_docs: YYYY-MM-DD, bring them by this day
	Result    Result    `json:"result,omitempty"`    // ready: how the result is handed over
	Ground    string    `json:"ground,omitempty"`    // refused: the legal ground of the refusal
	Deadline  string    `json:"deadline,omitempty"`  // YYYY-MM-DD: the case's new deadline, when it moves
}

// Result is the form of a case's result.
type Result string

// Result forms: a document the applicant collects at the window, or an
// answer sent electronically.
const (
	ResultCollect    Result = "collect"
	ResultElectronic Result = "electronic"
)

// DeadlinePayload goes with case.deadline_extended.
type DeadlinePayload struct {
	Deadline string `json:"deadline"` // YYYY-MM-DD, the new last day
	Basis    string `json:"basis"`    // the legal reason the term may be extended
	Note     string `json:"note,omitempty"`
}

// ReturnPayload goes with case.returned: why the office sends an
// uncollected result back to its department, and the last day it was kept
// for the visitor.
type ReturnPayload struct {
	Reason    string `json:"reason"`
	CollectBy string `json:"collect_by"` // YYYY-MM-DD
}

// CollectPayload goes with case.collect_extended: the result is kept for
// its visitor at the office to the end of CollectBy, and why.
type CollectPayload struct {
	CollectBy string `json:"collect_by"` // YYYY-MM-DD, the new last day
	Reason    string `json:"reason"`
}

// NotePayload goes with case.withdrawn (and, before IssuePayload, with
// case.result_issued: its note field is IssuePayload's).
type NotePayload struct {
	Note string `json:"note,omitempty"`
}

// WindowPayload goes with window.break and window.resumed.
type WindowPayload struct {
	Reason string `json:"reason,omitempty"`
}

// CatalogPayload goes with catalog.updated.
type CatalogPayload struct {
	Version string          `json:"version"`
	Catalog json.RawMessage `json:"catalog"`
}

// DecodePayload decodes and checks the payload of e by its kind. Unknown
// fields are refused, so a typo in a sender's field name is an error, not a
// silent drop.
func (e *Event) DecodePayload() (any, error) {
	p := newPayload(e.Kind)
	if p == nil {
		return nil, invalidf("kind", ProblemUnknown, "unknown kind %q", e.Kind)
	}
	if len(e.Payload) > 0 {
		// encoding/json's rules (go-json-experiment/json/v1's options),
		// unknown fields refused, on the v2 engine: 3 times faster (2.2
		// against 6.8 us for a visitor), and every window and the central
		// decode every payload of an office's feed. A payload is one JSON
		// value (the event's decoder cut it out as one).
		if err := jsonv2.Unmarshal(e.Payload, p, jsonv1.DefaultOptionsV1(), jsonv2.RejectUnknownMembers(true)); err != nil {
			return nil, invalidf("payload", ProblemFormat, "cannot decode %s payload: %v", e.Kind, err)
		}
	}
	if err := checkPayload(e, p); err != nil {
		return nil, err
	}
	return p, nil
}

// newPayload is a zero payload of kind's type to decode into; nil for a
// kind okno does not know.
func newPayload(kind EventKind) any {
	switch kind {
	case EvVisitorRegistered, EvVisitorUpdated:
		return &VisitorPayload{}
	case EvTicketIssued:
		return &TicketIssuedPayload{}
	case EvTicketCalled, EvTicketRecalled, EvTicketNoShow, EvTicketPostponed, EvTicketReturned, EvTicketServed:
		return &TicketMovePayload{}
	case EvTicketRedirected:
		return &TicketRedirectedPayload{}
	case EvTicketPriority:
		return &TicketPriorityPayload{}
	case EvWindowForceClosed:
		return &WindowClosedPayload{}
	case EvCaseOpened:
		return &CaseOpenedPayload{}
	case EvDocumentChecked:
		return &DocumentPayload{}
	case EvAttachmentAdded:
		return &AttachmentPayload{}
	case EvCaseHandedOff:
		return &HandOffPayload{}
	case EvCaseStatusChanged:
		return &StatusPayload{}
	case EvDeadlineExtended:
		return &DeadlinePayload{}
	case EvResultIssued:
		return &IssuePayload{}
	case EvCaseWithdrawn:
		return &NotePayload{}
	case EvCaseReturned:
		return &ReturnPayload{}
	case EvCollectExtended:
		return &CollectPayload{}
	case EvWindowBreak, EvWindowResumed, EvWindowClosed:
		return &WindowPayload{}
	case EvCatalogUpdated:
		return &CatalogPayload{}
	}
	return nil
}

func checkPayload(e *Event, p any) error {
	need := func(field, v string) error {
		if strings.TrimSpace(v) == "" {
			return invalidf(field, ProblemEmpty, "is missing")
		}
		return nil
	}
	switch p := p.(type) {
	case *VisitorPayload:
		if e.VisitorID == "" || p.Visitor.ID != e.VisitorID {
			return invalidf("visitor_id", ProblemConflict, "the event's visitor_id and the payload's visitor id must be the same")
		}
		v := p.Visitor
		if err := v.Normalize(); err != nil {
			return err
		}
	case *TicketIssuedPayload:
		if e.TicketID == "" {
			return invalidf("ticket_id", ProblemEmpty, "is missing")
		}
		if _, err := ParseTicketNumber(p.Number); err != nil {
			return err
		}
		return need("payload.service", p.Service)
	case *TicketMovePayload, *TicketRedirectedPayload:
		if e.TicketID == "" {
			return invalidf("ticket_id", ProblemEmpty, "is missing")
		}
	case *TicketPriorityPayload:
		if e.TicketID == "" {
			return invalidf("ticket_id", ProblemEmpty, "is missing")
		}
		if p.Rank < 0 || p.Rank > MaxRank {
			return invalidf("payload.rank", ProblemRange, "must be 0 (the ordinary queue) to %d", MaxRank)
		}
		return need("payload.reason", p.Reason)
	case *WindowClosedPayload:
		if p.Window < 1 || p.Window > 999 {
			return invalidf("payload.window", ProblemRange, "must be 1–999")
		}
		return need("payload.reason", p.Reason)
	case *CaseOpenedPayload:
		if e.CaseID == "" || e.VisitorID == "" {
			return invalidf("case_id", ProblemEmpty, "case.opened needs case_id and visitor_id")
		}
		if _, err := ParseCaseNumber(p.Number); err != nil {
			return err
		}
		if err := need("payload.service", p.Service); err != nil {
			return err
		}
		if _, err := ParseDate(p.Deadline); err != nil {
			return withField(err, "payload.deadline")
		}
	case *DocumentPayload:
		if err := need("payload.doc", p.Doc); err != nil {
			return err
		}
		if p.Presented && p.Form != FormOriginal && p.Form != FormCopy {
			return invalidf("payload.form", ProblemFormat, "must be original or copy")
		}
		if p.Count < 0 || p.Count > 999 {
			return invalidf("payload.count", ProblemRange, "must be 0–999")
		}
	case *AttachmentPayload:
		if len(p.SHA256) != 64 || strings.Trim(p.SHA256, "0123456789abcdef") != "" {
			return invalidf("payload.sha256", ProblemFormat, "must be 64 lower-case hex digits")
		}
	case *HandOffPayload:
		if h := p.StatusCodeHash; h != "" && (!strings.HasPrefix(h, "$argon2id$") || len(h) > 200) {
			return invalidf("payload.status_code_hash", ProblemFormat, "must be an argon2id PHC string of at most 200 bytes")
		}
		if h := p.RatingCodeHash; h != "" && (len(h) != 64 || strings.Trim(h, "0123456789abcdef") != "") {
			return invalidf("payload.rating_code_hash", ProblemFormat, "must be 64 lower-case hex digits (SHA-256)")
		}
	case *StatusPayload:
		// Recorded before the reasons existed, a change may have none: only
		// what is there is checked (the central asks Check of new ones).
		if !p.Status.Valid() {
			return invalidf("payload.status", ProblemUnknown, "unknown status %q", p.Status)
		}
		for _, d := range []struct{ field, v string }{{"payload.due", p.Due}, {"payload.deadline", p.Deadline}} {
			if d.v != "" {
				if _, err := ParseDate(d.v); err != nil {
					return withField(err, d.field)
				}
			}
		}
		if p.Result != "" && p.Result != ResultCollect && p.Result != ResultElectronic {
			return invalidf("payload.result", ProblemFormat, "must be collect or electronic")
		}
	case *IssuePayload:
		// The receiver's form only: its dates against the day of issue
		// are the recorder's to check (Receiver.Check with today).
		if p.Receiver != nil {
			if _, err := p.Receiver.Check(""); err != nil {
				var ie *InvalidError
				if errors.As(err, &ie) {
					return withField(err, "payload.receiver."+ie.Field)
				}
				return err
			}
		}
	case *DeadlinePayload:
		if _, err := ParseDate(p.Deadline); err != nil {
			return withField(err, "payload.deadline")
		}
		if err := need("payload.basis", p.Basis); err != nil {
			return err
		}
	case *ReturnPayload:
		if err := need("payload.reason", p.Reason); err != nil {
			return err
		}
		if _, err := ParseDate(p.CollectBy); err != nil {
			return withField(err, "payload.collect_by")
		}
	case *CollectPayload:
		if _, err := ParseDate(p.CollectBy); err != nil {
			return withField(err, "payload.collect_by")
		}
		if err := need("payload.reason", p.Reason); err != nil {
			return err
		}
	}
	if strings.HasPrefix(string(e.Kind), "case.") && e.CaseID == "" {
		return invalidf("case_id", ProblemEmpty, "%s needs case_id", e.Kind)
	}
	return nil
}

// Check says what is wrong with a new status change on its own: an unknown
// status, a reason missing for the status, or a reason given to a status it
// does not belong to.
func (p *StatusPayload) Check() error {
	if !p.Status.Valid() {
		return invalidf("payload.status", ProblemUnknown, "unknown status %q", p.Status)
	}
	if p.Status == CaseReturned {
		return invalidf("payload.status", ProblemConflict, "a result not collected in time is returned by the office's supervisor (POST /v1/offices/{office}/unclaimed/{id}/return), not by a status")
	}
	if p.Status == CaseMoreDocs {
		if len(p.Documents) == 0 {
			return invalidf("payload.documents", ProblemEmpty, "name the documents the department asks for")
		}
		for i, d := range p.Documents {
			if strings.TrimSpace(d) == "" {
				return invalidf(fmt.Sprintf("payload.documents[%d]", i), ProblemEmpty, "is empty")
			}
		}
		if _, err := ParseDate(p.Due); err != nil {
			return withField(err, "payload.due")
		}
	} else if len(p.Documents) > 0 || p.Due != "" {
		return invalidf("payload.documents", ProblemConflict, "documents and due go with the status more_docs only")
	}
	switch {
	case p.Status == CaseReady && p.Result != ResultCollect && p.Result != ResultElectronic:
		return invalidf("payload.result", ProblemFormat, "say how the result is handed over: collect or electronic")
	case p.Status != CaseReady && p.Result != "":
		return invalidf("payload.result", ProblemConflict, "result goes with the status ready only")
	case p.Status == CaseRefused && strings.TrimSpace(p.Ground) == "":
		return invalidf("payload.ground", ProblemEmpty, "give the legal ground of the refusal")
	case p.Status != CaseRefused && p.Ground != "":
		return invalidf("payload.ground", ProblemConflict, "ground goes with the status refused only")
	}
	if p.Deadline != "" {
		if _, err := ParseDate(p.Deadline); err != nil {
			return withField(err, "payload.deadline")
		}
	}
	return nil
}

// MustPayload encodes a payload for an event being made; the payload types
// above always encode.
func MustPayload(p any) json.RawMessage {
	b, err := json.Marshal(p)
	if err != nil {
		panic(fmt.Sprintf("domain: payload %T does not encode: %v", p, err))
	}
	return b
}
