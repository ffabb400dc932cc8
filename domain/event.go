package domain

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// EventKind names a clerk's (or a department's, or the system's) action.
type EventKind string

// The kinds of events: the list of things that happen at a window and behind it.
const (
	EvVisitorRegistered EventKind = "visitor.registered"
	EvVisitorUpdated    EventKind = "visitor.updated"

	EvTicketIssued     EventKind = "ticket.issued"           // a walk-in got a ticket
	EvTicketCalled     EventKind = "ticket.called"           // a window called it
	EvTicketRecalled   EventKind = "ticket.recalled"         // called again (the visitor did not come up yet)
	EvTicketNoShow     EventKind = "ticket.no_show"          // the visitor did not come
	EvTicketPostponed  EventKind = "ticket.postponed"        // set aside (e.g. to fetch a document)
	EvTicketReturned   EventKind = "ticket.returned"         // back into the queue after postponing
	EvTicketRedirected EventKind = "ticket.redirected"       // sent to another service or window
	EvTicketServed     EventKind = "ticket.served"           // service at the window finished
	EvTicketPriority   EventKind = "ticket.priority_changed" // a supervisor raised or lowered it (the central records it)

	EvCaseOpened        EventKind = "case.opened"            // a draft case for a visitor and a service
	EvDocumentChecked   EventKind = "case.document"          // a checklist row was set
	EvAttachmentAdded   EventKind = "case.attachment"        // a scanned file was attached to a row
	EvCaseHandedOff     EventKind = "case.handed_off"        // the case left for the department
	EvCaseStatusChanged EventKind = "case.status_changed"    // the department moved it
	EvDeadlineExtended  EventKind = "case.deadline_extended" // the department extended the deadline, with its legal basis
	EvResultIssued      EventKind = "case.result_issued"     // the applicant collected the result
	EvCaseWithdrawn     EventKind = "case.withdrawn"         // the applicant withdrew
	// A result not collected in time: the office's supervisor sends it
	// back to the department, or keeps it longer (the central records both).
	EvCaseReturned    EventKind = "case.returned"         // not collected in time: back to the department
	EvCollectExtended EventKind = "case.collect_extended" // the result is kept at the office longer

	EvWindowBreak   EventKind = "window.break"   // the window's operator went on a break
	EvWindowResumed EventKind = "window.resumed" // and came back (or signed in again after a sign-out)
	EvWindowClosed  EventKind = "window.closed"  // the operator signed out: the window is closed until a sign-in
	// EvWindowForceClosed: a supervisor closed a window whose clerk has
	// gone (the central records it); closed as by a sign-out.
	EvWindowForceClosed EventKind = "window.force_closed"

	EvCatalogUpdated EventKind = "catalog.updated" // the central published a new catalogue
)

// EventKinds lists every kind.
var EventKinds = []EventKind{
	EvVisitorRegistered, EvVisitorUpdated,
	EvTicketIssued, EvTicketCalled, EvTicketRecalled, EvTicketNoShow, EvTicketPostponed,
	EvTicketReturned, EvTicketRedirected, EvTicketServed, EvTicketPriority,
	EvCaseOpened, EvDocumentChecked, EvAttachmentAdded, EvCaseHandedOff,
	EvCaseStatusChanged, EvDeadlineExtended, EvResultIssued, EvCaseWithdrawn,
	EvCaseReturned, EvCollectExtended,
	EvWindowBreak, EvWindowResumed, EvWindowClosed, EvWindowForceClosed,
	EvCatalogUpdated,
}

// Valid reports whether k is a known kind.
func (k EventKind) Valid() bool {
	for _, x := range EventKinds {
		if x == k {
			return true
		}
	}
	return false
}

// Event is one thing that happened, as recorded by the workstation that saw
// it (or by the central, for a department's action). Events are the data;
// visitors, tickets and cases are projections of them.
type Event struct {
	ID        string          `json:"id"`     // UUIDv7, made by the recorder
	Office    string          `json:"office"` // office code, e.g. IRK
	Window    int             `json:"window"` // window number; 0 for the central
	Seq       int64           `json:"seq"`    // per office+window sequence, from 1
	At        time.Time       `json:"at"`     // recorder's wall time (never used for ordering)
	Kind      EventKind       `json:"kind"`
	Actor     string          `json:"actor,omitempty"` // operator login
	CaseID    string          `json:"case_id,omitempty"`
	TicketID  string          `json:"ticket_id,omitempty"`
	VisitorID string          `json:"visitor_id,omitempty"`
	Payload   json.RawMessage `json:"payload,omitempty"`
	PrevHash  string          `json:"prev_hash"`     // hex SHA-256 of the window's previous event; "" for the first
	Hash      string          `json:"hash"`          // hex SHA-256 of this event's content and PrevHash
	Sig       string          `json:"sig,omitempty"` // base64 Ed25519 signature of Hash by the workstation's key
}

