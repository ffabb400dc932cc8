package httpapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/okno-mfc/okno/central/ingest"
	"github.com/okno-mfc/okno/central/public"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/domain"
)

// Config configures a Server. Only Store is required; the zero values of
// the rest are the production settings.
type Config struct {
	Store   *store.Store
	Logger  *slog.Logger // default: discard
	Version string       // shown by /healthz

	// Catalog, when set, is published at start (a no-op when the same
	// content is current). With none and nothing published yet, the
	// built-in domain.DefaultCatalog() is published.
	Catalog *domain.Catalog

	// Location is where "today" of the queue figures begins; default time.Local.
	Location *time.Location

	// UnclaimedDays is how many days a ready result waits at the office
	// for its visitor before it is on the supervisor's list of unclaimed
	// results (an office's profile may say otherwise: unclaimed_days).
	// 0: the catalogue's norms.storage_days, 30 by default.
	UnclaimedDays int

	// Calendar names the built-in working-day calendar (domain.CalendarNames)
	// the departments' terms are counted on, with the catalogue's holidays
	// and working days on top: a term paused while a department waits for
	// documents moves on by the working days it waited. Default "ru".
	Calendar string

	// Sign-in guessing (ratelimit.go): successes never count. After
	// SignInFailures failed sign-ins of one login from one address, each
	// further try of that pair waits (1 s, doubling, at most 5 min) until
	// one succeeds; the same login from another address is not held back.
	// An address may fail SignInPerMinute sign-ins a minute whatever the
	// login (bursts of as many). Defaults 10 and 30.
	SignInFailures    int
	SignInPerMinute   int
	RequestsPerSecond float64       // per session; default 200
	RequestBurst      int           // per session; default 1000
	MaxBody           int64         // JSON bodies, bytes; default DefaultMaxBody (8 MiB)
	Heartbeat         time.Duration // queue stream ": ping" interval; default 15 s
	StreamCoalesce    time.Duration // least time between two snapshots of one stream; default 200 ms
	SilentCheck       time.Duration // how often a stream looks for windows fallen silent (offline); default 10 s

	// Verify, when set, checks each incoming event after its envelope and
	// payload are valid and before the store sees it; an error rejects the
	// event with the error's text as the reason. The signature and the
	// chain link are always checked (package ingest); this is for more rules.
	// Nil checks nothing more.
	Verify func(*domain.Event) error

	// MetricsToken, when set, is a bearer token that GET /metrics takes
	// besides the sessions of supervisors and admins, for a Prometheus
	// scraper: it does not expire (okno serve --metrics-token-file).
	MetricsToken string

	// PagesPerSecond and PagesBurst limit the visitors' pages and their
	// streams (package public) per client address; defaults 10 and 100.
	PagesPerSecond float64
	PagesBurst     int
	// TicketsPerMinute limits the kiosk's tickets per client address
	// (bursts of as many); default 30: a hall's kiosks behind one address
	// issue a ticket every two seconds.
	TicketsPerMinute int

	// Public tunes the visitors' pages (package public).
	Public public.Config

	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client (clientaddr.go); nil trusts none, and the connection's
	// peer is the client.
	TrustedProxies []netip.Prefix

	// The citizen's status lookup (handlers_citizen.go): an address may
	// ask PublicPerMinute times a minute (bursts of as many; default 60),
	// and a case number answers 429 for the rest of the hour after
	// StatusTries wrong codes (default 10).
	PublicPerMinute int
	StatusTries     int
}

// Server is the central's HTTP API.
type Server struct {
	store   *store.Store
	ingest  *ingest.Ingester
	log     *slog.Logger
	cfg     Config
	hub     *hub
	snaps   *snapshots
	metrics *metrics

	metricsToken *metricsToken // nil: GET /metrics takes sessions only
	handler      http.Handler

	signInPair  strikeCounter // per login and address
	signInAddr  buckets       // failures per address
	requests    buckets       // per session
	publicAddr  buckets       // the public status lookups per address
	pagesAddr   buckets       // the visitors' pages (package public), per address
	ticketsAddr buckets       // kiosk tickets, per address

	public         *public.Server
	publicPatterns map[string]bool

	cat     atomic.Pointer[store.PublishedCatalog]
	known   sync.Map         // office code → struct{}: the offices known to exist
	baseCal *domain.Calendar // Config.Calendar's built-in calendar

	unwatch   func()        // stops the store's OnCommit calls
	reload    chan struct{} // the catalogue may have changed
	stop      context.CancelFunc
	wg        sync.WaitGroup
	closeOnce sync.Once
}

