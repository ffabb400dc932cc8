package httpapi

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/domain"
)

//go:embed openapi.yaml
var openAPISpec []byte

// OpenAPI returns the API's OpenAPI 3 description.
func OpenAPI() []byte { return bytes.Clone(openAPISpec) }

func (s *Server) health(w http.ResponseWriter, r *http.Request, _ *store.Session) error {
	if err := s.store.Ping(r.Context()); err != nil {
		s.log.Error("store does not answer", "err", err)
		return &httpError{status: http.StatusServiceUnavailable, code: api.CodeUnavailable, msg: "the database does not answer", retryAfter: 5}
	}
	writeJSON(w, http.StatusOK, api.HealthResponse{Status: "ok", Store: s.store.Kind(), Version: s.cfg.Version})
	return nil
}

// openAPI serves the API description without a session: it holds no data,
// and a client needs it before it can sign in.
func (s *Server) openAPI(w http.ResponseWriter, _ *http.Request, _ *store.Session) error {
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	w.Write(openAPISpec)
	return nil
}

func (s *Server) signIn(w http.ResponseWriter, r *http.Request, _ *store.Session) error {
	var req api.SignInRequest
	if err := decodeJSON(w, r, &req, smallBody); err != nil {
		return err
	}
	if err := checkSignIn(&req); err != nil {
		return err
	}
	// Guessing is slowed per login and address, and per address; only
	// failures count (ratelimit.go), so the owner signing in from another
	// address is never held back by someone guessing elsewhere.
	addr := s.clientAddr(r)
	pair := req.Login + "\x00" + addr
	if ok, wait := s.signInPair.try(pair); !ok {
		return &httpError{status: http.StatusTooManyRequests, code: api.CodeRateLimited, retryAfter: retrySeconds(wait),
			msg: fmt.Sprintf("too many failed sign-ins of this login from this address: wait %d seconds and try again (each further failure doubles the wait; a success ends it)", retrySeconds(wait))}
	}
	if ok, wait := s.signInAddr.allow(addr); !ok {
		s.signInPair.undo(pair)
		return &httpError{status: http.StatusTooManyRequests, code: api.CodeRateLimited, retryAfter: retrySeconds(wait),
			msg: "too many failed sign-ins from this address: wait a minute and try again"}
	}
	resp, err := s.store.SignIn(r.Context(), req.Login, req.Password, req.Window)
	if errors.Is(err, domain.ErrBadCredentials) {
		// The attempted login is not logged: people type passwords into it.
		s.log.Info("sign-in refused", "addr", addr)
		return errorf(http.StatusUnauthorized, api.CodeUnauthorized, "wrong login or password")
	}
	if err != nil {
		s.signInPair.undo(pair)
		s.signInAddr.refund(addr)
		return err
	}
	s.signInPair.succeeded(pair)
	s.signInAddr.refund(addr)
	s.log.Info("signed in", "login", resp.Operator.Login, "role", resp.Operator.Role, "office", resp.Operator.Office, "window", resp.Operator.Window)
	writeJSON(w, http.StatusCreated, resp)
	return nil
}

// checkSignIn says what is wrong with a sign-in request before any
// password is hashed.
func checkSignIn(req *api.SignInRequest) error {
	switch {
	case req.Window < 0 || req.Window > 999:
		return errorf(http.StatusUnprocessableEntity, api.CodeInvalid, "window: must be 0–999 (0: not at a window)")
	case len(req.Login) > 200:
		return errorf(http.StatusUnprocessableEntity, api.CodeInvalid, "login: at most 200 characters")
	case len(req.Password) > 1024:
		return errorf(http.StatusUnprocessableEntity, api.CodeInvalid, "password: at most 1024 bytes")
	}
	return nil
}

func (s *Server) signOut(w http.ResponseWriter, r *http.Request, c *store.Session) error {
	if err := s.store.Revoke(r.Context(), c.TokenHash); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) getCatalog(w http.ResponseWriter, r *http.Request, _ *store.Session) error {
	p := s.cat.Load()
	if p == nil {
		return errorf(http.StatusNotFound, api.CodeNotFound, "no catalogue is published yet; an administrator publishes one with PUT /v1/catalog")
	}
	resp := api.CatalogResponse{Version: p.Version, Hash: p.Hash}
	etag := `"` + p.Hash + `"`
	w.Header().Set("ETag", etag)
	if etagMatches(r.Header.Get("If-None-Match"), etag) {
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	if r.URL.Query().Get("hash") != p.Hash {
		resp.Catalog = p.Catalog
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

// etagMatches says whether an If-None-Match header names etag (weakly, as
// RFC 9110 compares for If-None-Match) or is "*".
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

func (s *Server) putCatalog(w http.ResponseWriter, r *http.Request, c *store.Session) error {
	var cat domain.Catalog
	if err := decodeJSON(w, r, &cat, s.cfg.MaxBody); err != nil {
		return err
	}
	p, published, err := s.store.PublishCatalog(r.Context(), &cat, c.Login)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if published {
		status = http.StatusCreated
		s.cat.Store(p)
		s.log.Info("catalogue published", "version", p.Version, "hash", p.Hash, "login", c.Login)
	}
	writeJSON(w, status, api.CatalogResponse{Version: p.Version, Hash: p.Hash})
	return nil
}

func (s *Server) enrol(w http.ResponseWriter, r *http.Request, c *store.Session) error {
	var req api.EnrolRequest
	if err := decodeJSON(w, r, &req, smallBody); err != nil {
		return err
	}
	resp, err := s.store.Enrol(r.Context(), req)
	if err != nil {
		return err
	}
	s.log.Info("workstation enrolled", "workstation", resp.Login, "login", c.Login)
	writeJSON(w, http.StatusCreated, resp)
	return nil
}

// metricsPage serves /metrics to supervisors and administrators: the
// figures name offices and their load, which is not for every clerk.
func (s *Server) metricsPage(w http.ResponseWriter, r *http.Request, _ *store.Session) error {
	var b bytes.Buffer
	format, err := s.metrics.write(&b)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", string(format))
	w.WriteHeader(http.StatusOK)
	w.Write(b.Bytes())
	return nil
}
