package httpapi

import (
	"context"
	"errors"
	"net/http"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/internal/ratingcode"
)

// The visitors' ratings (issue 15 §4): GET /v1/public/ratings/{code} says
// what a rating code rates and whether it may be rated now; POST rates it
// once. No session; each address may make Config.PublicPerMinute code
// lookups a minute, shared with the status lookups (a code is 60 random
// bits, so this only keeps the store quiet), and the /rate page takes
// its tokens from the same bucket.

func (s *Server) ratingTarget(w http.ResponseWriter, r *http.Request, _ *store.Session) error {
	rt, err := s.RatingTarget(r.Context(), s.clientAddr(r), r.PathValue("code"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rt)
	return nil
}

func (s *Server) rate(w http.ResponseWriter, r *http.Request, _ *store.Session) error {
	var req api.RatingRequest
	if err := decodeJSON(w, r, &req, 8<<10); err != nil {
		return err
	}
	resp, err := s.Rate(r.Context(), s.clientAddr(r), r.PathValue("code"), req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, resp)
	return nil
}

// ratingCode takes the address's token and reads a code as typed.
func (s *Server) ratingCode(addr, code string) (string, error) {
	if ok, wait := s.publicAddr.allow(addr); !ok {
		return "", &httpError{status: http.StatusTooManyRequests, code: api.CodeRateLimited,
			msg: "too many requests from this address; wait and try again", retryAfter: retrySeconds(wait)}
	}
	c, ok := ratingcode.Normalize(code)
	if !ok {
		return "", errorf(http.StatusNotFound, api.CodeNotFound,
			"a rating code is 12 letters and digits as printed on the ticket or the receipt, e.g. K7M2-9QXA-3FHD")
	}
	return c, nil
}

// RatingTarget is the lookup behind GET /v1/public/ratings/{code} and the
// /rate page.
func (s *Server) RatingTarget(ctx context.Context, addr, code string) (api.RatingTarget, error) {
	c, err := s.ratingCode(addr, code)
	if err != nil {
		return api.RatingTarget{}, err
	}
	t, err := s.store.RatingTarget(ctx, c)
	if err != nil {
		return api.RatingTarget{}, ratingError(err)
	}
	return api.RatingTarget{Office: t.Office, Subject: t.Subject, Service: t.Service, ServiceNames: s.serviceNames(t.Service), State: t.State}, nil
}

// Rate is POST /v1/public/ratings/{code} and the /rate page's form.
func (s *Server) Rate(ctx context.Context, addr, code string, req api.RatingRequest) (api.RatingResponse, error) {
	c, err := s.ratingCode(addr, code)
	if err != nil {
		return api.RatingResponse{}, err
	}
	rt, err := s.store.Rate(ctx, c, req.Score, req.Comment)
	if err != nil {
		return api.RatingResponse{}, ratingError(err)
	}
	return api.RatingResponse{Office: rt.Office, Subject: rt.Subject, Service: rt.Service, Score: rt.Score}, nil
}

func ratingError(err error) error {
	switch {
	case errors.Is(err, store.ErrAlreadyRated):
		return errorf(http.StatusConflict, api.CodeAlreadyRated, "%s", err)
	case errors.Is(err, store.ErrNotRatableYet):
		return errorf(http.StatusConflict, api.CodeNotYet, "%s", err)
	}
	return err
}

// serviceNames are a service's names in ru, uk and en (none when the
// catalogue does not know it).
func (s *Server) serviceNames(service string) map[string]string {
	out := map[string]string{}
	if cat := s.catalog(); cat != nil {
		if svc, ok := cat.Service(service); ok {
			for _, l := range []string{"ru", "uk", "en"} {
				out[l] = svc.Name(l)
			}
		}
	}
	return out
}
