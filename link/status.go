// Package link is the workstation's only way to the network, between
// localdb and client: it pushes the outbox in sequence order whenever the
// store commits something to send (one push at a time), pulls the office's
// feed after a cursor, reports the link's state, and carries the calls
// that need the central (sign-in, calling from the shared queue, the
// supervisor's live queue). With no central configured it works the same,
// offline. It runs inside the TUI and headless as `okno sync`.
package link

import (
	"errors"
	"time"

	"github.com/okno-mfc/okno/client"
)

// State is the link's state as the status bar shows it.
type State string

// Link states.
const (
	Online   State = "online"   // the last exchange with the central succeeded
	Offline  State = "offline"  // the central cannot be reached (or none is configured)
	Syncing  State = "syncing"  // pushing or pulling now
	Degraded State = "degraded" // the central answers, but with errors (5xx, rejected sign-in of the workstation …)
)

// Problem names what keeps the link from being online, as a stable id the
// screens translate (Status.Err has the details, in English, for support).
type Problem string

// Problems.
const (
	NoProblem      Problem = ""
	NotEnrolled    Problem = "not_enrolled"    // no central configured: okno enrol
	Unreachable    Problem = "unreachable"     // the central cannot be reached
	Refused        Problem = "refused"         // the central refused the workstation's credential: enrol again
	SendAgain      Problem = "send_again"      // the central misses an earlier event of this window
	BlobMissing    Problem = "blob_missing"    // an attached file is missing from the blob folder
	CentralFailing Problem = "central_failing" // the central answers with errors
)

// Status is a snapshot of the link for the screens.
type Status struct {
	State    State
	Pending  int       // outbox depth: events not yet answered by the central
	Rejected int       // events the central refused: they need attention
	LastSync time.Time // last time push and pull both succeeded
	Problem  Problem   // why the last sync failed, for the screens to translate
	Detail   string    // what the translation names: a file's hash, the central's answer
	Code     int       // the central's HTTP status when it answered with an error; 0 otherwise
	Err      string    // the last failure in detail, in English, for support and logs
	NextTry  time.Time // when the link tries again after a failure
}

// errCredentialRefused says the central refused the workstation's own
// credential.
var errCredentialRefused = errors.New("the central refused this workstation's credential")

// problemOf names the problem of a failed sync that reached the central.
func problemOf(err error) Problem {
	switch {
	case errors.Is(err, errCredentialRefused):
		return Refused
	case errors.Is(err, ErrSendAgain):
		return SendAgain
	case errors.Is(err, client.ErrOffline):
		return Unreachable
	}
	return CentralFailing
}
