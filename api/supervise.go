package api

import "github.com/okno-mfc/okno/domain"

// MoveTicketRequest is the body of POST
// /v1/offices/{office}/tickets/{id}/move: send a waiting ticket to a window
// of the office, or (0) back to the shared queue.
type MoveTicketRequest struct {
	Window int    `json:"window"`
	Reason string `json:"reason,omitempty"`
}

// PriorityRequest is the body of POST
// /v1/offices/{office}/tickets/{id}/priority: the ticket's new queue rank
// (0: the ordinary queue; 1… before it, lower first) and why.
type PriorityRequest struct {
	Rank   int    `json:"rank"`
	Reason string `json:"reason"`
}

// CloseWindowRequest is the body of POST
// /v1/offices/{office}/windows/{window}/close.
type CloseWindowRequest struct {
	Reason string `json:"reason"`
}

// SuperviseResponse answers a supervisor's action: the central's event
// that records it, and (closing a window) the ticket.redirected events of
// the tickets that went back to the shared queue.
type SuperviseResponse struct {
	Event domain.Event   `json:"event"`
	Moved []domain.Event `json:"moved,omitempty"`
}
