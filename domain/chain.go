package domain

import (
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
)

// The audit trail: each window's events form a hash chain (Seal) signed by
// the window's workstation key (Ed25519 over the hex hash's bytes, base64).
// The checks here are pure, so the workstation (`okno audit verify`) and
// the central (ingest) apply the same rules.

// ChainProblem names what is wrong with one event of a chain.
type ChainProblem string

// Problems of a chain, from the most to the least specific.
const (
	ChainWindow    ChainProblem = "window"    // the event belongs to another office or window (replayed)
	ChainSeq       ChainProblem = "seq"       // not the next number: an event is missing (deleted), repeated or out of order
	ChainHash      ChainProblem = "hash"      // the hash does not match the event's content (edited)
	ChainLink      ChainProblem = "link"      // prev_hash is not the previous event's hash (deleted, swapped or inserted)
	ChainUnsigned  ChainProblem = "unsigned"  // no signature
	ChainSignature ChainProblem = "signature" // the signature does not verify with the window's key (forged, or another workstation's)
	ChainMissing   ChainProblem = "missing"   // the other copy lacks the event (comparison with the central)
	ChainExtra     ChainProblem = "extra"     // the other copy has an event this one lacks (truncated, or sent by someone else)
	ChainDiffers   ChainProblem = "differs"   // both copies have the seq, with different events
	ChainKey       ChainProblem = "key"       // the window's key is not the one expected
)

// ErrChainBroken matches every *ChainError with errors.Is.
var ErrChainBroken = errors.New("the audit chain is broken")

// ChainError names the first broken event of a chain and what is wrong.
type ChainError struct {
	Seq     int64
	ID      string
	Problem ChainProblem
	Detail  string
}

func (e *ChainError) Error() string {
	id := e.ID
	if id == "" {
		id = "-"
	}
	return fmt.Sprintf("event seq %d (id %s): %s: %s", e.Seq, id, e.Problem, e.Detail)
}

// Is lets errors.Is(err, ErrChainBroken) match.
func (e *ChainError) Is(target error) bool { return target == ErrChainBroken }

func chainErr(e *Event, p ChainProblem, format string, args ...any) *ChainError {
	return &ChainError{Seq: e.Seq, ID: e.ID, Problem: p, Detail: fmt.Sprintf(format, args...)}
}

// Signature errors of VerifySignature.
var (
	ErrUnsigned     = errors.New("the event is not signed")
	ErrBadSignature = errors.New("the signature does not verify with the window's key")
)

// ParsePublicKey decodes a base64 (standard encoding) Ed25519 public key, as
// enrolment sends it.
func ParsePublicKey(b64 string) (ed25519.PublicKey, error) {
	k, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || len(k) != ed25519.PublicKeySize {
		return nil, errors.New("not a base64 Ed25519 public key (32 bytes)")
	}
	return ed25519.PublicKey(k), nil
}

// EncodePublicKey is the base64 form ParsePublicKey reads.
func EncodePublicKey(k ed25519.PublicKey) string { return base64.StdEncoding.EncodeToString(k) }

// SignEvent sets e.Sig: the base64 Ed25519 signature of e.Hash's bytes.
// Seal the event first.
func SignEvent(e *Event, key ed25519.PrivateKey) {
	e.Sig = base64.StdEncoding.EncodeToString(ed25519.Sign(key, []byte(e.Hash)))
}

// VerifySignature checks e.Sig over e.Hash with pub (it does not recompute
// the hash: see VerifyEvent). ErrUnsigned or ErrBadSignature.
func (e *Event) VerifySignature(pub ed25519.PublicKey) error {
	if e.Sig == "" {
		return ErrUnsigned
	}
	sig, err := base64.StdEncoding.DecodeString(e.Sig)
	if err != nil || len(sig) != ed25519.SignatureSize || len(pub) != ed25519.PublicKeySize ||
		!ed25519.Verify(pub, []byte(e.Hash), sig) {
		return ErrBadSignature
	}
	return nil
}

// VerifyEvent checks one event on its own: its hash recomputes from its
// content, and its signature verifies with pub. The error is a *ChainError.
func VerifyEvent(e *Event, pub ed25519.PublicKey) error {
	if got := e.ComputeHash(); got != e.Hash {
		return chainErr(e, ChainHash, "the hash does not match the event's content (edited after it was recorded)")
	}
	return verifySig(e, pub)
}

func verifySig(e *Event, pub ed25519.PublicKey) error {
	switch err := e.VerifySignature(pub); {
	case errors.Is(err, ErrUnsigned):
		return chainErr(e, ChainUnsigned, "the event carries no signature")
	case err != nil:
		return chainErr(e, ChainSignature, "the signature does not verify with the window's key (forged, or signed by another workstation)")
	}
	return nil
}

// ChainVerifier checks a window's chain event by event, from seq 1 (or from
// where Next and Prev say), so a long chain can be read in pages.
type ChainVerifier struct {
	Office string
	Window int
	Key    ed25519.PublicKey
	Next   int64  // the seq the next event must have; 0 means 1
	Prev   string // the hash the next event must link to
}

