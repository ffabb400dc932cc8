package domain

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// A result waits at the office for its storage period from the day it
// became ready; a supervisor keeps it longer (a later last day, with a
// reason) or returns it to the department, and a returned result is not
// issued at the window, with a message saying where the visitor goes.
func TestUnclaimedFold(t *testing.T) {
	t.Parallel()
	irk := time.FixedZone("IRK", 8*3600)
	ready := time.Date(2026, 11, 2, 20, 0, 0, 0, time.UTC) // 04:00 on the 3rd in Irkutsk
	c := &CaseView{ID: "c1", Office: "IRK", State: CaseInWork, Department: "arch"}
	if err := c.Apply(deskEvent(c, EvCaseStatusChanged, ready, StatusPayload{Status: CaseReady, Result: ResultCollect})); err != nil {
		t.Fatal(err)
	}
	if got := c.CollectUntil(30, irk); got != "2026-12-03" {
		t.Fatalf("kept until %s, want 2026-12-03 (30 days after the office's day it was ready)", got)
	}
	// The department cannot send it back by a status: the office returns it.
	if err := c.Apply(deskEvent(c, EvCaseStatusChanged, ready, StatusPayload{Status: CaseReturned})); err == nil || c.State != CaseReady {
		t.Fatalf("a status returned: %v, state %s", err, c.State)
	}
	if err := (&StatusPayload{Status: CaseReturned}).Check(); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "supervisor") {
		t.Fatalf("Check of status returned: %v", err)
	}
	later := ready.AddDate(0, 0, 35)
	if err := c.Apply(deskEvent(c, EvCollectExtended, later, CollectPayload{CollectBy: "2026-12-20", Reason: "в больнице"})); err != nil {
		t.Fatal(err)
	}
	if c.CollectUntil(30, irk) != "2026-12-20" || c.CollectReason != "в больнице" || c.State != CaseReady {
		t.Fatalf("extended: %+v", c)
	}
	if err := c.Apply(deskEvent(c, EvCollectExtended, later, CollectPayload{CollectBy: "2026-12-19", Reason: "x"})); !errors.Is(err, ErrInvalid) || c.CollectBy != "2026-12-20" {
		t.Fatalf("an extension to an earlier day: %v, %s", err, c.CollectBy)
	}
	if err := c.Apply(deskEvent(c, EvCaseReturned, later, ReturnPayload{Reason: "не явился", CollectBy: "2026-12-20"})); err != nil {
		t.Fatal(err)
	}
	if c.State != CaseReturned || c.State.Open() || c.ReturnReason != "не явился" || !c.ClosedAt.Equal(later) || c.WaitsAtOffice() || c.CollectUntil(30, irk) != "" {
		t.Fatalf("returned: %+v", c)
	}
	err := c.Apply(deskEvent(c, EvResultIssued, later, NotePayload{}))
	var re *ReturnedError
	var te *TransitionError
	if !errors.As(err, &re) || !errors.As(err, &te) || !strings.Contains(err.Error(), "department (arch)") || !strings.Contains(err.Error(), "не явился") {
		t.Fatalf("issue of a returned result: %v", err)
	}
	if err := c.Apply(deskEvent(c, EvCollectExtended, later, CollectPayload{CollectBy: "2027-01-20", Reason: "x"})); !errors.As(err, &te) {
		t.Fatalf("an extension of a returned result: %v", err)
	}
	// Only a result that waits at the office goes back: not one in work,
	// nor an electronic one (nothing waits).
	w := &CaseView{ID: "c2", Office: "IRK", State: CaseInWork}
	if err := w.Apply(deskEvent(w, EvCaseReturned, later, ReturnPayload{Reason: "x", CollectBy: "2026-12-01"})); !errors.As(err, &te) {
		t.Fatalf("return of a case in work: %v", err)
	}
	if err := w.Apply(deskEvent(w, EvCaseStatusChanged, ready, StatusPayload{Status: CaseReady, Result: ResultElectronic})); err != nil || w.WaitsAtOffice() {
		t.Fatalf("electronic: %v %v", err, w.WaitsAtOffice())
	}
	// A refusal letter waits too, and goes back the same way.
	r := &CaseView{ID: "c3", Office: "IRK", State: CaseAccepted}
	if err := r.Apply(deskEvent(r, EvCaseStatusChanged, ready, StatusPayload{Status: CaseRefused, Ground: "п. 1"})); err != nil || !r.WaitsAtOffice() {
		t.Fatalf("refused: %v", err)
	}
	if err := r.Apply(deskEvent(r, EvCaseReturned, later, ReturnPayload{Reason: "x", CollectBy: "2026-12-03"})); err != nil || r.State != CaseReturned {
		t.Fatalf("return of a refusal letter: %v", err)
	}
	// The payloads need their reasons.
	for _, e := range []*Event{
		deskEvent(c, EvCaseReturned, later, ReturnPayload{CollectBy: "2026-12-01"}),
		deskEvent(c, EvCollectExtended, later, CollectPayload{CollectBy: "2026-13-01", Reason: "x"}),
		deskEvent(c, EvCollectExtended, later, CollectPayload{CollectBy: "2026-12-30"}),
	} {
		if _, err := e.DecodePayload(); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s %s: %v", e.Kind, e.Payload, err)
		}
	}
}
