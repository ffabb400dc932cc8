package domain

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// TicketNumber is what a walk-in's ticket says: a prefix of 1–3 capital
// Latin or Cyrillic letters (per service or category) and a number 1…999999
// that restarts each day, printed "A-017". Latin A and Cyrillic А are
// different prefixes: the catalogue decides which it uses. The number's
// thousands say who issued it (IssuerNumber): A-017 is the central's (the
// kiosk, a booking's check-in), A-3017 window 3's.
//
// Ticket numbers are for the hall (the board, the tracking page, the
// printed ticket); a ticket's identity is its id.
type TicketNumber struct {
	Prefix string
	N      int
}

// String prints the ticket number, "A-017".
func (t TicketNumber) String() string { return fmt.Sprintf("%s-%03d", t.Prefix, t.N) }

// ParseTicketNumber reads a ticket number: "A-017", "a17", "А 017".
func ParseTicketNumber(s string) (TicketNumber, error) {
	const field = "ticket_number"
	const shape = "a ticket number is 1 to 3 letters and a number 1 to 999999, e.g. A-017 or A-3017"
	var prefix []rune
	var digits strings.Builder
	var cyr, lat bool
	for _, r := range s {
		u := unicode.ToUpper(r)
		switch {
		case isSep(r) && r != '№':
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case u >= 'A' && u <= 'Z', unicode.Is(unicode.Cyrillic, u) && unicode.IsUpper(u):
			if digits.Len() > 0 {
				return TicketNumber{}, invalidf(field, ProblemFormat, "%s: the letters come first", shape)
			}
			if u <= 'Z' {
				lat = true
			} else {
				cyr = true
			}
			prefix = append(prefix, u)
		default:
			return TicketNumber{}, invalidf(field, ProblemChars, "%q may not stand in a ticket number: %s", r, shape)
		}
	}
	switch {
	case len(prefix) == 0 && digits.Len() == 0:
		return TicketNumber{}, invalidf(field, ProblemEmpty, "ticket number is missing")
	case len(prefix) == 0 || len(prefix) > 3 || digits.Len() == 0:
		return TicketNumber{}, invalidf(field, ProblemFormat, "%s", shape)
	case cyr && lat:
		return TicketNumber{}, invalidf(field, ProblemChars, "the prefix mixes Latin and Cyrillic letters: a letter typed in the wrong keyboard layout?")
	case digits.Len() > 6:
		return TicketNumber{}, invalidf(field, ProblemRange, "%s", shape)
	}
	n, _ := strconv.Atoi(digits.String())
	if n == 0 {
		return TicketNumber{}, invalidf(field, ProblemRange, "ticket numbers start at 1: %s", shape)
	}
	return TicketNumber{Prefix: string(prefix), N: n}, nil
}

// MaxIssued is how many tickets of one prefix an issuer (a window, or
// the central) numbers apart in a day; the next starts its numbers again.
const MaxIssued = 999

// IssuerNumber is the number of the n-th ticket (from 1) of a prefix that
// window issued today; window 0 is the central (the kiosk and bookings'
// check-ins). Each issuer numbers in its own thousand — the central
// 1…999, window 3 3001…3999, window 12 12001…12999 — so no two issuers of
// an office, the central and windows working offline included, ever give
// the same number on a day; within an issuer a number comes again only
// after MaxIssued tickets of the prefix that day.
func IssuerNumber(window int, n int64) int {
	return window*1000 + int((n-1)%MaxIssued) + 1
}

// Category is a privileged category of visitors, served before the ordinary
// queue. Categories are data: they differ by region and year.
type Category struct {
	Code  string            `json:"code" yaml:"code"`
	Names map[string]string `json:"names" yaml:"names"` // by language: ru, uk, en
	Basis string            `json:"basis" yaml:"basis"` // the legal basis of the privilege
	Proof string            `json:"proof" yaml:"proof"` // the document that proves it
	Rank  int               `json:"rank" yaml:"rank"`   // lower is served earlier; from 1
}

// TicketState is where a ticket is in the queue.
type TicketState string

// Ticket states.
const (
	TicketWaiting    TicketState = "waiting"
	TicketCalled     TicketState = "called"
	TicketPostponed  TicketState = "postponed"
	TicketServed     TicketState = "served"
	TicketNoShow     TicketState = "no_show"
	TicketRedirected TicketState = "redirected"
)

// QueueEntry is a ticket as the queue sees it.
type QueueEntry struct {
	TicketID string
	Number   string // printed ticket number, "A-017"
	Service  string
	Category string // privileged category code; "" for the ordinary queue
	Rank     int    // the category's rank; 0 for the ordinary queue
	IssuedAt time.Time
	State    TicketState
	Window   int // the window that called it; 0 if none
}

// MaxRank is the highest queue rank a ticket may be given.
const MaxRank = 99

// privileged reports whether e goes before the ordinary queue: a rank of 1
// or more (its privileged category's, or a supervisor's decision,
// ticket.priority_changed).
func (e QueueEntry) privileged() bool { return e.Rank > 0 }

// compareQueue orders the queue: privileged entries first, lower rank
// first; then by the time of issue, the printed number and the ticket id.
func compareQueue(a, b QueueEntry) int {
	pa, pb := a.privileged(), b.privileged()
	switch {
	case pa && !pb:
		return -1
	case pb && !pa:
		return 1
	case pa && a.Rank != b.Rank:
		return cmp.Compare(a.Rank, b.Rank)
	}
	if c := a.IssuedAt.Compare(b.IssuedAt); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Number, b.Number); c != 0 {
		return c
	}
	return cmp.Compare(a.TicketID, b.TicketID)
}

// SortQueue sorts entries in the order they are called (see NextInQueue),
// whatever their state.
func SortQueue(entries []QueueEntry) { slices.SortStableFunc(entries, compareQueue) }

// NextInQueue returns the waiting entry a window calls next among those it
// can serve (a nil canServe serves everything): privileged categories first,
// lower rank first (an entry of rank 0 is ordinary and goes
// after every privileged one), then the earliest issued, then by number.
// ok is false when nobody waits for this window.
func NextInQueue(entries []QueueEntry, canServe func(service string) bool) (QueueEntry, bool) {
	var best QueueEntry
	found := false
	for _, e := range entries {
		if e.State != TicketWaiting || canServe != nil && !canServe(e.Service) {
			continue
		}
		if !found || compareQueue(e, best) < 0 {
			best, found = e, true
		}
	}
	return best, found
}
