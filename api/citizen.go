package api

import (
	"time"

	"github.com/okno-mfc/okno/domain"
)

// The citizen's side of a case (issue 15): what a visitor learns with the
// case number and the status code from the receipt. Nothing in it names a
// person or a document: the service, the office, the steps and dates.

// Steps of a case as the visitor sees them (PublicStep.Step).
const (
	StepAccepted   = "accepted"            // the window took the documents
	StepSent       = "sent"                // the case reached the central, on its way to the department
	StepRegistered = "registered"          // the department registered it
	StepInWork     = "in_work"             // the department works on it
	StepDocsAsked  = "documents_requested" // the department needs more documents: come to the office
	StepDeadline   = "deadline_extended"   // the deadline moved (Deadline says to when)
	StepReady      = "ready"               // the result waits at the office
	StepRefused    = "refused"             // the decision was a refusal; the letter waits at the office
	StepIssued     = "issued"              // the result was handed over
	StepWithdrawn  = "withdrawn"           // the request was withdrawn
	StepUnclaimed  = "unclaimed"           // not collected within the storage period
	StepReturned   = "returned"            // sent back to the department, uncollected
)

// PublicCase answers GET /v1/public/cases/{number}.
type PublicCase struct {
	Number       string            `json:"number"`
	Service      string            `json:"service"`       // the service's code
	ServiceNames map[string]string `json:"service_names"` // its name: ru, uk, en
	Office       string            `json:"office"`        // where the case was handed in, and where its result waits
	State        domain.CaseState  `json:"state"`
	Deadline     string            `json:"deadline"` // YYYY-MM-DD, the date the result is due
	History      []PublicStep      `json:"history"`
	// Collect is where and from when the result can be collected, once it
	// is ready (or a refusal is); absent before.
	Collect *PublicCollect `json:"collect,omitempty"`
	// Bring lists what to bring to the office now, as codes: identity_document,
	// receipt, power_of_attorney (when someone else comes), requested_documents.
	Bring []string `json:"bring,omitempty"`
}

// PublicStep is one step of a case's history.
type PublicStep struct {
	Step     string    `json:"step"`
	At       time.Time `json:"at"`
	Office   string    `json:"office,omitempty"`   // ready: where the result waits
	Deadline string    `json:"deadline,omitempty"` // deadline_extended: the new date
}

// PublicCollect says where to collect a result, from when and until
// when.
type PublicCollect struct {
	Office string    `json:"office"`
	Since  time.Time `json:"since"`
	// Until is the last day (YYYY-MM-DD, the office's) the result is kept
	// for the visitor: the office's storage period after the day it became
	// ready, or the day a supervisor kept it to. Past it the result is on
	// the supervisor's list, and may go back to its department.
	Until string `json:"until,omitempty"`
}

// Bring codes (PublicCase.Bring).
const (
	BringIdentity  = "identity_document"
	BringReceipt   = "receipt"
	BringAttorney  = "power_of_attorney"
	BringRequested = "requested_documents"
)

// CodeCheckNumber is the error code of a case number that is not one: a
// wrong check digit (422, a typo) or a wrong shape (400).
const CodeCheckNumber = "check_number"

// Notice is a notice to a visitor as the supervisor sees it (GET
// /v1/offices/{office}/notices): what and how, never to whom.
type Notice struct {
	ID         int64     `json:"id"`
	CaseNumber string    `json:"case_number"`
	Kind       string    `json:"kind"`   // ready, documents_requested, deadline_extended
	Status     string    `json:"status"` // pending, sent, failed, cancelled
	Channel    string    `json:"channel,omitempty"`
	Attempts   int       `json:"attempts"`
	LastError  string    `json:"last_error,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	NextAt     time.Time `json:"next_at,omitzero"` // pending: not before
	SentAt     time.Time `json:"sent_at,omitzero"`
}

// NoticeList answers GET /v1/offices/{office}/notices.
type NoticeList struct {
	Notices []Notice `json:"notices"`
}
