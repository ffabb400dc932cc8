package localdb

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"runtime"
	"sort"
	"sync"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
)

// Finding is one thing an audit check found wrong, named by what it
// concerns (office, window, seq, event id), never by personal data.
type Finding struct {
	Office  string
	Window  int
	Seq     int64  // 0 when not about one event
	ID      string // the event's id, when one is held
	Problem string // see the Problem… constants
	Detail  string
}

// Problems the audit names.
const (
	ProblemHash      = "hash"      // the event's hash does not recompute (edited)
	ProblemSignature = "signature" // no key of its window verifies it (forged or edited)
	ProblemUnsigned  = "unsigned"  // no signature where its window signs
	ProblemNoKey     = "no key"    // no key is kept for its window: it cannot be checked
	ProblemMissing   = "missing"   // events the feed brought (or the central countersigned) are not here
	ProblemExtra     = "extra"     // two events at one seq of a stream
	ProblemLink      = "link"      // prev_hash is not the hash of the event before it
	ProblemReceipt   = "receipt"   // the central's receipt does not match the chain
	ProblemOutbox    = "outbox"    // the outbox does not match the chain
	ProblemCounter   = "counter"   // a case counter does not match the chain
)

func (f Finding) String() string {
	where := fmt.Sprintf("%s window %d", f.Office, f.Window)
	if f.Seq > 0 {
		where += fmt.Sprintf(" seq %d", f.Seq)
	}
	if f.ID != "" {
		where += " (id " + f.ID + ")"
	}
	return fmt.Sprintf("%s: %s: %s", where, f.Problem, f.Detail)
}

// FeedReport is what VerifyFeed found.
type FeedReport struct {
	Events    int            // feed events held
	Streams   map[string]int // events held per stream, "IRK/4"
	Verified  int            // events whose signature verified
	Unsigned  int            // central events of a central that signs nothing (hash and links checked only)
	FeedGaps  int            // seqs the feed itself did not bring (rejected at the central)
	KeysKnown bool           // keys were kept for every office held
	Findings  []Finding
}

