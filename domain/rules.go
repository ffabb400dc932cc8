package domain

import (
	"fmt"
	"slices"
	"strings"
)

// The rules the workstation's screens and its store (and, where it applies,
// the central) both ask. Each is one function here, so a screen cannot
// allow what the store refuses.

// ChecklistRow is one row of a case's checklist: the requirement of the
// service's regulation and what the applicant presented.
type ChecklistRow struct {
	Requirement
	Presented   bool
	Form        DocForm
	Count       int
	Barcode     string
	Attachments []string // sha256 of attached files
}

// MissingDocuments lists the codes of the required rows not presented, in
// the checklist's order.
func MissingDocuments(rows []ChecklistRow) []string {
	var missing []string
	for _, r := range rows {
		if r.Need == Required && !r.Presented {
			missing = append(missing, r.Code)
		}
	}
	return missing
}

// CanHandOff says whether a case in state may leave for its department with
// this checklist: the state machine must allow it, and every required
// document must be presented, or reason must say why the case goes without
// them (a *MissingDocumentsError otherwise). It returns the hand-off's
// payload: the documents missing and the reason, which is dropped when
// nothing is missing.
func CanHandOff(state CaseState, rows []ChecklistRow, reason string) (HandOffPayload, error) {
	if _, err := Transition(state, ActHandOff); err != nil {
		return HandOffPayload{}, err
	}
	missing := MissingDocuments(rows)
	reason = strings.TrimSpace(reason)
	switch {
	case len(missing) == 0:
		return HandOffPayload{}, nil
	case reason == "":
		return HandOffPayload{}, &MissingDocumentsError{Docs: missing}
	}
	return HandOffPayload{Missing: missing, MissingReason: reason}, nil
}

// CallState is what the may-this-window-call-next rule looks at: the
// window's break and the ticket it serves.
type CallState struct {
	OnBreak bool   // the operator is on a break
	Serving string // the number of the ticket at the window; "" when none
}

// CanCallNext says whether a window may call the next visitor: not while
// on a break (ErrOnBreak), not while a visitor is still at the window
// (ErrTicketAtWindow, naming the ticket).
func CanCallNext(w CallState) error {
	switch {
	case w.OnBreak:
		return ErrOnBreak
	case w.Serving != "":
		return fmt.Errorf("ticket %s: %w", w.Serving, ErrTicketAtWindow)
	}
	return nil
}

// CanServe reports whether a window with this equipment can serve a
// service (a biometric passport needs the biometric kit).
func CanServe(svc *Service, equipment []string) bool {
	for _, need := range svc.Equipment {
		if !slices.Contains(equipment, need) {
			return false
		}
	}
	return true
}

// CanWithdraw says whether a case may be withdrawn — a draft cancelled at
// the window, or a request the applicant takes back — and returns the
// event's payload. The reason is required: it stays in the case's history.
func CanWithdraw(state CaseState, reason string) (NotePayload, error) {
	if _, err := Transition(state, ActWithdraw); err != nil {
		return NotePayload{}, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return NotePayload{}, &InvalidError{Field: "reason", Problem: ProblemEmpty, Message: "say why the case is withdrawn"}
	}
	return NotePayload{Note: reason}, nil
}

// CheckProof checks the proof document of a privileged ticket: it names
// the document with its number (the clerk saw it), so it holds a digit;
// the document's name alone, as the screen offers it, is not a proof.
func CheckProof(proof string) error {
	proof = strings.TrimSpace(proof)
	if proof == "" {
		return &InvalidError{Field: "proof", Problem: ProblemEmpty, Message: "a privileged ticket needs its proof document"}
	}
	if strings.IndexFunc(proof, func(r rune) bool { return r >= '0' && r <= '9' }) < 0 {
		return &InvalidError{Field: "proof", Problem: ProblemFormat, Message: "the proof document's number is missing: type it after the document's name"}
	}
	return nil
}
