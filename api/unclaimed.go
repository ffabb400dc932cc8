package api

import (
	"time"

	"github.com/okno-mfc/okno/domain"
)

// Unclaimed results (issue 15, part 3): a result (or a refusal letter)
// that waited at the office longer than its storage period is on the
// supervisor's list; the supervisor returns it to the department or keeps
// it longer.

// UnclaimedList answers GET /v1/offices/{office}/unclaimed: the office's
// results not collected by their last day, the longest waiting first (at
// most 100 in Results; Total counts them all).
type UnclaimedList struct {
	Office string    `json:"office"`
	At     time.Time `json:"at"`
	Today  string    `json:"today"` // YYYY-MM-DD, the office's day
	// PeriodDays is the office's storage period: a result waits this many
	// days after the day it became ready (unless a supervisor kept it
	// longer), and is unclaimed from the day after.
	PeriodDays int               `json:"period_days"`
	Results    []UnclaimedResult `json:"results"`
	Total      int               `json:"total"`
}

// UnclaimedResult is one result not collected in time.
type UnclaimedResult struct {
	Case      domain.CaseView `json:"case"`
	CollectBy string          `json:"collect_by"` // YYYY-MM-DD, the last day it was kept for the visitor
	DaysOver  int             `json:"days_over"`  // days since that day
}

// ReturnResultRequest is the body of POST
// /v1/offices/{office}/unclaimed/{id}/return: why the result goes back to
// its department.
type ReturnResultRequest struct {
	Reason string `json:"reason"`
}

// ExtendCollectRequest is the body of POST
// /v1/offices/{office}/unclaimed/{id}/extend: keep the result for its
// visitor Days more days (from today, or from its last day if that is
// later), and why.
type ExtendCollectRequest struct {
	Days   int    `json:"days"`
	Reason string `json:"reason"`
}
