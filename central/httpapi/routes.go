package httpapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/domain"
)

// handlerFunc serves one route for a caller (nil on public routes). It
// writes its answer and returns nil, or returns an error the wrapper writes.
type handlerFunc func(w http.ResponseWriter, r *http.Request, c *store.Session) error

// Route is one endpoint and the roles that may call it; no roles means no
// session is needed. Everything not listed is denied.
type Route struct {
	Pattern string        // "METHOD /path", as net/http.ServeMux reads it
	Roles   []domain.Role // who may call it; nil: public
	h       handlerFunc
}

var (
	rolesEveryone   = []domain.Role{domain.RoleClerk, domain.RoleWorkstation, domain.RoleSupervisor, domain.RoleDepartment, domain.RoleAdmin}
	rolesWindow     = []domain.Role{domain.RoleClerk, domain.RoleWorkstation, domain.RoleAdmin}
	rolesOffice     = []domain.Role{domain.RoleClerk, domain.RoleWorkstation, domain.RoleSupervisor, domain.RoleAdmin}
	rolesDepartment = []domain.Role{domain.RoleDepartment, domain.RoleAdmin}
	rolesBlobRead   = []domain.Role{domain.RoleClerk, domain.RoleWorkstation, domain.RoleDepartment, domain.RoleAdmin}
	rolesWatch      = []domain.Role{domain.RoleSupervisor, domain.RoleAdmin}
	rolesAdmin      = []domain.Role{domain.RoleAdmin}
)

// table is every route of the API with who may call it: the one place
// roles are decided. Office scoping (a clerk sees their office only) is in
// the handlers.
func (s *Server) table() []Route {
	return append([]Route{
		{"GET /healthz", nil, s.health},
		{"GET /v1/openapi.yaml", nil, s.openAPI},
		{"POST /v1/sessions", nil, s.signIn},
		{"DELETE /v1/sessions/current", rolesEveryone, s.signOut},
		{"GET /v1/catalog", rolesEveryone, s.getCatalog},
		{"PUT /v1/catalog", rolesAdmin, s.putCatalog},
		{"POST /v1/events", rolesWindow, s.pushEvents},
		{"GET /v1/feed", rolesOffice, s.feed},
		{"GET /v1/cases", rolesEveryone, s.searchCases},
		{"GET /v1/cases/{id}", rolesEveryone, s.getCase},
		{"POST /v1/cases/{id}/status", rolesDepartment, s.setStatus},
		{"POST /v1/cases/{id}/deadline", rolesDepartment, s.extendDeadline},
		{"GET /v1/offices", rolesWatch, s.offices},
		{"GET /v1/offices/{office}/queue", rolesOffice, s.queue},
		{"GET /v1/offices/{office}/queue/stream", rolesOffice, s.queueStream},
		{"POST /v1/offices/{office}/queue/next", rolesWindow, s.callNext},
		{"GET /v1/offices/{office}/report", rolesWatch, s.report},
		{"GET /v1/offices/{office}/attention", rolesWatch, s.attention},
		{"POST /v1/offices/{office}/tickets/{id}/move", rolesWatch, s.moveTicket},
		{"POST /v1/offices/{office}/tickets/{id}/priority", rolesWatch, s.ticketPriority},
		{"POST /v1/offices/{office}/windows/{window}/close", rolesWatch, s.closeWindow},
		{"POST /v1/offices/{office}/windows/{window}/heartbeat", rolesWindow, s.heartbeat},
		{"GET /v1/offices/{office}/windows/{window}/events", rolesAudit, s.windowEvents},
		{"GET /v1/offices/{office}/keys", rolesOffice, s.officeKeys},
		{"HEAD /v1/blobs/{sha256}", rolesBlobRead, s.headBlob},
		{"GET /v1/blobs/{sha256}", rolesBlobRead, s.getBlob},
		{"PUT /v1/blobs/{sha256}", rolesWindow, s.putBlob},
		{"POST /v1/workstations", rolesAdmin, s.enrol},
		{"GET /metrics", rolesWatch, s.metricsPage},
		{"GET /v1/public/cases/{number}", nil, s.publicCase},
		{"GET /v1/public/offices/{office}/slots", nil, s.slots},
		{"POST /v1/public/bookings", nil, s.book},
		{"DELETE /v1/public/bookings/{code}", nil, s.cancelBooking},
		{"POST /v1/public/offices/{office}/bookings/{code}/checkin", nil, s.checkIn},
		{"GET /v1/public/ratings/{code}", nil, s.ratingTarget},
		{"POST /v1/public/ratings/{code}", nil, s.rate},
		{"GET /v1/offices/{office}/notices", rolesWatch, s.notices},
		{"GET /v1/offices/{office}/unclaimed", rolesWatch, s.unclaimed},
		{"POST /v1/offices/{office}/unclaimed/{id}/return", rolesWatch, s.returnResult},
		{"POST /v1/offices/{office}/unclaimed/{id}/extend", rolesWatch, s.extendCollect},
	}, s.publicRoutes()...) // the visitors' pages and streams (public.go): no session, limited per address
}

