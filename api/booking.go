package api

import "time"

// Pre-booking, the public API (no session; limited per address).

// Slot is a free slot of a service: its start and the places left.
type Slot struct {
	At   time.Time `json:"at"`
	Free int       `json:"free"`
}

// SlotsResponse answers GET /v1/public/offices/{office}/slots.
type SlotsResponse struct {
	Office      string `json:"office"`
	Service     string `json:"service"`
	Date        string `json:"date"`
	SlotMinutes int    `json:"slot_minutes"`
	Slots       []Slot `json:"slots"`
}

// BookingRequest is the body of POST /v1/public/bookings: a phone or an
// e-mail (one of them) to reach the visitor.
type BookingRequest struct {
	Office  string    `json:"office"`
	Service string    `json:"service"`
	Slot    time.Time `json:"slot"`
	Name    string    `json:"name"`
	Phone   string    `json:"phone,omitempty"`
	Email   string    `json:"email,omitempty"`
}

// BookingResponse answers a booking: the code to check in with at the
// kiosk (or to cancel with), and the slot.
type BookingResponse struct {
	Code    string    `json:"code"`
	Slot    time.Time `json:"slot"`
	Office  string    `json:"office"`
	Service string    `json:"service"`
}

// CheckInResponse answers a check-in: the ticket, marked booked.
type CheckInResponse struct {
	Number  string    `json:"number"`
	Service string    `json:"service"`
	Booked  bool      `json:"booked"`
	Slot    time.Time `json:"slot"`
	Ahead   int       `json:"ahead"` // tickets called before it (privileged ones and earlier bookings)
}
