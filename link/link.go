package link

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/client"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/internal/passwd"
	"github.com/okno-mfc/okno/localdb"
)

// Config sets up a Link.
type Config struct {
	Store  *localdb.Store
	Client *client.Client // nil: no central configured; the link stays offline
	Cred   Credential     // the workstation's credential (Login, Secret) for Client
	Logger *slog.Logger

	Batch      int           // events per push; default DefaultBatch
	InFlight   int           // batches a push keeps on the wire at once; default 2
	FeedPage   int           // events per feed page; default 500
	MinBackoff time.Duration // first wait after a failure; default 1 s
	MaxBackoff time.Duration // the longest wait; default 60 s (a retry at least this often, even with nothing new to send)
	Idle       time.Duration // online and idle: pull the feed this often; default 3 s
	Probe      time.Duration // offline: ask /healthz this often, to try at once when the link returns; default 5 s
	Heartbeat  time.Duration // online: tell the central the window is there this often; default 30 s (store.HeartbeatEvery)
	Hash       passwd.Params // for remembering operators' passwords; default passwd.Default
	Live       LiveConfig    // the supervisor's live queue (LiveQueue)
}

// DefaultBatch is how many events a push sends in one request. 500, not
// the 200 it was: each batch has fixed costs (the request, the central's
// transaction and its fsync, its prefetch queries, the answers' storing
// here), and in batches of 500 the sync of a 50k backlog took 15–25 %
// less CPU in both processes (issue 17). The central takes up to
// ingest.MaxBatch (1000).
const DefaultBatch = 500

// Link keeps the store and the central in step. It is the workstation's
// only way to the network: the screens reach the central through it alone.
type Link struct {
	cfg     Config
	st      *localdb.Store
	c       *client.Client
	log     *slog.Logger
	updates chan Status
	wake    chan struct{} // SyncNow

	// pushMu makes pushes single-flight: Run's and CallNext's never
	// overlap, so one outbox is never sent twice at once.
	pushMu sync.Mutex
	// oneAtATime: the central took a batch's body without asking for it
	// (100 Continue), so pushes keep one batch on the wire (inFlight).
	oneAtATime atomic.Bool

	mu       sync.Mutex
	status   Status
	signedIn bool
	failures int
	person   *client.Client // a supervisor's own session (see keepPerson)

	lastBeat time.Time // the last heartbeat the central took

	keyWindows  map[int]bool      // the windows of the office a key is kept for (nil: read the store)
	keysFetched time.Time         // the last fetch of the office's keys
	centralPub  ed25519.PublicKey // the central's key, once read
}

