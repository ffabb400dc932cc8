package main

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/client"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/link"
	"github.com/okno-mfc/okno/localdb"
)

// audit runs the checks of okno audit verify one after the other: each
// says on stdout what holds, and on stderr every broken thing it found.
type audit struct {
	e      *env
	store  *localdb.Store
	broken int  // broken things found
	cut    bool // the local chain is broken: the central's copy is not compared
}

// bad reports one broken thing.
func (a *audit) bad(where string, what fmt.Stringer) {
	a.broken++
	fmt.Fprintf(a.e.stderr, "BROKEN: %s: %s\n", where, what)
}

// text is a string as a fmt.Stringer.
type text string

func (t text) String() string { return string(t) }

// localChain checks the window's own chain, page by page, and returns it
// without payloads (for the comparison with the central).
func (a *audit) localChain(ctx context.Context, pub ed25519.PublicKey) ([]domain.Event, error) {
	office, window := a.store.Office(), a.store.Window()
	v := domain.ChainVerifier{Office: office, Window: window, Key: pub}
	var chain []domain.Event
	var after int64
	for {
		page, err := a.store.LocalEvents(ctx, after, auditPage)
		if err != nil {
			return nil, err
		}
		for i := range page {
			if err := v.Add(&page[i]); err != nil {
				var ce *domain.ChainError
				if !errors.As(err, &ce) {
					return nil, err
				}
				a.bad("the local chain", text(ce.Error()))
				a.cut = true
				return chain, nil
			}
			page[i].Payload = nil
			chain = append(chain, page[i])
		}
		if len(page) < auditPage {
			break
		}
		after = page[len(page)-1].Seq
	}
	fmt.Fprintf(a.e.stdout, "local chain of %s window %d: %d events, seq 1–%d, every hash, link and signature holds\n",
		office, window, len(chain), len(chain))
	return chain, nil
}

// centralCopy compares the chain with the central's copy of it.
func (a *audit) centralCopy(ctx context.Context, c *client.Client, url string, chain []domain.Event, pub ed25519.PublicKey) error {
	office, window := a.store.Office(), a.store.Window()
	held, err := c.WindowChain(ctx, office, window)
	if err != nil {
		return fmt.Errorf("read the central's copy of the chain: %w", err)
	}
	if held.PublicKey != domain.EncodePublicKey(pub) {
		what := "another key"
		if held.PublicKey == "" {
			what = "no key"
		}
		a.bad("the central's copy", text(fmt.Sprintf("the central has %s enrolled for %s window %d, not this workstation's (%s was replaced, or another workstation enrolled as this window)",
			what, office, window, link.KeyFile)))
		return nil
	}
	if a.cut {
		fmt.Fprintln(a.e.stdout, "the central's copy is not compared: the local chain is broken (above)")
		return nil
	}
	if err := domain.CompareChains(chain, api.Held(held.Events)); err != nil {
		var ce *domain.ChainError
		if !errors.As(err, &ce) {
			return err
		}
		a.bad("the central's copy", text(ce.Error()))
		return nil
	}
	rejected := 0
	for _, h := range held.Events {
		if h.Status == api.IngestRejected {
			rejected++
		}
	}
	fmt.Fprintf(a.e.stdout, "the central at %s holds exactly these %d events, once each, with the same key", url, len(chain))
	if rejected > 0 {
		fmt.Fprintf(a.e.stdout, " (%d of them rejected there: they need attention, see okno sync)", rejected)
	}
	fmt.Fprintln(a.e.stdout)
	return nil
}

// compareKeys compares the keys kept here with the central's.
func (a *audit) compareKeys(ctx context.Context, central api.OfficeKeys) error {
	kept, ok, err := a.store.OfficeKeys(ctx, central.Office)
	if err != nil || !ok {
		return err // none kept yet: nothing to compare
	}
	set := func(k api.OfficeKeys) map[string]bool {
		m := map[string]bool{fmt.Sprintf("0 %s", k.CentralKey): true}
		for _, w := range k.Windows {
			m[fmt.Sprintf("%d %s", w.Window, w.PublicKey)] = true
		}
		return m
	}
	want := set(central)
	var odd []string
	for k := range set(kept) {
		if !want[k] {
			odd = append(odd, "window "+strings.SplitN(k, " ", 2)[0])
		}
	}
	sort.Strings(odd)
	if len(odd) > 0 {
		a.bad("the keys kept here", text(fmt.Sprintf("a key kept for %s is not one the central names (replaced here, to make forged feed events verify?)",
			strings.Join(odd, ", "))))
	}
	return nil
}

