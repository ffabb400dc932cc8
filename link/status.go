// Package link is the workstation's link to the central server, between
// localdb and client: it pushes the outbox in sequence order, pulls the
// office's feed after a cursor, reports the link's state, and carries the
// calls that need the central (sign-in, calling from the shared queue). It
// runs inside the TUI and headless as `okno sync`.
package link

import "time"

// State is the link's state as the status bar shows it.
type State string

// Link states.
const (
	Online   State = "online"   // the last exchange with the central succeeded
	Offline  State = "offline"  // the central cannot be reached (or none is configured)
	Syncing  State = "syncing"  // pushing or pulling now
	Degraded State = "degraded" // the central answers, but with errors (5xx, rejected sign-in of the workstation …)
)

// Status is a snapshot of the link for the screens.
type Status struct {
	State    State
	Pending  int       // outbox depth: events not yet answered by the central
	Rejected int       // events the central refused: they need attention
	LastSync time.Time // last time push and pull both succeeded
	Err      string    // the last failure, in words a clerk can pass on to support
	NextTry  time.Time // when the link tries again after a failure
}