// New makes a link; Run starts it.
func New(cfg Config) *Link {
	if cfg.Batch <= 0 {
		cfg.Batch = DefaultBatch
	}
	if cfg.InFlight <= 0 {
		cfg.InFlight = 2
	}
	if cfg.FeedPage <= 0 {
		cfg.FeedPage = 500
	}
	if cfg.MinBackoff <= 0 {
		cfg.MinBackoff = time.Second
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = 60 * time.Second
	}
	if cfg.Idle <= 0 {
		cfg.Idle = 3 * time.Second
	}
	if cfg.Probe <= 0 {
		cfg.Probe = 5 * time.Second
	}
	if cfg.Heartbeat <= 0 {
		cfg.Heartbeat = 30 * time.Second
	}
	if cfg.Hash == (passwd.Params{}) {
		cfg.Hash = passwd.Default
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	l := &Link{cfg: cfg, st: cfg.Store, c: cfg.Client, log: cfg.Logger, updates: make(chan Status, 1), wake: make(chan struct{}, 1)}
	l.status.State = Offline
	if l.c == nil {
		l.status.Problem, l.status.Err = NotEnrolled, ErrNotEnrolled.Error()
	}
	return l
}

// Status is the link's state now.
func (l *Link) Status() Status {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.status
}

// Updates delivers the newest status after each change (older unread ones
// are dropped: only the latest matters to a status bar).
func (l *Link) Updates() <-chan Status { return l.updates }

// SyncNow asks Run to sync at once (a clerk's refresh), unless it is
// waiting out a failure: then the probe and the backoff decide.
func (l *Link) SyncNow() {
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

func (l *Link) set(fn func(*Status)) {
	l.mu.Lock()
	fn(&l.status)
	st := l.status
	l.mu.Unlock()
	select {
	case <-l.updates: // drop the stale one
	default:
	}
	l.updates <- st
}

func (l *Link) refreshDepth(ctx context.Context) {
	ob, err := l.st.Outbox(ctx)
	if err != nil {
		return
	}
	l.set(func(s *Status) { s.Pending, s.Rejected = ob.Pending, ob.Rejected })
}

// Run keeps syncing until ctx ends: at once when the store commits events
// to push (it subscribes to the store's changes: nobody has to tell it),
// every Idle while online, and after a failure with exponential backoff and
// jitter from MinBackoff to MaxBackoff, probing the central every Probe so
// that a returning link is used at once. The outbox depth in the status
// follows every local write, online or not. With no central configured it
// only keeps the status.
func (l *Link) Run(ctx context.Context) error {
	changes, stop := l.st.Subscribe()
	defer stop()
	l.refreshDepth(ctx)
	if l.c == nil {
		for {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case ch := <-changes:
				if ch.Has(localdb.Outbox) {
					l.refreshDepth(ctx)
				}
			}
		}
	}
	var pushing sync.WaitGroup
	defer pushing.Wait()
	pushing.Add(1)
	go func() {
		defer pushing.Done()
		l.pushOnWrite(ctx)
	}()
	for {
		_, err := l.SyncOnce(ctx)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		wait := l.cfg.Idle
		if err != nil {
			wait = l.backoff()
			l.set(func(s *Status) { s.NextTry = time.Now().Add(wait) })
		}
		if !l.sleep(ctx, changes, wait, err != nil) {
			return ctx.Err()
		}
	}
}

// pushOnWrite pushes a local write at once while the link is online,
// even when Run's loop is in the middle of a sync: applying a busy
// office's feed can take seconds, and the clerk's new ticket should not
// wait behind it to reach the supervisors (issue 17, item 7). Pushes
// are single-flight (pushMu): one under way finishes first, and this
// one sends what is left. Offline or failing, Run's backoff and probes
// decide when to try; a failure here is left for the next sync, which
// reports it.
func (l *Link) pushOnWrite(ctx context.Context) {
	changes, stop := l.st.Subscribe()
	defer stop()
	for {
		select {
		case <-ctx.Done():
			return
		case ch, ok := <-changes:
			if !ok {
				return
			}
			if !ch.ToPush() || !l.healthy() {
				continue
			}
			var sum Summary
			err := l.authed(ctx, func() error { return l.push(ctx, &sum) })
			if err != nil && ctx.Err() == nil {
				l.log.Debug("push on a local write failed; the next sync tries again", "err", err)
			}
		}
	}
}

// healthy says the last sync succeeded and the session holds (the state
// shows Syncing while a sync runs).
func (l *Link) healthy() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.signedIn && l.failures == 0 && !l.status.LastSync.IsZero()
}

// sleep waits for d, a local write to push, or the end of ctx; while
// failing it probes the central's health and returns early when it
// answers. The changes the link's own sync made (answers, the feed) do not
// wake it.
func (l *Link) sleep(ctx context.Context, changes <-chan localdb.Change, d time.Duration, probing bool) bool {
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	var probe <-chan time.Time
	if probing {
		t := time.NewTicker(l.cfg.Probe)
		defer t.Stop()
		probe = t.C
	}
	for {
		select {
		case <-ctx.Done():
			return false
		case <-deadline.C:
			return true
		case <-l.wake:
			if !probing {
				return true
			}
			l.refreshDepth(ctx) // the clerk's refresh: at least the count is read again
		case ch := <-changes:
			if !ch.ToPush() {
				continue
			}
			if !probing {
				return true
			}
			// A local write while the link is down does not cut the backoff
			// short (the probe and the deadline decide); the status bar's
			// count moves.
			l.refreshDepth(ctx)
		case <-probe:
			pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
			_, err := l.c.Health(pctx)
			cancel()
			if err == nil {
				return true
			}
		}
	}
}

func (l *Link) backoff() time.Duration {
	l.mu.Lock()
	n := l.failures
	l.mu.Unlock()
	d := l.cfg.MinBackoff << min(n, 16)
	if d <= 0 || d > l.cfg.MaxBackoff {
		d = l.cfg.MaxBackoff
	}
	// Full jitter, but never less than the minimum.
	return l.cfg.MinBackoff + time.Duration(rand.Int64N(int64(d-l.cfg.MinBackoff)+1))
}

// ErrSendAgain says the central answered a whole batch "retry": an earlier
// event of the window has not reached it (or was rejected there and waits
// in the attention list), so the rest wait in the outbox behind it.
var ErrSendAgain = errors.New("the central asks to send events again")

