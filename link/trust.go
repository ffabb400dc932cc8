package link

import (
	"context"
	"crypto/ed25519"
	"errors"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/client"
	"github.com/okno-mfc/okno/domain"
)

// What the link keeps for the audit (localdb.VerifyFeed, VerifyTail): the
// office's public keys, fetched when the feed brings a window (or the
// central's stream) it has no key for, and the central's signed receipts
// of this window's head, verified with the central's key before they are
// kept. Neither ever fails a sync: without them the audit says what it
// could not check.

// keysEvery is the least time between two fetches of the office's keys
// for a window still unknown (a central that does not know it either).
const keysEvery = time.Minute

// knownKeys says whether keys are kept for every window of the page's
// events, reading the store's list once.
func (l *Link) knownKeys(ctx context.Context, page api.FeedPage) bool {
	office := l.st.Office()
	l.mu.Lock()
	known := l.keyWindows
	l.mu.Unlock()
	if known == nil {
		var err error
		if known, err = l.st.KnownWindows(ctx, office); err != nil {
			return true // the audit will say what it could not check
		}
		l.mu.Lock()
		l.keyWindows = known
		l.mu.Unlock()
	}
	for _, e := range page.Events {
		if e.Office == office && !known[e.Window] {
			return false
		}
	}
	return true
}

// refreshKeys fetches the office's keys and keeps them, at most once per
// keysEvery unless force.
func (l *Link) refreshKeys(ctx context.Context, force bool) {
	l.mu.Lock()
	if !force && time.Since(l.keysFetched) < keysEvery {
		l.mu.Unlock()
		return
	}
	l.keysFetched = time.Now()
	l.mu.Unlock()
	office := l.st.Office()
	keys, err := l.c.OfficeKeys(ctx, office)
	if err != nil {
		if !errors.Is(err, client.ErrOffline) {
			l.log.Warn("the office's keys were not fetched (the audit cannot check the feed's signatures until they are)", "err", err)
		}
		return
	}
	if keys.Office != office {
		l.log.Warn("the central answered the keys of another office", "office", keys.Office)
		return
	}
	if err := l.st.SetOfficeKeys(ctx, keys); err != nil {
		l.log.Warn("keep the office's keys", "err", err)
		return
	}
	l.mu.Lock()
	l.keyWindows = nil // read again
	l.mu.Unlock()
}

// verifiedReceipts are the receipts of this window's head that verify
// with the central's key: kept with the batch's answers.
func (l *Link) verifiedReceipts(ctx context.Context, rs []api.HeadReceipt) []api.HeadReceipt {
	office, window := l.st.Office(), l.st.Window()
	var out []api.HeadReceipt
	for _, r := range rs {
		if r.Office != office || r.Window != window {
			continue
		}
		pub, ok := l.centralKey(ctx)
		if !ok {
			l.log.Warn("a head receipt was not kept: the central's key is not known here")
			return out
		}
		if err := r.Verify(pub); err != nil {
			l.log.Warn("a head receipt that does not verify with the central's key was not kept", "seq", r.Seq, "err", err)
			l.mu.Lock()
			l.centralPub = nil // read (and, if need be, fetch) the key again next time
			l.mu.Unlock()
			continue
		}
		out = append(out, r)
	}
	return out
}

// centralKey is the central's public key, as kept here, fetched once if
// it is not.
func (l *Link) centralKey(ctx context.Context) (pub ed25519.PublicKey, ok bool) {
	l.mu.Lock()
	pub = l.centralPub
	l.mu.Unlock()
	if pub != nil {
		return pub, true
	}
	for attempt := 0; attempt < 2; attempt++ {
		k, known, err := l.st.OfficeKeys(ctx, l.st.Office())
		if err != nil {
			return nil, false
		}
		if known && k.CentralKey != "" {
			if p, err := domain.ParsePublicKey(k.CentralKey); err == nil {
				l.mu.Lock()
				l.centralPub = p
				l.mu.Unlock()
				return p, true
			}
		}
		if attempt == 0 {
			l.refreshKeys(ctx, false)
		}
	}
	return nil, false
}
