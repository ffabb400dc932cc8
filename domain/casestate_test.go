package domain

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestTransitionTable checks every (state, action) pair against the table a
// person reads in docs/data-model.md: the allowed ones reach their state,
// every other one is refused with an error naming both.
func TestTransitionTable(t *testing.T) {
	t.Parallel()
	allowed := map[CaseState]map[CaseAction]CaseState{
		CaseDraft:     {ActHandOff: CaseSubmitted, ActWithdraw: CaseWithdrawn},
		CaseSubmitted: {ActAccept: CaseAccepted, ActRefuse: CaseRefused, ActWithdraw: CaseWithdrawn},
		CaseAccepted:  {ActStartWork: CaseInWork, ActRefuse: CaseRefused, ActWithdraw: CaseWithdrawn},
		CaseInWork:    {ActRequestDocs: CaseMoreDocs, ActMakeReady: CaseReady, ActRefuse: CaseRefused, ActWithdraw: CaseWithdrawn},
		CaseMoreDocs:  {ActStartWork: CaseInWork, ActRefuse: CaseRefused, ActWithdraw: CaseWithdrawn},
		CaseReady:     {ActIssue: CaseIssued, ActExpire: CaseUnclaimed, ActReturn: CaseReturned},
		CaseRefused:   {ActIssue: CaseIssued, ActReturn: CaseReturned},
		CaseUnclaimed: {ActIssue: CaseIssued, ActReturn: CaseReturned},
		CaseIssued:    {},
		CaseWithdrawn: {},
		CaseReturned:  {},
	}
	pairs, ok := 0, 0
	for _, from := range CaseStates {
		for _, a := range CaseActions {
			pairs++
			to, err := Transition(from, a)
			want, allow := allowed[from][a]
			if allow {
				ok++
				if err != nil || to != want {
					t.Errorf("%s --%s--> %s, %v; want %s", from, a, to, err, want)
				}
				continue
			}
			var te *TransitionError
			if !errors.As(err, &te) || te.From != from || te.Action != a {
				t.Errorf("%s --%s--> %s, %v; want a refusal", from, a, to, err)
				continue
			}
			if to != from {
				t.Errorf("a refused %s moved %s to %s", a, from, to)
			}
			if msg := err.Error(); !strings.Contains(msg, string(from)) || !strings.Contains(msg, string(a)) {
				t.Errorf("the refusal %q does not name %s and %s", msg, from, a)
			}
		}
	}
	if pairs != len(CaseStates)*len(CaseActions) || ok != 22 {
		t.Fatalf("%d pairs checked, %d allowed; want %d and 22", pairs, ok, len(CaseStates)*len(CaseActions))
	}
}

// A department asks for a status; the machine finds the action or refuses.
func TestActionForStatus(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		from, to CaseState
		want     CaseAction
	}{
		{CaseSubmitted, CaseAccepted, ActAccept},
		{CaseAccepted, CaseInWork, ActStartWork},
		{CaseMoreDocs, CaseInWork, ActStartWork},
		{CaseInWork, CaseReady, ActMakeReady},
		{CaseReady, CaseUnclaimed, ActExpire},
	} {
		if a, err := ActionForStatus(tc.from, tc.to); err != nil || a != tc.want {
			t.Errorf("%s → %s: %s %v, want %s", tc.from, tc.to, a, err, tc.want)
		}
	}
	for _, bad := range [][2]CaseState{{CaseDraft, CaseReady}, {CaseIssued, CaseReady}, {CaseSubmitted, CaseIssued}, {CaseReady, CaseInWork}} {
		if _, err := ActionForStatus(bad[0], bad[1]); err == nil {
			t.Errorf("%s → %s was allowed", bad[0], bad[1])
		}
	}
}

// The fold refuses what the machine refuses and leaves the case as it was.
func TestFoldRefusesAndKeepsTheCase(t *testing.T) {
	t.Parallel()
	open := Event{ID: "0190a0a0-0000-7000-8000-000000000001", Office: "IRK", Window: 3, Seq: 1, Kind: EvCaseOpened,
		CaseID: "c1", VisitorID: "v1", Payload: MustPayload(CaseOpenedPayload{Number: NewCaseNumber("IRK", 3, mustDate(t, "2026-11-23"), 1).String(), Service: "s", Deadline: "2026-12-01"})}
	c, err := NewCase(&open)
	if err != nil {
		t.Fatal(err)
	}
	issue := Event{Kind: EvResultIssued, CaseID: "c1", Payload: MustPayload(NotePayload{})}
	before := *c
	if err := c.Apply(&issue); err == nil {
		t.Fatal("a draft's result was issued")
	}
	if c.State != before.State || c.ClosedAt != before.ClosedAt {
		t.Fatal("a refused event changed the case")
	}
	hand := Event{Kind: EvCaseHandedOff, CaseID: "c1", Payload: MustPayload(HandOffPayload{})}
	if err := c.Apply(&hand); err != nil || c.State != CaseSubmitted {
		t.Fatalf("hand-off: %s %v", c.State, err)
	}
	doc := Event{Kind: EvDocumentChecked, CaseID: "c1", Payload: MustPayload(DocumentPayload{Doc: "passport", Presented: true, Form: FormOriginal, Count: 1})}
	if err := c.Apply(&doc); err == nil {
		t.Fatal("a document was added to a handed-off case")
	}
}

func mustDate(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