// getOnly are the GET routes that do not answer HEAD (405): a stream's
// HEAD would hold the connection with nothing to send.
var getOnly = map[string]bool{"GET /v1/offices/{office}/queue/stream": true, "GET /hall/{office}/events": true, "GET /hall/{office}/t/{number}/events": true}

// Routes lists the API's routes and their roles (for docs and tests),
// with the HEAD of every GET route that answers HEAD (net/http serves it
// through the GET's handler, without the body).
func (s *Server) Routes() []Route {
	table := s.table()
	explicit := map[string]bool{}
	for _, rt := range table {
		explicit[rt.Pattern] = true
	}
	out := slices.Clone(table)
	for _, rt := range table {
		path, ok := strings.CutPrefix(rt.Pattern, "GET ")
		if ok && !getOnly[rt.Pattern] && !explicit["HEAD "+path] {
			out = append(out, Route{Pattern: "HEAD " + path, Roles: rt.Roles, h: rt.h})
		}
	}
	return out
}

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	paths := http.NewServeMux() // the same paths without methods: tells a 405 from a 404
	allow := map[string][]string{}
	for _, rt := range s.Routes() {
		method, path, _ := strings.Cut(rt.Pattern, " ")
		if method != http.MethodHead || s.explicitHead(path) {
			mux.Handle(rt.Pattern, s.wrap(rt))
		} // else net/http serves HEAD through the GET's pattern
		if _, ok := allow[path]; !ok {
			paths.Handle(path, http.NotFoundHandler())
		}
		allow[path] = append(allow[path], method)
	}
	mux.Handle("/", s.wrap(Route{Pattern: "unmatched", h: func(w http.ResponseWriter, r *http.Request, _ *store.Session) error {
		if _, p := paths.Handler(r); p != "" {
			w.Header().Set("Allow", strings.Join(allow[p], ", "))
			return errorf(http.StatusMethodNotAllowed, api.CodeMethod, "%s is not served at this path; use %s", r.Method, strings.Join(allow[p], " or "))
		}
		return errorf(http.StatusNotFound, api.CodeNotFound, "no such endpoint; the API is described at /v1/openapi.yaml")
	}}))
	return mux
}

// explicitHead says whether the table has its own HEAD route for path.
func (s *Server) explicitHead(path string) bool {
	return slices.ContainsFunc(s.table(), func(rt Route) bool { return rt.Pattern == "HEAD "+path })
}