// Add checks the next event: its window, its seq, its hash, its link to
// the one before and its signature. The first problem is a *ChainError;
// after an error the verifier's state is unchanged.
func (v *ChainVerifier) Add(e *Event) error {
	next := max(v.Next, 1)
	switch {
	case e.Office != v.Office || e.Window != v.Window:
		return chainErr(e, ChainWindow, "the event is of %s window %d, in the chain of %s window %d (replayed from another window)",
			e.Office, e.Window, v.Office, v.Window)
	case e.Seq < next:
		return chainErr(e, ChainSeq, "seq %d comes after seq %d: repeated or out of order (events swapped?)", e.Seq, next-1)
	case e.Seq > next && e.Seq == next+1:
		return chainErr(e, ChainSeq, "seq %d follows seq %d: event %d is missing (deleted?)", e.Seq, next-1, next)
	case e.Seq > next:
		return chainErr(e, ChainSeq, "seq %d follows seq %d: events %d–%d are missing (deleted?)", e.Seq, next-1, next, e.Seq-1)
	}
	if got := e.ComputeHash(); got != e.Hash {
		return chainErr(e, ChainHash, "the hash does not match the event's content (edited after it was recorded)")
	}
	if e.PrevHash != v.Prev {
		return chainErr(e, ChainLink, "prev_hash %s is not the hash of seq %d (%s): an event before it was removed, replaced or swapped",
			short(e.PrevHash), next-1, short(v.Prev))
	}
	if err := verifySig(e, v.Key); err != nil {
		return err
	}
	v.Next, v.Prev = next+1, e.Hash
	return nil
}

func short(h string) string {
	if h == "" {
		return `""`
	}
	if len(h) > 12 {
		return h[:12] + "…"
	}
	return h
}

// VerifyChain checks a whole window's chain, in order from seq 1: every
// seq present once, every hash, every link and every signature with pub.
// The window is the first event's. It returns the first broken event as a
// *ChainError, or nil.
func VerifyChain(events []Event, pub ed25519.PublicKey) error {
	if len(events) == 0 {
		return nil
	}
	v := ChainVerifier{Office: events[0].Office, Window: events[0].Window, Key: pub}
	for i := range events {
		if err := v.Add(&events[i]); err != nil {
			return err
		}
	}
	return nil
}

// HeldEvent is an event of a window's chain as the central holds it, as
// far as CompareChains looks at it (api.ChainEntry carries it on the wire).
type HeldEvent struct {
	Seq     int64
	ID      string
	Hash    string
	Sig     string
	InChain bool   // it holds its seq in the window's chain
	Status  string // the central's answer (accepted, rejected), for messages
	Reason  string
}

// CompareChains checks that the central holds exactly the local events of
// a window, once each: the same id, hash and signature at every seq,
// nothing more and nothing less. held is the central's list in seq order
// (GET /v1/offices/{office}/windows/{window}/events). Events the central
// rejected still count as held: they keep their place in the chain.
func CompareChains(local []Event, held []HeldEvent) error {
	bySeq := make(map[int64]*HeldEvent, len(held))
	for i := range held {
		h := &held[i]
		if !h.InChain {
			continue
		}
		if _, dup := bySeq[h.Seq]; dup {
			return &ChainError{Seq: h.Seq, ID: h.ID, Problem: ChainExtra, Detail: "the central holds two events at this seq"}
		}
		bySeq[h.Seq] = h
	}
	ids := make(map[string]bool, len(local))
	for i := range local {
		e := &local[i]
		ids[e.ID] = true
		h, ok := bySeq[e.Seq]
		switch {
		case !ok:
			return chainErr(e, ChainMissing, "the central does not hold this event (not synced yet, or lost): run okno sync, then verify again")
		case h.ID != e.ID:
			return chainErr(e, ChainDiffers, "the central holds event %s at this seq", h.ID)
		case h.Hash != e.Hash:
			return chainErr(e, ChainDiffers, "the central's copy has hash %s, the local one %s: one of them was edited", short(h.Hash), short(e.Hash))
		case h.Sig != e.Sig:
			return chainErr(e, ChainDiffers, "the central's copy carries another signature")
		}
		delete(bySeq, e.Seq)
	}
	var first *HeldEvent
	for _, h := range bySeq {
		if first == nil || h.Seq < first.Seq {
			first = h
		}
	}
	if first != nil {
		return &ChainError{Seq: first.Seq, ID: first.ID, Problem: ChainExtra,
			Detail: "the central holds this event, the local chain does not (the local chain was truncated, or events were deleted)"}
	}
	for i := range held {
		if h := &held[i]; !h.InChain && !ids[h.ID] {
			return &ChainError{Seq: h.Seq, ID: h.ID, Problem: ChainExtra,
				Detail: fmt.Sprintf("the central also holds this event, not in the local chain (%s: %s)", h.Status, h.Reason)}
		}
	}
	return nil
}
