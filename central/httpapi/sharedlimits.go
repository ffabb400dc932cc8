package httpapi

import (
	"context"
	"log/slog"
	"time"

	"github.com/okno-mfc/okno/central/store"
)

// The limits of ratelimit.go as the server uses them: in memory on SQLite
// (one process owns the file), in the database on PostgreSQL, so that the
// replicas behind a balancer count together (store.TakeToken,
// store.TryFailure): a session's requests, an address's failed sign-ins,
// and the failures of a login from an address.

// buckets limits a rate per key.
type buckets interface {
	allow(key string) (bool, time.Duration)
	refund(key string)
}

// strikeCounter slows the guessing of one secret from one place.
type strikeCounter interface {
	try(key string) (bool, time.Duration)
	succeeded(key string)
	undo(key string)
}

// limitTimeout bounds a limit's database call.
const limitTimeout = 2 * time.Second

// dbBuckets are token buckets in the database, their keys prefixed with
// the limit's name.
type dbBuckets struct {
	st    *store.Store
	log   *slog.Logger
	name  string
	rate  float64
	burst int
}

// allow lets a request through when the database does not answer: the
// request's own work will fail then, with the error that says why.
func (b *dbBuckets) allow(key string) (bool, time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), limitTimeout)
	defer cancel()
	ok, wait, err := b.st.TakeToken(ctx, b.name+":"+key, b.rate, b.burst)
	if err != nil {
		b.log.Warn("rate limit not checked", "limit", b.name, "err", err)
		return true, 0
	}
	return ok, wait
}

func (b *dbBuckets) refund(key string) {
	ctx, cancel := context.WithTimeout(context.Background(), limitTimeout)
	defer cancel()
	if err := b.st.RefundToken(ctx, b.name+":"+key, b.burst); err != nil {
		b.log.Warn("rate limit not refunded", "limit", b.name, "err", err)
	}
}

// dbStrikes counts failed sign-ins in the database.
type dbStrikes struct {
	st     *store.Store
	log    *slog.Logger
	policy store.FailurePolicy
}

// try refuses for a second when the database does not answer: a sign-in
// could not be checked then anyway.
func (f *dbStrikes) try(key string) (bool, time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), limitTimeout)
	defer cancel()
	ok, wait, err := f.st.TryFailure(ctx, key, f.policy)
	if err != nil {
		f.log.Warn("sign-in failures not counted", "err", err)
		return false, time.Second
	}
	return ok, wait
}

func (f *dbStrikes) succeeded(key string) {
	ctx, cancel := context.WithTimeout(context.Background(), limitTimeout)
	defer cancel()
	if err := f.st.ForgetFailures(ctx, key); err != nil {
		f.log.Warn("sign-in failures not forgotten", "err", err)
	}
}

func (f *dbStrikes) undo(key string) {
	ctx, cancel := context.WithTimeout(context.Background(), limitTimeout)
	defer cancel()
	if err := f.st.UndoFailure(ctx, key); err != nil {
		f.log.Warn("sign-in failure not taken back", "err", err)
	}
}

// newLimits makes the server's limits for its store.
func (s *Server) newLimits() {
	cfg, now := s.cfg, s.store.Now
	if s.store.Kind() != "postgres" {
		s.signInPair = newFailures(cfg.SignInFailures, now)
		s.signInAddr = newLimiter(float64(cfg.SignInPerMinute)/60, cfg.SignInPerMinute, now)
		s.requests = newLimiter(cfg.RequestsPerSecond, cfg.RequestBurst, now)
		s.publicAddr = newLimiter(float64(cfg.PublicPerMinute)/60, cfg.PublicPerMinute, now)
		s.pagesAddr = newLimiter(cfg.PagesPerSecond, cfg.PagesBurst, now)
		s.ticketsAddr = newLimiter(float64(cfg.TicketsPerMinute)/60, cfg.TicketsPerMinute, now)
		return
	}
	mem := newFailures(cfg.SignInFailures, now) // the policy's figures
	s.signInPair = &dbStrikes{st: s.store, log: s.log, policy: store.FailurePolicy{Free: mem.free, Base: mem.base, Ceil: mem.ceil, Forget: mem.forget}}
	s.signInAddr = &dbBuckets{st: s.store, log: s.log, name: "signin-addr", rate: float64(cfg.SignInPerMinute) / 60, burst: cfg.SignInPerMinute}
	s.requests = &dbBuckets{st: s.store, log: s.log, name: "session", rate: cfg.RequestsPerSecond, burst: cfg.RequestBurst}
	s.publicAddr = &dbBuckets{st: s.store, log: s.log, name: "public-addr", rate: float64(cfg.PublicPerMinute) / 60, burst: cfg.PublicPerMinute}
	s.pagesAddr = &dbBuckets{st: s.store, log: s.log, name: "pages-addr", rate: cfg.PagesPerSecond, burst: cfg.PagesBurst}
	s.ticketsAddr = &dbBuckets{st: s.store, log: s.log, name: "tickets-addr", rate: float64(cfg.TicketsPerMinute) / 60, burst: cfg.TicketsPerMinute}
}
