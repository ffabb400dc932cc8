package domain

import (
	"fmt"
	"sort"
)

// CaseState is where a case stands in its life.
type CaseState string

// Case states. A case is drafted at the window, handed off to a department,
// worked on there and comes back to the window as a result to issue.
const (
	CaseDraft     CaseState = "draft"     // being taken in at the window
	CaseSubmitted CaseState = "submitted" // handed off, not yet taken by the department
	CaseAccepted  CaseState = "accepted"  // the department registered it
	CaseInWork    CaseState = "in_work"   // the department works on it
	CaseMoreDocs  CaseState = "more_docs" // the department needs more documents
	CaseReady     CaseState = "ready"     // the result waits at the window
	CaseIssued    CaseState = "issued"    // the result was handed to the applicant
	CaseRefused   CaseState = "refused"   // the department refused; the refusal waits at the window
	CaseWithdrawn CaseState = "withdrawn" // the applicant withdrew the request
	CaseUnclaimed CaseState = "unclaimed" // ready, but not collected within the storage period
	CaseReturned  CaseState = "returned"  // not collected in time: the office sent the result back to the department
)

// CaseStates lists every state, in the order of a case's life.
var CaseStates = []CaseState{
	CaseDraft, CaseSubmitted, CaseAccepted, CaseInWork, CaseMoreDocs,
	CaseReady, CaseIssued, CaseRefused, CaseWithdrawn, CaseUnclaimed, CaseReturned,
}

// Valid reports whether s is one of the known states.
func (s CaseState) Valid() bool {
	for _, k := range CaseStates {
		if k == s {
			return true
		}
	}
	return false
}

// Open reports whether the case is still on its way (not issued, withdrawn,
// unclaimed, returned to the department or finally refused and handed
// over).
func (s CaseState) Open() bool {
	switch s {
	case CaseIssued, CaseWithdrawn, CaseUnclaimed, CaseReturned:
		return false
	default:
		return true
	}
}

// CaseAction is something done to a case.
type CaseAction string

// Case actions: the clerk's (hand off, issue, withdraw) and the department's.
const (
	ActHandOff     CaseAction = "hand_off"     // clerk: draft → submitted
	ActAccept      CaseAction = "accept"       // department: submitted → accepted
	ActStartWork   CaseAction = "start_work"   // department: accepted|more_docs → in_work
	ActRequestDocs CaseAction = "request_docs" // department: in_work → more_docs
	ActMakeReady   CaseAction = "make_ready"   // department: in_work → ready
	ActRefuse      CaseAction = "refuse"       // department: submitted..more_docs → refused
	ActIssue       CaseAction = "issue"        // clerk: ready|refused|unclaimed → issued
	ActWithdraw    CaseAction = "withdraw"     // clerk: draft..more_docs → withdrawn
	ActExpire      CaseAction = "expire"       // system: ready → unclaimed after the storage period
	ActReturn      CaseAction = "return"       // supervisor: ready|refused|unclaimed → returned, not collected in time
)

// CaseActions lists every action.
var CaseActions = []CaseAction{
	ActHandOff, ActAccept, ActStartWork, ActRequestDocs, ActMakeReady,
	ActRefuse, ActIssue, ActWithdraw, ActExpire, ActReturn,
}

// transitions is the whole state machine: from state, by action, to state.
var transitions = map[CaseState]map[CaseAction]CaseState{
	CaseDraft: {
		ActHandOff:  CaseSubmitted,
		ActWithdraw: CaseWithdrawn,
	},
	CaseSubmitted: {
		ActAccept:   CaseAccepted,
		ActRefuse:   CaseRefused,
		ActWithdraw: CaseWithdrawn,
	},
	CaseAccepted: {
		ActStartWork: CaseInWork,
		ActRefuse:    CaseRefused,
		ActWithdraw:  CaseWithdrawn,
	},
	CaseInWork: {
		ActRequestDocs: CaseMoreDocs,
		ActMakeReady:   CaseReady,
		ActRefuse:      CaseRefused,
		ActWithdraw:    CaseWithdrawn,
	},
	CaseMoreDocs: {
		ActStartWork: CaseInWork,
		ActRefuse:    CaseRefused,
		ActWithdraw:  CaseWithdrawn,
	},
	CaseReady: {
		ActIssue:  CaseIssued,
		ActExpire: CaseUnclaimed,
		ActReturn: CaseReturned,
	},
	CaseRefused: {
		ActIssue:  CaseIssued,   // the refusal letter is handed over
		ActReturn: CaseReturned, // the letter was not collected in time
	},
	CaseUnclaimed: {
		ActIssue:  CaseIssued, // collected late, before it went back to the department
		ActReturn: CaseReturned,
	},
}

// TransitionError says that an action is not allowed in a state.
type TransitionError struct {
	From   CaseState
	Action CaseAction
}

func (e *TransitionError) Error() string {
	allowed := AllowedActions(e.From)
	if len(allowed) == 0 {
		return fmt.Sprintf("cannot %s a case that is %s: nothing more can be done with it", e.Action, e.From)
	}
	return fmt.Sprintf("cannot %s a case that is %s (allowed: %v)", e.Action, e.From, allowed)
}

// Transition is the case state machine: the state a case in state from
// reaches by action a, or a *TransitionError naming both.
func Transition(from CaseState, a CaseAction) (CaseState, error) {
	if to, ok := transitions[from][a]; ok {
		return to, nil
	}
	return from, &TransitionError{From: from, Action: a}
}

// AllowedActions lists the actions allowed in state s, sorted.
func AllowedActions(s CaseState) []CaseAction {
	var out []CaseAction
	for a := range transitions[s] {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// ActionForStatus maps a status a department asks for to the action that
// reaches it from the current state, so "set status ready" is checked by the
// same machine.
func ActionForStatus(from, to CaseState) (CaseAction, error) {
	for a, dst := range transitions[from] {
		if dst == to {
			return a, nil
		}
	}
	return "", fmt.Errorf("cannot move a case from %s to %s", from, to)
}