// VerifyFeed checks the events the feed brought from the rest of the office
// (other windows, and the central's window 0), as they are held now: each
// hash recomputes; each signature verifies with a key the central named for
// its window (keys: by office; nil takes the ones kept here, see
// SetOfficeKeys); each stream's seqs run on from 1 to the head the feed
// brought, with no gap but those the feed itself had, each linked to the
// one before.
func (s *Store) VerifyFeed(ctx context.Context, keys map[string]api.OfficeKeys) (*FeedReport, error) {
	rep := &FeedReport{Streams: map[string]int{}, KeysKnown: true}
	tx, err := s.rdb.BeginTx(ctx, nil) // one snapshot
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	gaps, err := feedGaps(ctx, tx)
	if err != nil {
		return nil, err
	}
	heads := map[streamKey]int64{}
	if err := eachReadRow(ctx, tx, `SELECT office, window, seq FROM feed_heads`, nil, func(sc scanner) error {
		var k streamKey
		var seq int64
		err := sc.Scan(&k.office, &k.window, &seq)
		heads[k] = seq
		return err
	}); err != nil {
		return nil, err
	}
	pubs := map[string]officePubs{}
	pubsOf := func(office string) (officePubs, error) {
		if p, ok := pubs[office]; ok {
			return p, nil
		}
		k, ok := keys[office]
		if keys == nil {
			var err error
			if k, ok, err = s.OfficeKeys(ctx, office); err != nil {
				return officePubs{}, err
			}
		}
		p := parsePubs(k, ok)
		rep.KeysKnown = rep.KeysKnown && ok
		pubs[office] = p
		return p, nil
	}

	v := newSigChecker()
	var prev *domain.Event
	var cur streamKey
	endStream := func() {
		if prev == nil {
			return
		}
		if h := heads[cur]; h > prev.Seq {
			if f, ok := missingOrGap(cur, prev.Seq+1, h, gaps, "the feed brought the stream up to seq %d", h); ok {
				rep.Findings = append(rep.Findings, f)
			}
		}
	}
	err = eachReadRow(ctx, tx, `SELECT `+eventColumns+` FROM events WHERE local = 0 ORDER BY office, window, seq, n`, nil, func(sc scanner) error {
		e, err := scanEvent(sc)
		if err != nil {
			return err
		}
		rep.Events++
		k := streamKey{e.Office, e.Window}
		rep.Streams[fmt.Sprintf("%s/%d", e.Office, e.Window)]++
		if prev == nil || k != cur {
			endStream()
			cur, prev = k, nil
			if e.Seq > 1 {
				if f, ok := missingOrGap(k, 1, e.Seq-1, gaps, "the stream starts at seq %d", e.Seq); ok {
					rep.Findings = append(rep.Findings, f)
				}
			}
		} else {
			switch {
			case e.Seq == prev.Seq:
				rep.Findings = append(rep.Findings, Finding{Office: e.Office, Window: e.Window, Seq: e.Seq, ID: e.ID, Problem: ProblemExtra,
					Detail: fmt.Sprintf("a second event at this seq (the other is %s): one was added here", prev.ID)})
			case e.Seq > prev.Seq+1:
				if f, ok := missingOrGap(k, prev.Seq+1, e.Seq-1, gaps, "seq %d follows seq %d", e.Seq, prev.Seq); ok {
					rep.Findings = append(rep.Findings, f)
				}
			case e.PrevHash != prev.Hash:
				rep.Findings = append(rep.Findings, Finding{Office: e.Office, Window: e.Window, Seq: e.Seq, ID: e.ID, Problem: ProblemLink,
					Detail: fmt.Sprintf("prev_hash is not the hash of seq %d: an event was replaced", prev.Seq)})
			}
		}
		if e.ComputeHash() != e.Hash {
			rep.Findings = append(rep.Findings, Finding{Office: e.Office, Window: e.Window, Seq: e.Seq, ID: e.ID, Problem: ProblemHash,
				Detail: "the hash does not match the event's content (edited after it came with the feed)"})
		}
		p, err := pubsOf(e.Office)
		if err != nil {
			return err
		}
		switch ks := p.keys[e.Window]; {
		case e.Window == 0 && p.centralUnsigned:
			rep.Unsigned++
		case len(ks) == 0:
			rep.Findings = append(rep.Findings, Finding{Office: e.Office, Window: e.Window, Seq: e.Seq, ID: e.ID, Problem: ProblemNoKey,
				Detail: "no key is kept for this window, so the signature cannot be checked (sync once to fetch the office's keys, or verify with --central)"})
		default:
			v.add(e, ks)
		}
		prev = &e
		return nil
	})
	if err != nil {
		return nil, err
	}
	endStream()
	// Streams the feed brought of which nothing is held any more.
	for k, h := range heads {
		if rep.Streams[fmt.Sprintf("%s/%d", k.office, k.window)] == 0 && h > 0 {
			if f, ok := missingOrGap(k, 1, h, gaps, "none of the stream's events is held"); ok {
				rep.Findings = append(rep.Findings, f)
			}
		}
	}
	for _, g := range gaps {
		rep.FeedGaps += int(g.to - g.from + 1)
	}
	verified, bad := v.wait()
	rep.Verified = verified
	rep.Findings = append(rep.Findings, bad...)
	sort.SliceStable(rep.Findings, func(i, j int) bool {
		a, b := rep.Findings[i], rep.Findings[j]
		if a.Office != b.Office {
			return a.Office < b.Office
		}
		if a.Window != b.Window {
			return a.Window < b.Window
		}
		return a.Seq < b.Seq
	})
	return rep, nil
}

// officePubs are an office's keys, parsed.
type officePubs struct {
	keys            map[int][]ed25519.PublicKey
	centralUnsigned bool // the central said it signs nothing
}