// New makes a server over cfg.Store and starts its ingest (and, on
// PostgreSQL, the listener for other processes' changes). Close it after the
// HTTP server has shut down.
func New(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, errors.New("httpapi: no store")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Location == nil {
		cfg.Location = time.Local
	}
	cfg.SignInFailures = or(cfg.SignInFailures, 10)
	cfg.SignInPerMinute = or(cfg.SignInPerMinute, 30)
	cfg.RequestsPerSecond = or(cfg.RequestsPerSecond, 200)
	cfg.RequestBurst = or(cfg.RequestBurst, 1000)
	cfg.MaxBody = or(cfg.MaxBody, DefaultMaxBody)
	cfg.Heartbeat = or(cfg.Heartbeat, 15*time.Second)
	cfg.StreamCoalesce = or(cfg.StreamCoalesce, 200*time.Millisecond)
	cfg.PublicPerMinute = or(cfg.PublicPerMinute, 60)
	cfg.StatusTries = or(cfg.StatusTries, 10)
	cfg.PagesPerSecond = or(cfg.PagesPerSecond, 10)
	cfg.PagesBurst = or(cfg.PagesBurst, 100)
	cfg.SilentCheck = or(cfg.SilentCheck, 10*time.Second)
	cfg.TicketsPerMinute = or(cfg.TicketsPerMinute, 30)

	s := &Server{
		store: cfg.Store, log: cfg.Logger, cfg: cfg,
		hub: newHub(), snaps: newSnapshots(), metricsToken: newMetricsToken(cfg.MetricsToken),
		reload: make(chan struct{}, 1),
	}
	if cfg.Calendar == "" {
		cfg.Calendar = "ru"
		s.cfg.Calendar = "ru"
	}
	cal, err := domain.BuiltinCalendar(cfg.Calendar)
	if err != nil {
		return nil, err
	}
	s.baseCal = cal
	s.newLimits()
	pub, err := public.New(publicBackend{s}, cfg.Logger, cfg.Public)
	if err != nil {
		return nil, err
	}
	s.public = pub
	s.publicPatterns = map[string]bool{}
	for _, rt := range pub.Routes() {
		s.publicPatterns[rt.Pattern] = true
	}
	if err := s.loadCatalog(ctx, cfg.Catalog); err != nil {
		return nil, err
	}
	in, err := ingest.New(ingest.Config{Store: cfg.Store, Logger: cfg.Logger, Catalog: s.catalog, Verify: cfg.Verify})
	if err != nil {
		return nil, err
	}
	s.ingest = in
	s.metrics = newMetrics(cfg.Version, cfg.Store.Kind(), in.Stats, cfg.Store)
	s.unwatch = cfg.Store.OnCommit(s.changed)
	s.handler = s.routes()
	bg, stop := context.WithCancel(context.Background())
	s.stop = stop
	s.wg.Add(1)
	go s.housekeeping(bg)
	s.wg.Add(1)
	go s.listen(bg)
	return s, nil
}

func or[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// ServeHTTP serves the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Store is the server's store.
func (s *Server) Store() *store.Store { return s.store }

// Shutdown ends the queue streams, so an http.Server's Shutdown need not
// wait for them; register it with http.Server.RegisterOnShutdown.
func (s *Server) Shutdown() { s.hub.close() }

// Close ends the streams, commits the batches the ingest holds and stops
// the background work. Call it after http.Server.Shutdown returned, then
// close the store.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		s.hub.close()
		s.ingest.Close()
		s.unwatch()
		s.stop()
		s.wg.Wait()
	})
	return nil
}

// catalog is the current catalogue (nil before any).
func (s *Server) catalog() *domain.Catalog {
	if p := s.cat.Load(); p != nil {
		return p.Catalog
	}
	return nil
}

func (s *Server) loadCatalog(ctx context.Context, c *domain.Catalog) error {
	cur, err := s.store.CurrentCatalog(ctx)
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return fmt.Errorf("load the catalogue: %w", err)
	}
	if c == nil && cur == nil {
		c = domain.DefaultCatalog()
	}
	if c != nil {
		p, published, err := s.store.PublishCatalog(ctx, c, "okno serve")
		if err != nil {
			return fmt.Errorf("publish the catalogue: %w", err)
		}
		if published {
			s.log.Info("catalogue published", "version", p.Version, "hash", p.Hash)
		}
		cur = p
	}
	s.cat.Store(cur)
	return nil
}

// reloadCatalog picks up a catalogue another process published.
func (s *Server) reloadCatalog(ctx context.Context) {
	cur, err := s.store.CurrentCatalog(ctx)
	if err != nil {
		return
	}
	if old := s.cat.Load(); old == nil || old.Hash != cur.Hash {
		s.cat.Store(cur)
	}
}

// housekeeping prunes expired sessions and old idempotency answers.
func (s *Server) housekeeping(ctx context.Context) {
	defer s.wg.Done()
	tick := time.NewTicker(10 * time.Minute)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if err := s.store.PruneSessions(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("cannot prune sessions", "err", err)
		}
		if err := s.store.PruneIdempotency(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("cannot prune idempotency keys", "err", err)
		}
		if _, err := s.store.ExpireBookings(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("cannot mark the bookings not checked in", "err", err)
		}
		if err := s.store.PruneLimits(ctx, 2*time.Hour); err != nil && ctx.Err() == nil {
			s.log.Warn("cannot prune rate limits", "err", err)
		}
	}
}