// Summary counts what one SyncOnce did.
type Summary struct {
	Sent, Duplicate, Rejected, Retry int // push answers
	Pulled, FeedFailed               int // feed events applied, and ones that did not fold
	Blobs                            int // attachments uploaded
	Left                             int // events still pending afterwards
	Took                             time.Duration
}

// SyncOnce pushes the outbox until it is empty (or only events the central
// asks to send again are left), uploads attachments, and pulls the feed
// until it is caught up.
func (l *Link) SyncOnce(ctx context.Context) (Summary, error) {
	start := time.Now()
	var sum Summary
	if l.c == nil {
		return sum, ErrNotEnrolled
	}
	l.set(func(s *Status) { s.State = Syncing })
	err := l.syncOnce(ctx, &sum)
	sum.Took = time.Since(start)
	ob, oerr := l.st.Outbox(ctx)
	if oerr == nil {
		sum.Left = ob.Pending
	}
	l.mu.Lock()
	if err == nil {
		l.failures = 0
	} else {
		l.failures++
	}
	l.mu.Unlock()
	l.set(func(s *Status) {
		s.Pending, s.Rejected = ob.Pending, ob.Rejected
		s.Code = 0
		if ae := (*client.APIError)(nil); errors.As(err, &ae) {
			s.Code = ae.Status
		}
		switch {
		case err == nil:
			s.State, s.Problem, s.Detail, s.Err, s.LastSync, s.NextTry = Online, NoProblem, "", "", time.Now(), time.Time{}
		case errors.Is(err, client.ErrOffline):
			s.State, s.Problem, s.Detail, s.Err = Offline, Unreachable, "", "the central cannot be reached"
		default:
			s.State, s.Problem, s.Detail, s.Err = Degraded, problemOf(err), err.Error(), err.Error()
		}
	})
	if err != nil {
		l.log.Warn("sync failed", "err", err, "left", sum.Left)
	}
	return sum, err
}

func (l *Link) syncOnce(ctx context.Context, sum *Summary) error {
	if err := l.ensureSession(ctx); err != nil {
		return err
	}
	if err := l.authed(ctx, func() error { return l.push(ctx, sum) }); err != nil {
		return err
	}
	if err := l.authed(ctx, func() error { return l.uploadBlobs(ctx, sum) }); err != nil {
		return err
	}
	if err := l.authed(ctx, func() error { return l.pull(ctx, sum) }); err != nil {
		return err
	}
	l.heartbeat(ctx)
	return nil
}

// heartbeat tells the central, every Config.Heartbeat while online, that
// this window is there: a window unheard for two minutes shows as offline
// on the supervisor's screen and does not count as open. A failed beat
// does not fail the sync (the next one tries again).
func (l *Link) heartbeat(ctx context.Context) {
	win := l.st.Window()
	l.mu.Lock()
	due := time.Since(l.lastBeat) >= l.cfg.Heartbeat
	l.mu.Unlock()
	if win <= 0 || !due {
		return
	}
	if err := l.authed(ctx, func() error { return l.c.Heartbeat(ctx, l.st.Office(), win) }); err != nil {
		l.log.Warn("heartbeat failed", "err", err)
		return
	}
	l.mu.Lock()
	l.lastBeat = time.Now()
	l.mu.Unlock()
}

// authed runs fn, signing in again once if the session ended.
func (l *Link) authed(ctx context.Context, fn func() error) error {
	err := fn()
	if errors.Is(err, client.ErrUnauthorized) {
		l.mu.Lock()
		l.signedIn = false
		l.mu.Unlock()
		if err := l.ensureSession(ctx); err != nil {
			return err
		}
		err = fn()
	}
	return err
}

func (l *Link) ensureSession(ctx context.Context) error {
	l.mu.Lock()
	ok := l.signedIn
	l.mu.Unlock()
	if ok {
		return nil
	}
	resp, err := l.c.SignIn(ctx, l.cfg.Cred.Login, l.cfg.Cred.Secret, l.cfg.Cred.Window)
	if err != nil {
		if errors.Is(err, client.ErrUnauthorized) {
			return fmt.Errorf("%w (revoked?): enrol it again: %w", errCredentialRefused, err)
		}
		return err
	}
	l.c.SetToken(resp.Token)
	l.mu.Lock()
	l.signedIn = true
	l.mu.Unlock()
	return nil
}