// recorder remembers the status a handler wrote.
type recorder struct {
	http.ResponseWriter
	status int
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// wrap is every request's path: session, role, rate limit, the handler,
// then the metrics and one log line. The line holds the method, the route
// pattern (never the raw path or the query), the status, the time and the
// login: no personal data.
func (s *Server) wrap(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: w}
		var caller *store.Session
		var err error
		defer func() {
			if p := recover(); p != nil {
				s.log.Error("panic", "route", rt.Pattern, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				if rec.status == 0 {
					writeError(rec, errorf(http.StatusInternalServerError, api.CodeInternal, "internal error; try again later"))
				}
				err = fmt.Errorf("panic")
			}
			s.finish(rt, r, rec, caller, err, time.Since(start))
		}()
		if r.Method == http.MethodHead && getOnly[rt.Pattern] {
			_, path, _ := strings.Cut(rt.Pattern, " ")
			w.Header().Set("Allow", http.MethodGet)
			err = errorf(http.StatusMethodNotAllowed, api.CodeMethod, "%s is served with GET only (a stream has no HEAD)", path)
		} else if he := checkRequest(r); he != nil {
			err = he
		} else if rt.Roles != nil {
			caller, err = s.authorize(r, rt)
		} else if s.publicPatterns[rt.Pattern] {
			err = s.limitPublic(r)
		}
		if err == nil {
			err = rt.h(rec, r, caller)
		}
		switch {
		case err == nil || rec.status != 0:
		case r.Context().Err() != nil:
			rec.status = statusClientGone // nobody to answer
		default:
			writeError(rec, asHTTP(err))
		}
	})
}

func (s *Server) finish(rt Route, r *http.Request, rec *recorder, caller *store.Session, err error, d time.Duration) {
	status := rec.status
	if status == 0 {
		status = http.StatusOK
	}
	s.metrics.request(rt.Pattern, status, d)
	attrs := []any{"method", r.Method, "route", rt.Pattern, "status", status, "ms", float64(d.Microseconds()) / 1000}
	if caller != nil {
		attrs = append(attrs, "login", caller.Login)
	}
	level, msg := slog.LevelInfo, "request"
	switch {
	case status == statusClientGone:
		msg = "client went away" // it hung up before the answer: nothing is wrong here
	case status >= 500:
		level = slog.LevelError
		if err != nil && !errors.Is(err, context.Canceled) {
			attrs = append(attrs, "err", err.Error())
		}
	}
	s.log.Log(context.WithoutCancel(r.Context()), level, msg, attrs...)
}

// statusClientGone is the status the metrics and the log give a request
// whose client hung up before its answer (nginx's 499); nothing is sent.
const statusClientGone = 499

// authorize finds the caller's session and checks its role and rate.
func (s *Server) authorize(r *http.Request, rt Route) (*store.Session, error) {
	auth := r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(auth, "Bearer ")
	if !ok || token == "" {
		return nil, errorf(http.StatusUnauthorized, api.CodeUnauthorized, "sign in first (POST /v1/sessions) and send the token as Authorization: Bearer <token>")
	}
	c, err := s.session(r.Context(), rt, strings.TrimSpace(token))
	if err != nil {
		return c, err
	}
	if ok, wait := s.requests.allow(c.TokenHash); !ok {
		return c, &httpError{status: http.StatusTooManyRequests, code: api.CodeRateLimited,
			msg: "too many requests for this session; wait and send again", retryAfter: retrySeconds(wait)}
	}
	return c, nil
}

// session finds the caller of token and checks its role: a session, or
// on GET /metrics the scrape token.
func (s *Server) session(ctx context.Context, rt Route, token string) (*store.Session, error) {
	if rt.Pattern == "GET /metrics" && s.metricsToken.matches(token) {
		return s.scraper(), nil
	}
	c, err := s.store.Authenticate(ctx, token)
	if errors.Is(err, store.ErrNoSession) {
		return nil, errorf(http.StatusUnauthorized, api.CodeUnauthorized, "the session expired or was ended; sign in again")
	}
	if err != nil {
		return nil, err
	}
	if !slices.Contains(rt.Roles, c.Role) {
		return c, errorf(http.StatusForbidden, api.CodeForbidden, "a %s may not do this (%s is for: %s)", c.Role, rt.Pattern, roleList(rt.Roles))
	}
	return c, nil
}

func roleList(rs []domain.Role) string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	return strings.Join(out, ", ")
}
