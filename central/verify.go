package central

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"github.com/okno-mfc/okno/domain"
)

// Signed events (issue 6). Every event of a window must carry a valid
// Ed25519 signature, by the key enrolled for that window, over its hash
// (which must recompute from its content), and its prev_hash must be the
// hash of the window's previous event as the central holds it (decideOne).
//
// What each refusal does:
//
//   - no workstation enrolled for the event's window: rejected, not
//     recorded (only a person's session can send such an event);
//   - the window's workstation was enrolled without a public key: "retry",
//     not recorded — the events wait in the outbox until an admin enrols the
//     workstation again with its key (okno enrol), then go through;
//   - an event without a signature, with a signature that does not verify,
//     or with a chain link that does not match: rejected and recorded
//     without its payload, holding its place in the window's chain, so the
//     events behind it are not blocked. Unsigned events are refused, not
//     accepted: there is no workstation without a key since issue 6, and
//     an unsigned event could have been written by anyone holding a session.

// windowKey is what the central knows of a window's key, for one batch.
type windowKey struct {
	pub     ed25519.PublicKey
	unknown bool // no workstation enrolled for the window
	noKey   bool // enrolled without a (valid) public key
}

// checkSignatures checks the signature of each item still to be decided,
// with the key enrolled for its window; it reads each window's key once.
func (s *Server) checkSignatures(ctx context.Context, items []*ingestItem) error {
	keys := map[streamKey]windowKey{}
	var checks []check
	for _, it := range items {
		if it.done || it.reject != "" {
			continue
		}
		ev := it.ev
		k := streamKey{ev.Office, ev.Window}
		wk, ok := keys[k]
		if !ok {
			var err error
			if wk, err = s.windowKey(ctx, ev.Office, ev.Window); err != nil {
				return err
			}
			keys[k] = wk
		}
		switch {
		case wk.unknown:
			it.done = true
			it.res.Status = domain.IngestRejected
			it.res.Reason = fmt.Sprintf("unknown workstation: no workstation is enrolled for %s window %d, so its signatures cannot be checked; enrol it (okno enrol) and send again; the event was not recorded", ev.Office, ev.Window)
		case wk.noKey:
			it.done = true
			it.res.Status = domain.IngestRetry
			it.res.Reason = fmt.Sprintf("the workstation of %s window %d was enrolled without a public key: an administrator must enrol it again (okno enrol) before its signed events can be accepted", ev.Office, ev.Window)
		default:
			checks = append(checks, check{it, wk.pub})
		}
	}
	verifyAll(checks)
	return nil
}

// check is one event's signature to verify with its window's key.
type check struct {
	it  *ingestItem
	pub ed25519.PublicKey
}

// verifyAll verifies the signatures on every core: Ed25519 verification is
// most of the cost of ingesting a batch, and a single window's backlog
// arrives one batch at a time. Each worker writes only its own items.
func verifyAll(checks []check) {
	workers := min(runtime.GOMAXPROCS(0), (len(checks)+31)/32)
	if workers <= 1 {
		for _, c := range checks {
			c.verify()
		}
		return
	}
	var wg sync.WaitGroup
	per := (len(checks) + workers - 1) / workers
	for start := 0; start < len(checks); start += per {
		part := checks[start:min(start+per, len(checks))]
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, c := range part {
				c.verify()
			}
		}()
	}
	wg.Wait()
}

func (c check) verify() {
	if err := domain.VerifyEvent(c.it.ev, c.pub); err != nil {
		c.it.reject = signatureReason(c.it.ev, err)
	}
}

func (s *Server) windowKey(ctx context.Context, office string, window int) (windowKey, error) {
	w, err := s.store.Workstation(ctx, office, window)
	if errors.Is(err, ErrNotFound) {
		return windowKey{unknown: true}, nil
	}
	if err != nil {
		return windowKey{}, fmt.Errorf("the key of %s window %d: %w", office, window, err)
	}
	pub, err := domain.ParsePublicKey(w.PublicKey)
	if err != nil {
		return windowKey{noKey: true}, nil
	}
	return windowKey{pub: pub}, nil
}

// signatureReason words a failed check for the clerk's "needs attention".
func signatureReason(ev *domain.Event, err error) string {
	var ce *domain.ChainError
	if !errors.As(err, &ce) {
		return err.Error()
	}
	switch ce.Problem {
	case domain.ChainUnsigned:
		return "the event is not signed: the central accepts only events signed by the window's workstation key (an old okno, or a workstation without its key); it was kept as rejected"
	case domain.ChainSignature:
		return fmt.Sprintf("bad signature: it does not verify with the key enrolled for %s window %d (the event was altered, or signed by another workstation); it was kept as rejected", ev.Office, ev.Window)
	case domain.ChainHash:
		return "hash: does not match the event's content (the event was altered); it was kept as rejected"
	}
	return ce.Detail
}

// linkReason says why an event's prev_hash does not continue its window's
// chain as the central holds it, or "" when it does.
func linkReason(ev *domain.Event, head *streamHead) string {
	if ev.PrevHash == head.lastHash {
		return ""
	}
	if head.lastSeq == 0 {
		return fmt.Sprintf("chain link mismatch: the first event of %s window %d must have an empty prev_hash, this one has %s; it was kept as rejected", ev.Office, ev.Window, shortHash(ev.PrevHash))
	}
	return fmt.Sprintf("chain link mismatch: prev_hash %s is not the hash of seq %d of %s window %d as the central holds it (%s): an event before it was altered, removed or replaced; it was kept as rejected",
		shortHash(ev.PrevHash), head.lastSeq, ev.Office, ev.Window, shortHash(head.lastHash))
}

func shortHash(h string) string {
	switch {
	case h == "":
		return `""`
	case len(h) > 12:
		return h[:12] + "…"
	}
	return h
}
