package figures

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
)

// Departments are the figures of the cases handed off in period p, by the
// department that decides them, in the order of the departments' names.
// A case is decided when it was made ready or refused, in time when that
// day (in loc) is not after its deadline; an undecided case is overdue
// when its deadline is before the period's last day (or today, if sooner).
// AvgDays is the mean calendar days from hand-off to decision, to a tenth.
func Departments(p Period, now time.Time, cases []domain.CaseView, loc *time.Location) []api.DepartmentFigures {
	asOf := p.Last
	if today := StartOfDay(now, loc); today.Before(asOf) {
		asOf = today
	}
	day := asOf.Format(time.DateOnly)
	by := map[string]*api.DepartmentFigures{}
	sums := map[string]float64{}
	for i := range cases {
		c := &cases[i]
		if c.HandedOffAt.IsZero() || c.HandedOffAt.Before(p.Start) || !c.HandedOffAt.Before(p.End) {
			continue
		}
		f := by[c.Department]
		if f == nil {
			f = &api.DepartmentFigures{Department: c.Department}
			by[c.Department] = f
		}
		f.Received++
		switch {
		case !c.ReadyAt.IsZero():
			if c.Deadline == "" || c.ReadyAt.In(loc).Format(time.DateOnly) <= c.Deadline {
				f.DecidedInTime++
			} else {
				f.DecidedLate++
			}
			sums[c.Department] += c.ReadyAt.Sub(c.HandedOffAt).Hours() / 24
		case c.State == domain.CaseWithdrawn:
			f.Withdrawn++
		case c.Deadline != "" && c.Deadline < day:
			f.Overdue++
		default:
			f.Open++
		}
	}
	out := make([]api.DepartmentFigures, 0, len(by))
	for d, f := range by {
		if n := f.DecidedInTime + f.DecidedLate; n > 0 {
			f.AvgDays = math.Round(sums[d]/float64(n)*10) / 10
		}
		out = append(out, *f)
	}
	slices.SortFunc(out, func(a, b api.DepartmentFigures) int { return cmp.Compare(a.Department, b.Department) })
	return out
}
