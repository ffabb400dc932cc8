package api

import (
	"time"

	"github.com/okno-mfc/okno/domain"
)

// Wire types of the supervisor's reads beside the live queue (/v1):
// a period's figures (`okno report`), what needs attention, and the offices
// a caller may watch.

// OfficeReport answers GET /v1/offices/{office}/report?from=DATE&to=DATE
// (DATE is YYYY-MM-DD in the central's time zone; to is included).
type OfficeReport struct {
	Office string      `json:"office"`
	From   string      `json:"from"`
	To     string      `json:"to"`
	Days   []ReportDay `json:"days"`  // every day of the period in order, quiet days with zeros
	Total  ReportDay   `json:"total"` // the whole period (not an average of the days' averages)
	// Departments are the figures of the cases the office handed off in
	// the period, by the department that decides them.
	Departments []DepartmentFigures `json:"departments"`
}

// DepartmentFigures are one department's cases of a report's period:
// Received counts the cases handed off to it in the period; of those,
// DecidedInTime were made ready or refused by their deadline, DecidedLate
// after it, and Overdue are still undecided past it (at the end of the
// period, or now if sooner); Open are undecided and not overdue;
// Withdrawn were withdrawn by the applicant before a decision.
// AvgDays is the mean of calendar days from hand-off to decision over the
// decided ones.
type DepartmentFigures struct {
	Department    string  `json:"department"`
	Received      int     `json:"received"`
	DecidedInTime int     `json:"decided_in_time"`
	DecidedLate   int     `json:"decided_late"`
	Overdue       int     `json:"overdue"`
	Open          int     `json:"open"`
	Withdrawn     int     `json:"withdrawn"`
	AvgDays       float64 `json:"avg_days"`
}

// ReportDay is the figures of a day (or, as a report's Total, of the
// period), counted as the live queue counts them: a visitor on the day the
// ticket was issued, a wait on the day it was called (or now, while it
// still waits), a reception and a no-show on the day it ended.
// ArrivalsLastHr is set only for today.
type ReportDay struct {
	Date string `json:"date,omitempty"` // YYYY-MM-DD; empty for a total
	DayFigures
	Services  []ServiceFigures  `json:"services"`  // by service code
	Operators []OperatorFigures `json:"operators"` // by login, the ones who served someone
	// Ratings are the visitors' ratings given on the day (issue 15 §4).
	Ratings RatingFigures `json:"ratings"`
}

// ServiceFigures are a day's figures of one service.
type ServiceFigures struct {
	Service       string  `json:"service"`
	Visitors      int     `json:"visitors"`
	Served        int     `json:"served"`
	NoShows       int     `json:"no_shows"`
	AvgWaitSec    float64 `json:"avg_wait_sec"`
	MaxWaitSec    float64 `json:"max_wait_sec"`
	WithinNormPct float64 `json:"within_norm_pct"`
	AvgServiceSec float64 `json:"avg_service_sec"`
	WaitNormMin   int     `json:"wait_norm_min"` // the service's norm in the catalogue
}

// OperatorFigures are a day's receptions of one operator.
type OperatorFigures struct {
	Operator      string  `json:"operator"`
	Windows       []int   `json:"windows"` // where they served
	Served        int     `json:"served"`
	AvgServiceSec float64 `json:"avg_service_sec"`
}

// Attention answers GET /v1/offices/{office}/attention: what a supervisor
// should act on. The lists hold the first 100 of each; the totals count
// them all.
type Attention struct {
	Office string    `json:"office"`
	At     time.Time `json:"at"`

	// Overdue: handed-off cases past their deadline whose result is not
	// ready (submitted, accepted, in work, more documents), oldest deadline
	// first.
	Overdue      []domain.CaseView `json:"overdue"`
	OverdueTotal int               `json:"overdue_total"`

	// Unclaimed: results (and refusal letters) not collected by their last
	// day at the office (the office's storage period after the day they
	// became ready, or the day a supervisor kept them to), the longest
	// waiting first: to return to the department or keep longer (GET
	// /v1/offices/{office}/unclaimed has their last days).
	Unclaimed      []domain.CaseView `json:"unclaimed"`
	UnclaimedTotal int               `json:"unclaimed_total"`

	// Rejected: events the central refused since RejectedSince, newest
	// first; each needs a clerk to redo the action.
	Rejected      []RejectedEvent `json:"rejected"`
	RejectedTotal int             `json:"rejected_total"`
	RejectedSince time.Time       `json:"rejected_since"`

	// Quarantined: events the central kept out of the windows' chains
	// since RejectedSince — a hash or signature that does not verify with
	// the window's key, no signature, a seq another event holds — grouped
	// by window, problem and sender, the latest first. Someone may be
	// forging events, or a workstation's key changed: find out who.
	Quarantined      []QuarantineGroup `json:"quarantined"`
	QuarantinedTotal int               `json:"quarantined_total"` // events, in every group

	// FailedNotices: notices to visitors given up (the mail server or the
	// SMS gateway refused them for good, or after the last retry), newest
	// first, without addresses (issue 15).
	FailedNotices      []Notice `json:"failed_notices"`
	FailedNoticesTotal int      `json:"failed_notices_total"`
}

// QuarantineGroup counts the quarantined events of one window with one
// problem pushed by one login. No payload, no personal data.
type QuarantineGroup struct {
	Window  int       `json:"window"`
	Problem string    `json:"problem"` // hash, signature, unsigned, seq_taken
	SentBy  string    `json:"sent_by"` // the login whose session pushed them
	Count   int       `json:"count"`
	Reason  string    `json:"reason"` // the reason given to one of them
	First   time.Time `json:"first"`  // when the first and the last arrived
	Last    time.Time `json:"last"`
}

// RejectedEvent is an event the central stored as rejected, without its
// payload (which may hold invalid personal data).
type RejectedEvent struct {
	ID         string           `json:"id"`
	Window     int              `json:"window"`
	Seq        int64            `json:"seq"`
	At         time.Time        `json:"at"`
	Kind       domain.EventKind `json:"kind"`
	Actor      string           `json:"actor,omitempty"`
	Reason     string           `json:"reason"`
	ReceivedAt time.Time        `json:"received_at"`
}

// OfficeList answers GET /v1/offices: the offices the caller may watch
// (every office known to the central for a head-office caller, office *).
type OfficeList struct {
	Offices []OfficeInfo `json:"offices"`
}

// OfficeInfo is one office of an OfficeList.
type OfficeInfo struct {
	Code    string `json:"code"`
	Windows int    `json:"windows"` // enrolled workstations
}