// push sends the outbox in sequence order. An event counts as sent only
// once the central's answer for it is stored here. One push runs at a
// time: a second waits for the first, then sends what is left.
//
// The push is pipelined: up to Config.InFlight batches (two) are on the
// wire at once, and while they are, the oldest answer is stored and the
// next batch read. The central decodes and verifies a batch while it
// writes the one before (issue 17). It still takes a window's batches in
// the order they were read: a batch is sent only once the central asked
// for the previous one's body (HTTP's 100 Continue, which it sends after
// the batch took its turn among its window's batches, central/ingest:
// Arrive) or answered it, and the central hands a window's batches to its
// writer in the order they took their turns. Where that order cannot hold
// (two replicas behind a balancer, a batch sent again by the client's
// retry after a network error) a batch that overtook an earlier one is
// answered "retry"; answers are stored in the order of the batches. A
// batch whose answer asks for something again stops the pipeline: the
// answers on the wire are stored, and the push starts over from the first
// pending event; when the first batch after a start is answered only
// "retry", the central is missing an earlier event, and the push ends
// with ErrSendAgain. A SIGKILL can cost the batches on the wire and the
// one whose answers were being stored: they are sent again and answered
// "duplicate".
func (l *Link) push(ctx context.Context, sum *Summary) error {
	l.pushMu.Lock()
	defer l.pushMu.Unlock()
	p := pusher{l: l, sum: sum}
	for {
		again, err := p.round(ctx)
		if err != nil || !again {
			return err
		}
	}
}

// flight is a batch on the wire.
type flight struct {
	evs       []domain.Event
	inTurn    bool            // sent with Expect: 100-continue, to take its turn before the body
	turn      chan struct{}   // closed once the central asked for the body, or the request ended
	continued atomic.Bool     // the central asked for the body
	answer    chan pushAnswer // the answer, once
}

// send puts a batch on the wire.
func (p *pusher) send(ctx context.Context, evs []domain.Event, inTurn bool) *flight {
	f := &flight{evs: evs, inTurn: inTurn, turn: make(chan struct{}), answer: make(chan pushAnswer, 1)}
	var once sync.Once
	turn := func() { once.Do(func() { close(f.turn) }) }
	go func() {
		var resp api.IngestResponse
		var err error
		if inTurn {
			resp, err = p.l.c.PushEventsInTurn(ctx, evs, func() { f.continued.Store(true); turn() })
		} else {
			resp, err = p.l.c.PushEvents(ctx, evs)
		}
		turn()
		f.answer <- pushAnswer{evs: evs, resp: resp, err: err}
	}()
	return f
}

// round pushes from the first pending event until the outbox is sent
// (false), or a batch's answer asks for something again and the push is
// to start over (true).
func (p *pusher) round(ctx context.Context) (again bool, err error) {
	l := p.l
	var wire []*flight
	defer func() {
		// Nothing leaves push while it runs: the batches still on the
		// wire are waited for, and their answers stored (an answer is the
		// central's word whatever happened to the others).
		for _, f := range wire {
			if a := <-f.answer; a.err == nil {
				if _, serr := p.store(ctx, &a); serr != nil && err == nil {
					err = serr
				}
			}
		}
	}()
	next, last, err := l.st.PendingAfter(ctx, 0, l.cfg.Batch)
	if err != nil {
		return false, err
	}
	first := true // the round's first batch: the central holds every event before it
	fill := func() error {
		for len(next) > 0 && len(wire) < l.inFlight() {
			depth := l.inFlight()
			if n := len(wire); n > 0 {
				<-wire[n-1].turn // the previous batch took its turn at the central, or was answered
			}
			// Only a full batch can have one after it to overlap with:
			// a shorter one (the clerk's ticket, say) is the outbox's
			// last, and goes without waiting for 100 Continue (a round
			// trip through the balancer). A batch read after it waits
			// for its answer.
			wire = append(wire, p.send(ctx, next, depth > 1 && len(next) == l.cfg.Batch))
			var rerr error
			if next, last, rerr = l.st.PendingAfter(ctx, last, l.cfg.Batch); rerr != nil {
				return rerr
			}
		}
		return nil
	}
	for {
		if err := fill(); err != nil {
			return false, err
		}
		if len(wire) == 0 {
			return false, nil // everything sent, every answer stored
		}
		f := wire[0]
		a := <-f.answer
		wire = wire[1:]
		if a.err != nil {
			return false, a.err
		}
		if f.inTurn && !f.continued.Load() && l.inFlight() > 1 {
			// The central (or something before it) took the body without
			// asking for it: the batches' order cannot be known from here;
			// send one at a time from now on.
			l.oneAtATime.Store(true)
			l.log.Info("the central does not answer 100 Continue; pushing one batch at a time")
		}
		if err := fill(); err != nil { // keep the wire busy while the answers are stored
			p.store(ctx, &a)
			return false, err
		}
		answered, err := p.store(ctx, &a)
		if err != nil {
			return false, err
		}
		if settled(a.evs, a.resp) {
			if answered == 0 {
				// Nothing of the batch was taken here (the outbox changed
				// under the push?): store what is on the wire, then stop.
				p.sum.Retry += len(a.evs)
				return false, fmt.Errorf("%w: %d events (%s)", ErrSendAgain, len(a.evs), firstReason(a.resp.Results))
			}
			first = false
			continue
		}
		// The central asks for something again: store what is on the
		// wire and start over from the first pending event.
		if answered == 0 && first {
			// Only "send again" answers for the first pending events: the
			// central is missing an earlier event; stop here and let the
			// next round resend.
			p.sum.Retry += len(a.evs)
			return false, fmt.Errorf("%w: %d events (%s)", ErrSendAgain, len(a.evs), firstReason(a.resp.Results))
		}
		return true, nil
	}
}

