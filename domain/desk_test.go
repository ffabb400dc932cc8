package domain

import (
	"errors"
	"testing"
	"time"
)

func deskEvent(c *CaseView, kind EventKind, at time.Time, p any) *Event {
	return &Event{ID: "e-" + at.Format(time.RFC3339), Office: c.Office, Kind: kind, CaseID: c.ID, At: at, Payload: MustPayload(p)}
}

// The department's statuses carry their reasons into the case: the
// documents asked for (and the term paused), the result's form, the
// refusal's ground, an extension's basis.
func TestDeskStatusesFold(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) // a Monday
	c := &CaseView{ID: "c1", Office: "IRK", State: CaseInWork, Deadline: "2026-12-04"}
	if err := c.Apply(deskEvent(c, EvCaseStatusChanged, at, StatusPayload{Status: CaseMoreDocs, Documents: []string{"Технический паспорт"}, Due: "2026-11-30"})); err != nil {
		t.Fatal(err)
	}
	if c.State != CaseMoreDocs || len(c.Requested) != 1 || c.RequestedDue != "2026-11-30" || !c.PausedAt.Equal(at) {
		t.Fatalf("more_docs: %+v", c)
	}
	back := at.AddDate(0, 0, 3)
	if err := c.Apply(deskEvent(c, EvCaseStatusChanged, back, StatusPayload{Status: CaseInWork, Deadline: "2026-12-09"})); err != nil {
		t.Fatal(err)
	}
	if c.State != CaseInWork || c.Requested != nil || c.RequestedDue != "" || !c.PausedAt.IsZero() || c.Deadline != "2026-12-09" {
		t.Fatalf("back in work: %+v", c)
	}
	// An extension must move the deadline later, while the case is at the department.
	err := c.Apply(deskEvent(c, EvDeadlineExtended, back, DeadlinePayload{Deadline: "2026-12-01", Basis: "ч. 2 ст. 26"}))
	if !errors.Is(err, ErrInvalid) || c.Deadline != "2026-12-09" {
		t.Fatalf("an extension to an earlier day: %v, deadline %s", err, c.Deadline)
	}
	if err := c.Apply(deskEvent(c, EvDeadlineExtended, back, DeadlinePayload{Deadline: "2026-12-30", Basis: "ч. 2 ст. 26"})); err != nil || c.Deadline != "2026-12-30" || c.ExtendedBasis != "ч. 2 ст. 26" {
		t.Fatalf("extension: %v %+v", err, c)
	}
	if err := c.Apply(deskEvent(c, EvCaseStatusChanged, back, StatusPayload{Status: CaseReady, Result: ResultElectronic})); err != nil || c.Result != ResultElectronic {
		t.Fatalf("ready: %v %+v", err, c)
	}
	err = c.Apply(deskEvent(c, EvDeadlineExtended, back, DeadlinePayload{Deadline: "2027-01-30", Basis: "x"}))
	var te *TransitionError
	if !errors.As(err, &te) {
		t.Fatalf("an extension of a ready case: %v", err)
	}
	r := &CaseView{ID: "c2", Office: "IRK", State: CaseAccepted}
	if err := r.Apply(deskEvent(r, EvCaseStatusChanged, at, StatusPayload{Status: CaseRefused, Ground: "п. 1 ч. 1 ст. 27 ЖК РФ"})); err != nil || r.Ground == "" || !r.Refused {
		t.Fatalf("refused: %v %+v", err, r)
	}
}

// A new status change must give the reasons its status needs, and no
// reasons of another status.
func TestStatusPayloadCheck(t *testing.T) {
	t.Parallel()
	good := []StatusPayload{
		{Status: CaseAccepted},
		{Status: CaseInWork},
		{Status: CaseMoreDocs, Documents: []string{"справка"}, Due: "2026-12-01"},
		{Status: CaseReady, Result: ResultCollect},
		{Status: CaseRefused, Ground: "ст. 27"},
	}
	for _, p := range good {
		if err := p.Check(); err != nil {
			t.Errorf("%+v: %v", p, err)
		}
	}
	bad := []StatusPayload{
		{Status: "done"},
		{Status: CaseMoreDocs, Due: "2026-12-01"},
		{Status: CaseMoreDocs, Documents: []string{"справка"}},
		{Status: CaseMoreDocs, Documents: []string{" "}, Due: "2026-12-01"},
		{Status: CaseReady},
		{Status: CaseReady, Result: "fax"},
		{Status: CaseRefused},
		{Status: CaseInWork, Ground: "x"},
		{Status: CaseInWork, Result: ResultCollect},
		{Status: CaseInWork, Documents: []string{"x"}},
	}
	for _, p := range bad {
		if err := p.Check(); !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: %v, want invalid", p, err)
		}
	}
}

func TestWorkingDaysBetweenAndResume(t *testing.T) {
	t.Parallel()
	cal := DefaultCalendar()
	d := func(s string) time.Time { v, _ := ParseDate(s); return v }
	for _, tc := range []struct {
		from, to string
		want     int
	}{
		{"2026-11-23", "2026-11-23", 0},
		{"2026-11-23", "2026-11-27", 4},  // Mon → Fri
		{"2026-11-27", "2026-11-30", 1},  // Fri → Mon
		{"2026-11-30", "2026-11-27", -1}, // a day past
		{"2026-12-30", "2027-01-11", 1},  // Dec 31 and Jan 1–8 are off, Jan 9–10 a weekend: Monday Jan 11 only
	} {
		if got := cal.WorkingDaysBetween(d(tc.from), d(tc.to)); got != tc.want {
			t.Errorf("%s → %s: %d, want %d", tc.from, tc.to, got, tc.want)
		}
	}
	// Paused Monday, resumed Thursday: 3 working days; Friday Dec 4 moves to Wednesday Dec 9.
	got, err := cal.ResumeDeadline("2026-12-04", d("2026-11-23"), d("2026-11-26"))
	if err != nil || got != "2026-12-09" {
		t.Fatalf("resume: %s %v", got, err)
	}
	if got, _ := cal.ResumeDeadline("2026-12-04", d("2026-11-28"), d("2026-11-29")); got != "2026-12-04" {
		t.Fatalf("a weekend's pause moved the deadline to %s", got)
	}
}
