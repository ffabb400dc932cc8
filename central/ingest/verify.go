package ingest

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/internal/sigbatch"
)

// Signed events (issues 6 and 11). A window's chain at the central holds
// only events that verify under the key enrolled for that window: the hash
// recomputes from the content, the Ed25519 signature over it verifies, the
// seq is the head's + 1 and prev_hash the head's hash (decideOne).
//
// What each refusal does:
//
//   - no workstation enrolled for the event's window: rejected, not
//     recorded;
//   - the window's workstation was enrolled without a public key: "retry",
//     not recorded — the events wait in the outbox until an admin enrols the
//     workstation again with its key (okno enrol), then go through;
//   - a hash that does not recompute, no signature, a signature that does
//     not verify, or a seq another event already holds: rejected and kept
//     apart, in the quarantine (for the audit and the supervisor's
//     attention list), never in the chain: such an event never takes a seq,
//     so it cannot block the genuine one, whoever sent it;
//   - an event that verifies but breaks a rule (its content, its time, a
//     prev_hash that is not the head's — a fork made with the window's own
//     key): rejected in the chain, holding its seq without its payload, so
//     the window's next events are not blocked (store.Tx.Decide).

// windowKey is what the central knows of a window's key, for one batch.
type windowKey struct {
	pub     ed25519.PublicKey
	unknown bool // no workstation enrolled for the window
	noKey   bool // enrolled without a (valid) public key
}

// checkSignatures checks each item still to be decided with the key
// enrolled for its window (it reads each window's key once), then the
// content of those that verify.
func (in *Ingester) checkSignatures(ctx context.Context, items []*item) error {
	keys := map[store.StreamID]windowKey{}
	var checks []check
	now := in.st.Now()
	for _, it := range items {
		if it.done {
			continue
		}
		ev := it.Event
		k := store.StreamID{Office: ev.Office, Window: ev.Window}
		wk, ok := keys[k]
		if !ok {
			var err error
			if wk, err = in.windowKey(ctx, ev.Office, ev.Window); err != nil {
				return err
			}
			keys[k] = wk
		}
		switch {
		case wk.unknown:
			it.done = true
			it.Result.Status = api.IngestRejected
			it.Result.Reason = fmt.Sprintf("unknown workstation: no workstation is enrolled for %s window %d, so its signatures cannot be checked; enrol it (okno enrol) and send again; the event was not recorded", ev.Office, ev.Window)
		case wk.noKey:
			it.done = true
			it.Result.Status = api.IngestRetry
			it.Result.Reason = fmt.Sprintf("the workstation of %s window %d was enrolled without a public key: an administrator must enrol it again (okno enrol) before its signed events can be accepted", ev.Office, ev.Window)
		default:
			checks = append(checks, check{it, wk.pub, now, in.verify})
		}
	}
	verifyAll(in.checkers, checks)
	return nil
}

// check is one event to verify with its window's key, then to check.
type check struct {
	it    *item
	pub   ed25519.PublicKey
	now   time.Time
	rules func(*domain.Event) error // Config.Verify
}

// verifyAll checks every event's hash and signature, then the content of
// those that verify. Ed25519 verification was most of the cost of a
// batch (issue 17: 38–40 % of the central's CPU), so the signatures are
// checked in batches (package sigbatch: one batch equation per 64
// signatures of a window, 3–4× cheaper than one by one), in parts run at
// once on as many cores as the checkers let (Ingester.checkers); each
// worker writes only its own items. Each payload is decoded once, by the
// content check, and handed to the store with the item.
func verifyAll(checkers chan struct{}, checks []check) {
	parallel(len(checks), cap(checkers), func(lo, hi int) {
		checkers <- struct{}{}
		defer func() { <-checkers }()
		part := checks[lo:hi]
		entries := make([]sigbatch.Entry, 0, len(part))
		signed := make([]int, 0, len(part))
		for i, c := range part {
			ev := c.it.Event
			if ev.ComputeHash() != ev.Hash {
				c.it.Quarantine = quarantineFor(ev, domain.ChainHash)
				continue
			}
			if ev.Sig == "" {
				c.it.Quarantine = quarantineFor(ev, domain.ChainUnsigned)
				continue
			}
			sig, err := base64.StdEncoding.DecodeString(ev.Sig)
			if err != nil || len(sig) != ed25519.SignatureSize {
				c.it.Quarantine = quarantineFor(ev, domain.ChainSignature)
				continue
			}
			entries = append(entries, sigbatch.Entry{Key: c.pub, Msg: []byte(ev.Hash), Sig: sig})
			signed = append(signed, i)
		}
		for j, ok := range sigbatch.Verify(entries) {
			c := part[signed[j]]
			if !ok {
				c.it.Quarantine = quarantineFor(c.it.Event, domain.ChainSignature)
				continue
			}
			checkContent(c.it, c.now, c.rules)
		}
	})
}

// newCheckers makes the checkers' slots: one core fewer than the process
// has, at least one. The central's writer (writer.go) is the one part of
// the ingest that cannot run in parallel, and Go's scheduler has no
// priorities: with every core checking signatures for a hundred requests
// at once, the writer waited its turn behind them and the whole ingest
// went at the pace of its waits. Measured on the 2-core machine of issue
// 17 (BenchmarkIngest, SQLite), the ratio to the baseline went from
// 0.37–0.48× to 0.49–0.62× with one core left to the writer.
func newCheckers() chan struct{} {
	return make(chan struct{}, max(1, runtime.GOMAXPROCS(0)-1))
}

// verify checks one event as verifyAll does.
func (c check) verify() { verifyAll(make(chan struct{}, 1), []check{c}) }

// parallel runs fn over [0, n) cut into at most workers parts (parts of
// at least sigbatch.Size), and waits.
func parallel(n, workers int, fn func(lo, hi int)) {
	workers = min(workers, (n+sigbatch.Size-1)/sigbatch.Size)
	if workers <= 1 {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	per := (n + workers - 1) / workers
	for lo := 0; lo < n; lo += per {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(lo, min(lo+per, n))
		}()
	}
	wg.Wait()
}

func (in *Ingester) windowKey(ctx context.Context, office string, window int) (windowKey, error) {
	w, err := in.st.Workstation(ctx, office, window)
	if errors.Is(err, domain.ErrNotFound) {
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

// quarantineFor words a failed check of the window's key.
func quarantineFor(ev *domain.Event, problem domain.ChainProblem) *store.Quarantine {
	const apart = "; it was kept apart, not in the window's chain"
	switch problem {
	case domain.ChainUnsigned:
		return &store.Quarantine{Problem: store.ProblemUnsigned, Reason: "the event is not signed: the central accepts only events signed by the window's workstation key (an old okno, or a workstation without its key)" + apart}
	case domain.ChainHash:
		return &store.Quarantine{Problem: store.ProblemHash, Reason: "hash: does not match the event's content (the event was altered, or its bytes are not valid UTF-8)" + apart}
	default:
		return &store.Quarantine{Problem: store.ProblemSignature, Reason: fmt.Sprintf("bad signature: it does not verify with the key enrolled for %s window %d (the event was altered, or signed by another workstation)", ev.Office, ev.Window) + apart}
	}
}
