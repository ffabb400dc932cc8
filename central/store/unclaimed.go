package store

import (
	"context"
	"fmt"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
)

// Unclaimed results (issue 15, part 3). A result (or a refusal letter)
// waits at the office for its visitor from the day it became ready to the
// end of its last day: that day plus the office's storage period, or the
// day a supervisor kept it to (case.collect_extended). From the next day
// it is on the supervisor's list; the supervisor returns it to its
// department (case.returned) or keeps it longer. Both are the central's
// events (window 0 of the office, actor the supervisor). The cases table
// keeps collect_from and collect_by (migration 012) for the list's query.

// Keeping is an office's storage period of results: Days after the day a
// result became ready, days counted in Loc.
type Keeping struct {
	Days int
	Loc  *time.Location
}

func (k Keeping) loc() *time.Location {
	if k.Loc == nil {
		return time.Local
	}
	return k.Loc
}

// today is the office's day at now.
func (k Keeping) today(now time.Time) string { return now.In(k.loc()).Format(time.DateOnly) }

// unclaimedWhere is the cases of office whose result waits past its last
// day at now.
func unclaimedWhere(office string, k Keeping, now time.Time) (string, []any) {
	n := now.In(k.loc())
	// Ready on day D, kept through D+Days: unclaimed when D < today-Days,
	// that is ready before the start of that day.
	cutoff := time.Date(n.Year(), n.Month(), n.Day()-k.Days, 0, 0, 0, 0, k.loc())
	return `office = ? AND collect_from > 0 AND ((collect_by = '' AND collect_from < ?) OR (collect_by <> '' AND collect_by < ?))`,
		[]any{office, cutoff.UnixNano(), n.Format(time.DateOnly)}
}

// Unclaimed lists the results of office not collected by their last day,
// the longest waiting first.
func (s *Store) Unclaimed(ctx context.Context, office string, k Keeping) (api.UnclaimedList, error) {
	now := s.now()
	out := api.UnclaimedList{Office: office, At: now.UTC(), Today: k.today(now), PeriodDays: k.Days, Results: []api.UnclaimedResult{}}
	where, args := unclaimedWhere(office, k, now)
	cases, total, err := s.caseList(ctx, where, `collect_from, id`, args...)
	if err != nil {
		return out, err
	}
	out.Total = total
	today, _ := domain.ParseDate(out.Today)
	for _, c := range cases {
		by := c.CollectUntil(k.Days, k.loc())
		r := api.UnclaimedResult{Case: c, CollectBy: by}
		if d, err := domain.ParseDate(by); err == nil {
			r.DaysOver = int(today.Sub(d).Hours() / 24)
		}
		out.Results = append(out.Results, r)
	}
	return out, nil
}

// waitingResult finds the case caseID of office for a supervisor's
// return or extension: a 404 for a case the caller may not see or of
// another office, a 409 for one whose result does not wait at the office.
func (t *Tx) waitingResult(caller *Session, office, caseID string) (*domain.CaseView, error) {
	c, err := t.lockCase(caseID)
	if err != nil {
		return nil, err
	}
	if c == nil || c.Office != office || !caller.CanSeeCase(c) {
		return nil, fmt.Errorf("no case %s at office %s (the list of unclaimed results names them by id): %w", caseID, office, domain.ErrNotFound)
	}
	if c.WaitsAtOffice() {
		return c, nil
	}
	switch c.State {
	case domain.CaseReturned:
		return nil, conflictf("case %s went back to the department already (%s)", c.Number, c.ClosedAt.In(time.UTC).Format(time.DateOnly))
	case domain.CaseIssued:
		return nil, conflictf("case %s: the result was issued already", c.Number)
	case domain.CaseReady:
		return nil, conflictf("case %s: the result was sent electronically, nothing waits at the office", c.Number)
	default:
		return nil, conflictf("case %s is %s: only a result waiting at the office (ready, or a refusal letter) is returned or kept longer", c.Number, c.State)
	}
}

// ReturnResult sends an uncollected result of office back to its
// department: case.returned with the reason. A result still within its
// keeping is refused (409): the visitor may come until its last day.
func (t *Tx) ReturnResult(caller *Session, office, caseID string, req api.ReturnResultRequest, k Keeping) (api.StatusResponse, error) {
	if err := checkReason(req.Reason, true); err != nil {
		return api.StatusResponse{}, err
	}
	c, err := t.waitingResult(caller, office, caseID)
	if err != nil {
		return api.StatusResponse{}, err
	}
	until, today := c.CollectUntil(k.Days, k.loc()), k.today(time.Unix(0, t.now))
	if until >= today {
		return api.StatusResponse{}, conflictf("case %s: the result is kept for its visitor to the end of %s; it can go back to the department from the next day", c.Number, until)
	}
	return t.recordCaseEvent(caller, c, domain.EvCaseReturned, domain.ReturnPayload{Reason: req.Reason, CollectBy: until})
}

// MaxCollectExtension bounds one extension of a result's keeping, in days.
const MaxCollectExtension = 365

// ExtendCollect keeps a result of office for its visitor req.Days more
// days, counted from today or from its last day if that is later:
// case.collect_extended with the new last day and the reason.
func (t *Tx) ExtendCollect(caller *Session, office, caseID string, req api.ExtendCollectRequest, k Keeping) (api.StatusResponse, error) {
	if req.Days < 1 || req.Days > MaxCollectExtension {
		return api.StatusResponse{}, invalidf("days: keep the result 1 to %d more days, not %d", MaxCollectExtension, req.Days)
	}
	if err := checkReason(req.Reason, true); err != nil {
		return api.StatusResponse{}, err
	}
	c, err := t.waitingResult(caller, office, caseID)
	if err != nil {
		return api.StatusResponse{}, err
	}
	from := max(c.CollectUntil(k.Days, k.loc()), k.today(time.Unix(0, t.now)))
	d, err := domain.ParseDate(from)
	if err != nil {
		return api.StatusResponse{}, err
	}
	by := d.AddDate(0, 0, req.Days).Format(time.DateOnly)
	return t.recordCaseEvent(caller, c, domain.EvCollectExtended, domain.CollectPayload{CollectBy: by, Reason: req.Reason})
}
