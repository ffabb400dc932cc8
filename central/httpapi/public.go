package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/figures"
	"github.com/okno-mfc/okno/central/public"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/domain"
)

// The visitors' side (package public): the hall board, the kiosk, a
// visitor's phone. Its routes need no session; each address may make
// PagesPerSecond requests a second (bursts of PagesBurst) over all of
// them, counted like the sign-in limits (the --trusted-proxies client; on
// PostgreSQL in the database, shared by the replicas).

// publicBackend gives package public what it needs of the server.
type publicBackend struct{ s *Server }

func (b publicBackend) Office(ctx context.Context, code string) (*domain.Office, error) {
	return b.s.store.Office(ctx, code)
}
func (b publicBackend) Catalog() *domain.Catalog { return b.s.catalog() }
func (b publicBackend) Snapshot(ctx context.Context, office string) (api.QueueSnapshot, error) {
	return b.s.store.Snapshot(ctx, office, b.s.catalog(), b.s.cfg.Location)
}
func (b publicBackend) Subscribe(office string) (<-chan struct{}, func()) {
	return b.s.hub.subscribe(office)
}
func (b publicBackend) Done() <-chan struct{}           { return b.s.hub.done }
func (b publicBackend) Generation(office string) uint64 { return b.s.hub.generation(office) }
func (b publicBackend) Now() time.Time                  { return b.s.store.Now() }
func (b publicBackend) Calls(ctx context.Context, office string, since time.Time, limit int) ([]store.Call, error) {
	return b.s.store.LatestCalls(ctx, office, since, limit)
}

func (b publicBackend) IssuedToday(ctx context.Context, o *domain.Office) (map[string]int, error) {
	return b.s.store.IssuedSince(ctx, o.Code, b.dayStart(o))
}

func (b publicBackend) CheckIn(ctx context.Context, o *domain.Office, code string) (api.CheckInResponse, error) {
	return b.s.store.CheckIn(ctx, o, b.s.catalog(), code)
}

func (b publicBackend) IssueTicket(ctx context.Context, o *domain.Office, service, category string) (store.KioskTicket, error) {
	var t store.KioskTicket
	err := b.s.store.WithTx(ctx, func(tx *store.Tx) error {
		var err error
		t, err = tx.IssueKioskTicket(o.Code, b.s.catalog(), service, category, o.DailyLimits[service], b.dayStart(o))
		return err
	})
	return t, err
}

func (b publicBackend) AllowTicket(r *http.Request) (bool, time.Duration) {
	return b.s.ticketsAddr.allow(b.s.clientAddr(r))
}

// dayStart is the start of the office's day now.
func (b publicBackend) dayStart(o *domain.Office) time.Time {
	loc, err := o.Location()
	if err != nil || o.TimeZone == "" {
		loc = b.s.cfg.Location
	}
	return figures.StartOfDay(b.s.store.Now(), loc)
}

// CaseStatus is the status page's lookup: the API's (handlers_citizen.go).
func (b publicBackend) CaseStatus(r *http.Request, number, code string) (api.PublicCase, *public.StatusError) {
	pc, err := b.s.CaseStatus(r.Context(), b.s.clientAddr(r), number, code)
	if err != nil {
		he := asHTTP(err)
		if he.status >= 500 {
			b.s.log.Warn("public: case status", "err", err)
		}
		return pc, &public.StatusError{Status: he.status, Code: he.code, RetryAfter: he.retryAfter}
	}
	return pc, nil
}

// RatingTarget and Rate are the rating page's (handlers_rating.go).
func (b publicBackend) RatingTarget(r *http.Request, code string) (api.RatingTarget, *public.StatusError) {
	t, err := b.s.RatingTarget(r.Context(), b.s.clientAddr(r), code)
	return t, b.answer("rating code", err)
}

func (b publicBackend) Rate(r *http.Request, code string, req api.RatingRequest) (api.RatingResponse, *public.StatusError) {
	resp, err := b.s.Rate(r.Context(), b.s.clientAddr(r), code, req)
	return resp, b.answer("rating", err)
}

// answer is err as the API answers it, for a page.
func (b publicBackend) answer(what string, err error) *public.StatusError {
	if err == nil {
		return nil
	}
	he := asHTTP(err)
	if he.status >= 500 {
		b.s.log.Warn("public: "+what, "err", err)
	}
	return &public.StatusError{Status: he.status, Code: he.code, RetryAfter: he.retryAfter}
}

// publicRoutes are the public package's routes as routes of the table.
func (s *Server) publicRoutes() []Route {
	var out []Route
	for _, pr := range s.public.Routes() {
		h := pr.Handler
		out = append(out, Route{Pattern: pr.Pattern, h: func(w http.ResponseWriter, r *http.Request, _ *store.Session) error {
			h(w, r)
			return nil
		}})
	}
	return out
}

// limitPublic takes a token of the caller's address for a public route.
func (s *Server) limitPublic(r *http.Request) error {
	if ok, wait := s.pagesAddr.allow(s.clientAddr(r)); !ok {
		return &httpError{status: http.StatusTooManyRequests, code: api.CodeRateLimited,
			msg: "too many requests from this address; wait and try again", retryAfter: retrySeconds(wait)}
	}
	return nil
}