// tail checks the end of the chain: the receipt, the outbox, the counters.
func (a *audit) tail(ctx context.Context, centralKey string, window int) error {
	rep, err := a.store.VerifyTail(ctx, centralKey)
	if err != nil {
		return fmt.Errorf("check the chain's end: %w", err)
	}
	for _, f := range rep.Findings {
		a.bad("the chain's end", f)
	}
	if len(rep.Findings) > 0 {
		return nil
	}
	switch r := rep.Receipt; {
	case r == nil:
		fmt.Fprintf(a.e.stdout, "the chain's end (seq %d): the outbox and the case counters agree; no receipt of the central kept yet (it comes with a sync)\n", rep.Head)
	case !rep.Verified:
		fmt.Fprintf(a.e.stdout, "the chain's end (seq %d): the outbox and the case counters agree; the central's receipt of head %d matches, but its signature cannot be checked (the central's key is not known here)\n",
			rep.Head, r.Seq)
	default:
		fmt.Fprintf(a.e.stdout, "the chain's end (seq %d): head %d was countersigned by the central at %s and the chain holds it; the outbox and the case counters agree\n",
			rep.Head, r.Seq, r.At.Local().Format("2006-01-02 15:04:05"))
	}
	return nil
}

// feed checks the events the feed brought.
func (a *audit) feed(ctx context.Context, keys map[string]api.OfficeKeys) error {
	rep, err := a.store.VerifyFeed(ctx, keys)
	if err != nil {
		return fmt.Errorf("check the feed's events: %w", err)
	}
	noKey := map[string]int{}
	for _, f := range rep.Findings {
		if f.Problem == localdb.ProblemNoKey {
			noKey[fmt.Sprintf("%s window %d", f.Office, f.Window)]++
			continue
		}
		a.bad("the feed's events", f)
	}
	for w, n := range noKey {
		a.bad("the feed's events", text(fmt.Sprintf("%s: %d events cannot be checked: no key is kept for the window (sync once, which fetches the office's keys, or verify with --central)", w, n)))
	}
	if len(rep.Findings) > 0 {
		return nil
	}
	if rep.Events == 0 {
		fmt.Fprintln(a.e.stdout, "the feed's events: none held (nothing pulled from the central yet)")
		return nil
	}
	streams := make([]string, 0, len(rep.Streams))
	for s := range rep.Streams {
		streams = append(streams, s)
	}
	sort.Strings(streams)
	fmt.Fprintf(a.e.stdout, "the feed's events: %d of %d streams (%s): every hash and link holds, %d signatures verify",
		rep.Events, len(streams), strings.Join(streams, ", "), rep.Verified)
	if rep.Unsigned > 0 {
		fmt.Fprintf(a.e.stdout, ", %d of the central's are unsigned (it has no signing key)", rep.Unsigned)
	}
	if rep.FeedGaps > 0 {
		fmt.Fprintf(a.e.stdout, "; %d seqs the feed did not bring (rejected at the central)", rep.FeedGaps)
	}
	fmt.Fprintln(a.e.stdout)
	return nil
}

// projections folds the events again and compares every projection row.
func (a *audit) projections(ctx context.Context, scratch string) error {
	rep, err := a.store.Refold(ctx, scratch)
	if err != nil {
		return fmt.Errorf("fold the events again: %w", err)
	}
	for _, f := range rep.OwnFailed {
		a.bad("the projections", text("own event "+f+": it does not fold (the log was edited)"))
	}
	for _, d := range rep.Differences {
		a.bad("the projections", d)
	}
	if len(rep.Differences)+len(rep.OwnFailed) == 0 {
		fmt.Fprintf(a.e.stdout, "the projections: %d events folded again (%d feed events do not fold here, as when they came), %d rows compared: all as the events make them\n",
			rep.Events, rep.FeedSkipped, rep.Rows)
	}
	return nil
}
