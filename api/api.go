package api

import (
	"time"

	"github.com/okno-mfc/okno/domain"
)

// ErrorBody is every error answer: {"error": {"code": …, "message": …}}.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail is the inside of an error answer. Code is a stable word
// (bad_request, unauthorized, forbidden, not_found, conflict, too_large,
// invalid, rate_limited, internal); Message says what to do.
type ErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// SignInRequest is the body of POST /v1/sessions.
type SignInRequest struct {
	Login    string `json:"login"`
	Password string `json:"password"`
	Window   int    `json:"window,omitempty"`
}

// SignInResponse answers POST /v1/sessions.
type SignInResponse struct {
	Token     string          `json:"token"`
	ExpiresAt time.Time       `json:"expires_at"`
	Operator  domain.Operator `json:"operator"`
}

// CatalogResponse answers GET /v1/catalog.
type CatalogResponse struct {
	Version string          `json:"version"`
	Hash    string          `json:"hash"`
	Catalog *domain.Catalog `json:"catalog,omitempty"` // omitted when the caller already has this hash
}

// IngestRequest is the body of POST /v1/events.
type IngestRequest struct {
	Events []domain.Event `json:"events"`
}

// IngestStatus is the server's answer for one event.
type IngestStatus string

// Ingest answers.
const (
	IngestAccepted  IngestStatus = "accepted"
	IngestDuplicate IngestStatus = "duplicate" // seen before: stored once; the first answer is repeated in Reason/First
	IngestRejected  IngestStatus = "rejected"  // breaks a rule; stored as rejected, never retried
)

// IngestResult is the answer for one event of a batch, in the batch's order.
type IngestResult struct {
	ID     string       `json:"id"`
	Status IngestStatus `json:"status"`
	Reason string       `json:"reason,omitempty"` // why rejected
	First  IngestStatus `json:"first,omitempty"`  // for a duplicate: what the first copy was answered
}

// IngestResponse answers POST /v1/events.
type IngestResponse struct {
	Results []IngestResult `json:"results"`
	// Receipts: the central's signed head of each window of the caller's
	// whose chain the batch reached (also when every event was a
	// duplicate), after the batch. None when the central has no signing
	// key.
	Receipts []HeadReceipt `json:"receipts,omitempty"`
}

// FeedEvent is an event in the central's order.
type FeedEvent struct {
	Pos int64 `json:"pos"` // the central's position; the cursor of the next page is the last Pos
	domain.Event
}

// FeedPage answers GET /v1/feed?after=CURSOR.
type FeedPage struct {
	Events []FeedEvent `json:"events"`
	Cursor int64       `json:"cursor"` // pass as after= for the next page
	More   bool        `json:"more"`   // another page is ready now
}

// StatusRequest is the body of POST /v1/cases/{id}/status. A status
// takes its reasons (domain.StatusPayload.Check): more_docs the documents
// asked for and the day to bring them by; ready the result's form; refused
// the legal ground.
type StatusRequest struct {
	Status    domain.CaseState `json:"status"`
	Note      string           `json:"note,omitempty"`
	Documents []string         `json:"documents,omitempty"`
	Due       string           `json:"due,omitempty"`
	Result    domain.Result    `json:"result,omitempty"`
	Ground    string           `json:"ground,omitempty"`
}

// DeadlineRequest is the body of POST /v1/cases/{id}/deadline: the new
// last day and the legal basis of the extension.
type DeadlineRequest struct {
	Deadline string `json:"deadline"`
	Basis    string `json:"basis"`
	Note     string `json:"note,omitempty"`
}

// CaseList answers GET /v1/cases.
type CaseList struct {
	Cases []domain.CaseView `json:"cases"`
}

// CaseDetail answers GET /v1/cases/{id}.
type CaseDetail struct {
	Case    domain.CaseView `json:"case"`
	History []domain.Event  `json:"history"`
}

// WindowState is one window as the supervisor sees it.
type WindowState struct {
	Window      int       `json:"window"`
	Operator    string    `json:"operator,omitempty"`
	State       string    `json:"state"` // serving, free, break, closed (signed out), offline
	Ticket      string    `json:"ticket,omitempty"`
	Service     string    `json:"service,omitempty"`
	Since       time.Time `json:"since,omitzero"`
	LastSeen    time.Time `json:"last_seen,omitzero"`
	ServedToday int       `json:"served_today"`
}

// QueueTicket is a ticket in the office queue.
type QueueTicket struct {
	ID       string    `json:"id"`
	Number   string    `json:"number"`
	Service  string    `json:"service"`
	Category string    `json:"category,omitempty"`
	Rank     int       `json:"rank,omitempty"`
	State    string    `json:"state"`
	Window   int       `json:"window,omitempty"`
	IssuedAt time.Time `json:"issued_at"`
	CalledAt time.Time `json:"called_at,omitzero"`
}

// QueueSnapshot answers GET /v1/offices/{office}/queue and is the data of
// each "snapshot" event of the stream.
type QueueSnapshot struct {
	Office  string        `json:"office"`
	At      time.Time     `json:"at"`
	Windows []WindowState `json:"windows"`
	Waiting []QueueTicket `json:"waiting"`
	Today   DayFigures    `json:"today"`
}

// DayFigures are a day's (or a period's) figures of an office.
type DayFigures struct {
	Visitors       int     `json:"visitors"`
	Served         int     `json:"served"`
	NoShows        int     `json:"no_shows"`
	AvgWaitSec     float64 `json:"avg_wait_sec"`
	MaxWaitSec     float64 `json:"max_wait_sec"`
	WithinNormPct  float64 `json:"within_norm_pct"`
	AvgServiceSec  float64 `json:"avg_service_sec"`
	ArrivalsLastHr int     `json:"arrivals_last_hour"`
}

// CallNextRequest is the body of POST /v1/offices/{office}/queue/next: a
// window asks the shared queue for its next visitor.
type CallNextRequest struct {
	Window   int      `json:"window"`
	Services []string `json:"services,omitempty"` // services the window serves; empty = all it has equipment for
}

// CallNextResponse answers it: the ticket is now reserved for the window.
type CallNextResponse struct {
	Ticket QueueTicket `json:"ticket"`
}

// EnrolRequest is the body of POST /v1/workstations (admin only).
type EnrolRequest struct {
	Office    string   `json:"office"`
	Window    int      `json:"window"`
	PublicKey string   `json:"public_key"` // base64 Ed25519 public key
	Equipment []string `json:"equipment,omitempty"`
	LastSeq   int64    `json:"last_seq,omitempty"`
}

// EnrolResponse answers it with the workstation's own credential.
type EnrolResponse struct {
	Login string `json:"login"`
	Token string `json:"token"` // a long-lived secret; the workstation signs in with it
	// CentralKey is the central's public key (base64 Ed25519) that signs
	// its own events and the head receipts; omitted when it has none.
	CentralKey string `json:"central_key,omitempty"`
}
