package centraltest

import (
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/internal/statuscode"
)

// Chain makes the sealed and signed events of one window, as its
// workstation would: UUIDv7 ids, seq from 1, each hash chained onto the
// previous one, each signed with Key.
type Chain struct {
	Office  string
	Window  int
	Actor   string
	Seq     int64  // the last seq made
	Prev    string // the last hash made
	At      time.Time
	Key     ed25519.PrivateKey // signs each event; nil leaves them unsigned
	tickets int
	cases   int
}

// NewChain starts the chain of an office's window. Its events begin an
// hour ago, but never before today's midnight (local and UTC), so a test
// run just after midnight still finds them in today's figures.
func NewChain(office string, window int) *Chain {
	now := time.Now()
	at := now.Add(-time.Hour)
	for _, loc := range []*time.Location{time.Local, time.UTC} {
		y, m, d := now.In(loc).Date()
		if midnight := time.Date(y, m, d, 0, 0, 0, 0, loc); at.Before(midnight) {
			at = midnight
		}
	}
	return &Chain{Office: office, Window: window, Actor: fmt.Sprintf("clerk%d", window), At: at.UTC(),
		Key: KeyFor(office, window)}
}

// Next makes the next event of the chain; set changes it before it is
// sealed (ids, times).
func (c *Chain) Next(kind domain.EventKind, payload any, set ...func(*domain.Event)) domain.Event {
	c.Seq++
	c.At = c.At.Add(time.Second)
	e := domain.Event{ID: NewID(), Office: c.Office, Window: c.Window, Seq: c.Seq, At: c.At, Kind: kind, Actor: c.Actor}
	if payload != nil {
		e.Payload = domain.MustPayload(payload)
	}
	for _, f := range set {
		f(&e)
	}
	e.Seal(c.Prev)
	if c.Key != nil {
		domain.SignEvent(&e, c.Key)
	}
	c.Prev = e.Hash
	return e
}

// NewID returns a new UUIDv7 string.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// CaseOf sets an event's case id.
func CaseOf(id string) func(*domain.Event) { return func(e *domain.Event) { e.CaseID = id } }

// TicketOf sets an event's ticket id.
func TicketOf(id string) func(*domain.Event) { return func(e *domain.Event) { e.TicketID = id } }

// VisitorOf sets an event's visitor id.
func VisitorOf(id string) func(*domain.Event) { return func(e *domain.Event) { e.VisitorID = id } }

// Issue makes a ticket.issued event for a service (prefix A) and returns it
// with the ticket's id.
func (c *Chain) Issue(service, category string) (domain.Event, string) {
	c.tickets++
	id := NewID()
	p := domain.TicketIssuedPayload{Number: domain.TicketNumber{Prefix: "A", N: domain.IssuerNumber(c.Window, int64(c.tickets))}.String(), Service: service, Category: category}
	if category != "" {
		p.Proof = "удостоверение"
	}
	return c.Next(domain.EvTicketIssued, p, TicketOf(id)), id
}

// Move makes a ticket move (called, served …) at this window.
func (c *Chain) Move(kind domain.EventKind, ticket string) domain.Event {
	return c.Next(kind, domain.TicketMovePayload{Window: c.Window}, TicketOf(ticket))
}

// Register makes a visitor.registered event of a valid visitor and returns
// it with the visitor's id.
func (c *Chain) Register() (domain.Event, string) {
	id := NewID()
	v := domain.Visitor{ID: id, FullName: "Фёдорова Мар'яна Ивановна", DocType: domain.DocPassportRU, DocNumber: "2512 345678",
		SNILS: domain.MakeSNILS(112233445), Phone: "+7 914 000-00-00"}
	return c.Next(domain.EvVisitorRegistered, domain.VisitorPayload{Visitor: v}, VisitorOf(id)), id
}

// Open makes a case.opened event for a visitor and a service and returns it
// with the case's id.
func (c *Chain) Open(visitor, service string) (domain.Event, string) {
	c.cases++
	id := NewID()
	num := domain.NewCaseNumber(c.Office, c.Window, c.At, c.cases).String()
	p := domain.CaseOpenedPayload{Number: num, Service: service, Deadline: c.At.AddDate(0, 1, 0).Format(time.DateOnly)}
	return c.Next(domain.EvCaseOpened, p, CaseOf(id), VisitorOf(visitor)), id
}

// HandOff makes a case.handed_off event.
func (c *Chain) HandOff(caseID string) domain.Event {
	return c.Next(domain.EvCaseHandedOff, domain.HandOffPayload{}, CaseOf(caseID))
}

// HandOffCode makes a case.handed_off event carrying the hash of a status
// code for the case numbered number, as a workstation does.
func (c *Chain) HandOffCode(caseID, number, code string) domain.Event {
	h, err := statuscode.Hash(number, code)
	if err != nil {
		panic(err)
	}
	return c.Next(domain.EvCaseHandedOff, domain.HandOffPayload{StatusCodeHash: h}, CaseOf(caseID))
}

// Number is the case number in a case.opened event.
func Number(opened domain.Event) string {
	var p domain.CaseOpenedPayload
	if err := json.Unmarshal(opened.Payload, &p); err != nil {
		panic(err)
	}
	return p.Number
}
