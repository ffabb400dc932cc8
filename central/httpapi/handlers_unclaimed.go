package httpapi

import (
	"context"
	"fmt"
	"net/http"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/domain"
)

// Unclaimed results (store/unclaimed.go): the supervisor's list, and the
// return to the department or a longer keeping, each the central's event.

// keeping is office's storage period of results: its profile's
// unclaimed_days, else Config.UnclaimedDays (okno serve --unclaimed-days),
// else the catalogue's norms.storage_days (30 by default); days counted in
// the office's time zone (its profile's, else Config.Location).
func (s *Server) keeping(ctx context.Context, office string) store.Keeping {
	k := store.Keeping{Days: s.cfg.UnclaimedDays, Loc: s.cfg.Location}
	if k.Days <= 0 {
		k.Days = domain.DefaultStorageDays
		if cat := s.catalog(); cat != nil && cat.Norms.StorageDays > 0 {
			k.Days = cat.Norms.StorageDays
		}
	}
	o, err := s.store.Office(ctx, office)
	if err != nil {
		s.log.Warn("the office's profile", "office", office, "err", err)
	}
	if o != nil {
		if o.UnclaimedDays > 0 {
			k.Days = o.UnclaimedDays
		}
		if loc, err := o.Location(); err == nil && o.TimeZone != "" {
			k.Loc = loc
		}
	}
	return k
}

func (s *Server) unclaimed(w http.ResponseWriter, r *http.Request, c *store.Session) error {
	office, err := s.officeOf(r, c)
	if err != nil {
		return err
	}
	for k := range r.URL.Query() {
		return errorf(http.StatusBadRequest, api.CodeBadRequest, "unknown parameter %q: the list takes none", clip(k, 40))
	}
	list, err := s.store.Unclaimed(r.Context(), office, s.keeping(r.Context(), office))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list)
	return nil
}

// resultOf reads the {id} of the path: a case's UUID.
func resultOf(r *http.Request, office string) (string, error) {
	id := r.PathValue("id")
	if !domain.IsUUID(id) {
		return "", errorf(http.StatusNotFound, api.CodeNotFound, "no case %s at office %s: name the case by its id (a UUID, as the list gives it)", clip(id, 40), office)
	}
	return id, nil
}

func (s *Server) returnResult(w http.ResponseWriter, r *http.Request, c *store.Session) error {
	return unclaimedAct(s, w, r, c, "return", (*store.Tx).ReturnResult)
}

func (s *Server) extendCollect(w http.ResponseWriter, r *http.Request, c *store.Session) error {
	return unclaimedAct(s, w, r, c, "extend", (*store.Tx).ExtendCollect)
}

// unclaimedAct is a supervisor's act on a result waiting past its last
// day (POST /v1/offices/{office}/unclaimed/{id}/{verb}): the body decoded
// into Req, then act in one transaction, once per Idempotency-Key.
func unclaimedAct[Req any](s *Server, w http.ResponseWriter, r *http.Request, c *store.Session, verb string,
	act func(*store.Tx, *store.Session, string, string, Req, store.Keeping) (api.StatusResponse, error)) error {
	office, err := s.officeOf(r, c)
	if err != nil {
		return err
	}
	id, err := resultOf(r, office)
	if err != nil {
		return err
	}
	var req Req
	if err := decodeJSON(w, r, &req, smallBody); err != nil {
		return err
	}
	k := s.keeping(r.Context(), office)
	return s.once(w, r, c, fmt.Sprintf("POST /v1/offices/%s/unclaimed/%s/%s", office, id, verb), func(t *store.Tx) (int, any, error) {
		resp, err := act(t, c, office, id, req, k)
		return http.StatusOK, resp, err
	})
}