// inFlight is how many batches a push keeps on the wire.
func (l *Link) inFlight() int {
	if l.oneAtATime.Load() {
		return 1
	}
	return l.cfg.InFlight
}

// settled says the central answered every event of a batch, in order,
// with a final answer (accepted, duplicate or rejected): the next batch
// may follow it.
func settled(evs []domain.Event, resp api.IngestResponse) bool {
	if len(resp.Results) != len(evs) {
		return false
	}
	for i, r := range resp.Results {
		switch {
		case r.ID != evs[i].ID:
			return false
		case r.Status != api.IngestAccepted && r.Status != api.IngestDuplicate && r.Status != api.IngestRejected:
			return false
		}
	}
	return true
}

// pushAnswer is a pushed batch and the central's answer for it.
type pushAnswer struct {
	evs  []domain.Event
	resp api.IngestResponse
	err  error
}

// pusher stores a push's answers and counts them.
type pusher struct {
	l         *Link
	sum       *Summary
	lastDepth time.Time
}

// store keeps the central's answers for a batch and returns how many of
// its events they settled (accepted, duplicate or rejected).
func (p *pusher) store(ctx context.Context, a *pushAnswer) (int, error) {
	counts, err := p.l.st.MarkAnswered(ctx, a.resp.Results, p.l.verifiedReceipts(ctx, a.resp.Receipts)...)
	if err != nil {
		return 0, fmt.Errorf("store the central's answers: %w", err)
	}
	p.sum.Sent += counts[api.IngestAccepted]
	p.sum.Duplicate += counts[api.IngestDuplicate]
	p.sum.Rejected += counts[api.IngestRejected]
	if time.Since(p.lastDepth) > 250*time.Millisecond {
		p.l.refreshDepth(ctx) // the status bar's count moves while a backlog drains
		p.lastDepth = time.Now()
	}
	return counts[api.IngestAccepted] + counts[api.IngestDuplicate] + counts[api.IngestRejected], nil
}

func firstReason(rs []api.IngestResult) string {
	for _, r := range rs {
		if r.Reason != "" {
			return r.Reason
		}
	}
	return "no reason given"
}

// pull applies the feed page by page, each page with its cursor in one
// transaction.
func (l *Link) pull(ctx context.Context, sum *Summary) error {
	for {
		cur, err := l.st.FeedCursor(ctx)
		if err != nil {
			return err
		}
		page, err := l.c.Feed(ctx, cur, l.cfg.FeedPage)
		if err != nil {
			return err
		}
		if len(page.Events) == 0 && page.Cursor <= cur {
			return nil
		}
		if !l.knownKeys(ctx, page) {
			l.refreshKeys(ctx, false)
		}
		res, err := l.st.ApplyFeed(ctx, page)
		if err != nil {
			return fmt.Errorf("apply the feed: %w", err)
		}
		sum.Pulled += res.Applied
		sum.FeedFailed += len(res.Failed)
		for _, f := range res.Failed {
			l.log.Warn("feed event did not fold locally", "event", f)
		}
		if !page.More {
			return nil
		}
	}
}