// ComputeHash returns the hex SHA-256 over the event's content and PrevHash.
// Every field but Hash and Sig is covered, each length-prefixed, so no two
// different events share an encoding.
func (e *Event) ComputeHash() string {
	var buf [1024]byte // most events fit: no allocation but the answer
	var num [32]byte
	b := hashField(buf[:0], "okno-event-v1")
	b = hashField(b, e.ID)
	b = hashField(b, e.Office)
	b = hashField(b, strconv.AppendInt(num[:0], int64(e.Window), 10))
	b = hashField(b, strconv.AppendInt(num[:0], e.Seq, 10))
	b = hashField(b, e.At.UTC().AppendFormat(num[:0], time.RFC3339Nano))
	b = hashField(b, e.Kind)
	b = hashField(b, e.Actor)
	b = hashField(b, e.CaseID)
	b = hashField(b, e.TicketID)
	b = hashField(b, e.VisitorID)
	b = hashField(b, e.Payload)
	b = hashField(b, e.PrevHash)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// hashField appends one field of the hashed encoding: its length as 8
// bytes big-endian, then its bytes.
func hashField[T ~string | ~[]byte](b []byte, v T) []byte {
	b = binary.BigEndian.AppendUint64(b, uint64(len(v)))
	return append(b, v...)
}

// Seal sets the event's PrevHash and Hash.
func (e *Event) Seal(prevHash string) {
	e.PrevHash = prevHash
	e.Hash = e.ComputeHash()
}

// Stream names the chain an event belongs to: one per office and window.
func (e *Event) Stream() string { return fmt.Sprintf("%s/%d", e.Office, e.Window) }

// The times an event may carry: from EarliestEventTime to MaxEventAhead
// after the checker's clock. Outside them a clock is wrong, and the time
// could not be stored exactly (Unix nanoseconds end in 2262).
var EarliestEventTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// MaxEventAhead is how far after the checker's clock an event may be dated.
const MaxEventAhead = 24 * time.Hour

// Check is CheckAt with the machine's clock.
func (e *Event) Check() error { return e.CheckAt(time.Now()) }

// CheckAt validates an event that came from outside against the checker's
// clock now: its envelope, that every text is valid UTF-8 without NUL
// (the payload included, also as a \u0000 escape), its time, its hash and
// its payload. It says what is wrong in terms a sender can act on.
func (e *Event) CheckAt(now time.Time) error {
	_, err := e.check(now, true)
	return err
}

// CheckHashedAt is CheckAt for an event whose hash the caller has just
// recomputed and compared (a signature check does): it does not hash the
// event again, and it returns the decoded payload, so a checked event is
// decoded once (DecodedPayload).
func (e *Event) CheckHashedAt(now time.Time) (any, error) { return e.check(now, false) }

func (e *Event) check(now time.Time, hash bool) (any, error) {
	switch {
	case !IsUUID(e.ID):
		return nil, invalid("id", "must be a UUID")
	case !officeRe.MatchString(e.Office):
		return nil, invalid("office", "must be 2–8 capital Latin letters or digits")
	case e.Window < 0 || e.Window > 999:
		return nil, invalid("window", "must be 0–999")
	case e.Seq < 1:
		return nil, invalid("seq", "must be 1 or more")
	}
	if err := e.checkTexts(); err != nil {
		return nil, err
	}
	switch {
	case e.At.IsZero():
		return nil, invalid("at", "is missing")
	case e.At.Before(EarliestEventTime):
		return nil, invalidf("at", ProblemRange, "%s is before %s, the earliest time an event may carry: the recording machine's clock is wrong",
			e.At.UTC().Format(time.RFC3339), EarliestEventTime.Format(time.RFC3339))
	case e.At.After(now.Add(MaxEventAhead)):
		return nil, invalidf("at", ProblemRange, "%s is more than %v after the checker's clock (%s): the recording machine's clock runs ahead",
			e.At.UTC().Format(time.RFC3339), MaxEventAhead, now.UTC().Format(time.RFC3339))
	case !e.Kind.Valid():
		return nil, invalid("kind", fmt.Sprintf("unknown kind %q", e.Kind))
	case hash && e.Hash != e.ComputeHash():
		return nil, invalid("hash", "does not match the event's content")
	}
	return e.DecodePayload()
}

// checkTexts refuses invalid UTF-8 and NUL in every text of the event.
func (e *Event) checkTexts() error {
	for _, f := range []struct{ name, v string }{
		{"kind", string(e.Kind)}, {"actor", e.Actor}, {"case_id", e.CaseID}, {"ticket_id", e.TicketID},
		{"visitor_id", e.VisitorID}, {"prev_hash", e.PrevHash}, {"hash", e.Hash}, {"sig", e.Sig},
	} {
		if err := CheckText(f.v); err != nil {
			return invalidf(f.name, ProblemChars, "%v", err)
		}
	}
	if err := CheckJSONText(e.Payload); err != nil {
		return invalidf("payload", ProblemChars, "%v", err)
	}
	return nil
}

// InTimeRange reports whether t can be an event's time by CheckAt's rule
// (what a store can hold exactly).
func InTimeRange(t, now time.Time) bool {
	return !t.Before(EarliestEventTime) && !t.After(now.Add(MaxEventAhead))
}
