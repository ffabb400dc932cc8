// Package domain holds okno's pure types and rules: visitors, tickets, cases,
// the service catalogue, checklist items, events and the case state machine,
// identifier checks, case and ticket numbers, working-day deadlines.
//
// It does no I/O and no SQL, and imports nothing else of okno's, so the
// workstation and the central server fold events with the same code.
package domain