func parsePubs(k api.OfficeKeys, ok bool) officePubs {
	p := officePubs{keys: map[int][]ed25519.PublicKey{}, centralUnsigned: ok && k.CentralKey == ""}
	if pub, err := domain.ParsePublicKey(k.CentralKey); err == nil {
		p.keys[0] = append(p.keys[0], pub)
	}
	for _, w := range k.Windows {
		if pub, err := domain.ParsePublicKey(w.PublicKey); err == nil && w.Window > 0 {
			p.keys[w.Window] = append(p.keys[w.Window], pub)
		}
	}
	return p
}

// gap is a run of seqs the feed did not bring.
type gap struct {
	k        streamKey
	from, to int64
}

func feedGaps(ctx context.Context, q querier) ([]gap, error) {
	var out []gap
	err := eachReadRow(ctx, q, `SELECT office, window, from_seq, to_seq FROM feed_gaps`, nil, func(sc scanner) error {
		var g gap
		err := sc.Scan(&g.k.office, &g.k.window, &g.from, &g.to)
		out = append(out, g)
		return err
	})
	return out, err
}

// missingOrGap reports the seqs from–to of stream k as missing unless the
// feed's own gaps cover them all.
func missingOrGap(k streamKey, from, to int64, gaps []gap, format string, args ...any) (Finding, bool) {
	for seq := from; seq <= to; {
		covered := false
		for _, g := range gaps {
			if g.k == k && g.from <= seq && seq <= g.to {
				seq, covered = g.to+1, true
				break
			}
		}
		if !covered {
			return missing(k, from, to, format, args...), true
		}
	}
	return Finding{}, false
}

func missing(k streamKey, from, to int64, format string, args ...any) Finding {
	what := fmt.Sprintf("event %d is", from)
	if to > from {
		what = fmt.Sprintf("events %d–%d are", from, to)
	}
	return Finding{Office: k.office, Window: k.window, Seq: from, Problem: ProblemMissing,
		Detail: fmt.Sprintf("%s not here, and the feed did not lack them (%s): deleted here", what, fmt.Sprintf(format, args...))}
}

// sigChecker verifies signatures on every core, in batches.
type sigChecker struct {
	batch []sigJob
	wg    sync.WaitGroup
	mu    sync.Mutex
	ok    int
	bad   []Finding
	sem   chan struct{}
}

type sigJob struct {
	e    domain.Event
	keys []ed25519.PublicKey
}

func newSigChecker() *sigChecker {
	return &sigChecker{sem: make(chan struct{}, runtime.GOMAXPROCS(0))}
}

func (c *sigChecker) add(e domain.Event, keys []ed25519.PublicKey) {
	e.Payload = nil // not needed for the signature: keep memory small
	c.batch = append(c.batch, sigJob{e, keys})
	if len(c.batch) >= 512 {
		c.flush()
	}
}

func (c *sigChecker) flush() {
	jobs := c.batch
	c.batch = nil
	if len(jobs) == 0 {
		return
	}
	c.sem <- struct{}{}
	c.wg.Add(1)
	go func() {
		defer func() { <-c.sem; c.wg.Done() }()
		ok := 0
		var bad []Finding
		for i := range jobs {
			j := &jobs[i]
			var err error
			for _, k := range j.keys {
				if err = j.e.VerifySignature(k); err == nil {
					break
				}
			}
			switch {
			case err == nil:
				ok++
			case j.e.Sig == "":
				bad = append(bad, Finding{Office: j.e.Office, Window: j.e.Window, Seq: j.e.Seq, ID: j.e.ID, Problem: ProblemUnsigned,
					Detail: "the event carries no signature, but its window signs (the signature was removed here)"})
			default:
				bad = append(bad, Finding{Office: j.e.Office, Window: j.e.Window, Seq: j.e.Seq, ID: j.e.ID, Problem: ProblemSignature,
					Detail: "no key the central named for this window verifies the signature (forged, or edited and re-hashed here)"})
			}
		}
		c.mu.Lock()
		c.ok += ok
		c.bad = append(c.bad, bad...)
		c.mu.Unlock()
	}()
}

func (c *sigChecker) wait() (int, []Finding) {
	c.flush()
	c.wg.Wait()
	return c.ok, c.bad
}
