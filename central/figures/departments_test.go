package figures

import (
	"testing"
	"time"

	"github.com/okno-mfc/okno/domain"
)

// TestDepartments counts a period's hand-offs by department: decided in
// time (on the deadline day itself too) and late, withdrawn, overdue as of
// the period's end or today, still open; the average days over the
// decided ones; cases handed off outside the period left out.
func TestDepartments(t *testing.T) {
	t.Parallel()
	from := day.AddDate(0, 0, -10) // 2 March 2025
	p := NewPeriod(from, day, now, time.UTC)
	h := func(daysAgo int) time.Time { return day.AddDate(0, 0, -daysAgo).Add(10 * time.Hour) }
	cases := []domain.CaseView{
		{Department: "A", State: domain.CaseReady, Deadline: "2025-03-10", HandedOffAt: h(9), ReadyAt: h(5)},                      // 4 days, in time
		{Department: "A", State: domain.CaseIssued, Deadline: "2025-03-06", HandedOffAt: h(8), ReadyAt: h(6).Add(14 * time.Hour)}, // the last day at 24:00 is the next day: late, 2.6 days
		{Department: "A", State: domain.CaseRefused, Refused: true, Deadline: "2025-03-08", HandedOffAt: h(7), ReadyAt: h(4)},     // the deadline day: in time
		{Department: "A", State: domain.CaseInWork, Deadline: "2025-03-11", HandedOffAt: h(6)},                                    // overdue today
		{Department: "A", State: domain.CaseMoreDocs, Deadline: "2025-03-12", HandedOffAt: h(5)},                                  // due today: open
		{Department: "A", State: domain.CaseWithdrawn, Deadline: "2025-03-01", HandedOffAt: h(5)},                                 // withdrawn, not overdue
		{Department: "B", State: domain.CaseSubmitted, Deadline: "2025-04-01", HandedOffAt: h(1)},
		{Department: "B", State: domain.CaseSubmitted, Deadline: "2025-04-01", HandedOffAt: h(11)}, // before the period
		{Department: "B", State: domain.CaseDraft, Deadline: "2025-04-01"},                         // never handed off
	}
	got := Departments(p, now, cases, time.UTC)
	if len(got) != 2 || got[0].Department != "A" || got[1].Department != "B" {
		t.Fatalf("departments: %+v", got)
	}
	a := got[0]
	if a.Received != 6 || a.DecidedInTime != 2 || a.DecidedLate != 1 || a.Overdue != 1 || a.Open != 1 || a.Withdrawn != 1 {
		t.Errorf("A: %+v", a)
	}
	if want := 3.2; a.AvgDays != want { // (4 + 2.58 + 3) / 3 = 3.19
		t.Errorf("A's average days: %v, want %v", a.AvgDays, want)
	}
	if b := got[1]; b.Received != 1 || b.Open != 1 || b.AvgDays != 0 {
		t.Errorf("B: %+v", b)
	}
	// Asked for a period that ended before the in-work case's deadline, it
	// is open, not overdue.
	early := NewPeriod(from, day.AddDate(0, 0, -2), now, time.UTC)
	for _, f := range Departments(early, now, cases, time.UTC) {
		if f.Department == "A" && (f.Overdue != 0 || f.Open != 2) {
			t.Errorf("A up to 10 March: %+v", f)
		}
	}
}
