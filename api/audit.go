package api

import (
	"time"

	"github.com/okno-mfc/okno/domain"
)

// ChainEntry is one event of a window's chain as the central holds it: its
// place, id, hashes and signature, and the central's answer. It carries no
// payload (GET /v1/offices/{office}/windows/{window}/events).
type ChainEntry struct {
	Seq      int64            `json:"seq"`
	ID       string           `json:"id"`
	Kind     domain.EventKind `json:"kind"`
	At       time.Time        `json:"at"`
	PrevHash string           `json:"prev_hash"`
	Hash     string           `json:"hash"`
	Sig      string           `json:"sig,omitempty"`
	Status   IngestStatus     `json:"status"` // accepted or rejected
	Reason   string           `json:"reason,omitempty"`
	// InChain: the event holds its seq in the window's chain. Always true
	// since issue 11: an event that claims a seq another event holds is
	// quarantined, apart from the chains, and not listed here.
	InChain bool `json:"in_chain"`
}

// WindowEvents answers GET /v1/offices/{office}/windows/{window}/events: a
// page of the window's chain as the central holds it, in seq order.
type WindowEvents struct {
	Office    string       `json:"office"`
	Window    int          `json:"window"`
	PublicKey string       `json:"public_key,omitempty"` // the key enrolled for the window (base64 Ed25519); "" when none
	LastSeq   int64        `json:"last_seq"`             // the head of the chain at the central
	LastHash  string       `json:"last_hash"`
	Events    []ChainEntry `json:"events"`
	Cursor    int64        `json:"cursor"` // pass as after= for the next page (a seq)
	More      bool         `json:"more"`
}

// Held is a page of the central's chain as domain.CompareChains reads it.
func Held(entries []ChainEntry) []domain.HeldEvent {
	out := make([]domain.HeldEvent, len(entries))
	for i, e := range entries {
		out[i] = domain.HeldEvent{Seq: e.Seq, ID: e.ID, Hash: e.Hash, Sig: e.Sig, InChain: e.InChain, Status: string(e.Status), Reason: e.Reason}
	}
	return out
}
