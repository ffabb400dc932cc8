package httpapi

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/internal/statuscode"
)

// The citizen's side of a case (issue 15): GET /v1/public/cases/{number}
// answers, with the status code of the receipt, what the visitor may know
// of the case. No session; limited per address (Config.PublicPerMinute)
// and per case number (Config.StatusTries wrong codes an hour, whoever
// tries them). A wrong code and an unknown number are one answer.

// statusTryWindow is the hour the wrong codes of a number are counted in.
const statusTryWindow = time.Hour

func (s *Server) publicCase(w http.ResponseWriter, r *http.Request, _ *store.Session) error {
	pc, err := s.CaseStatus(r.Context(), s.clientAddr(r), r.PathValue("number"), r.URL.Query().Get("code"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, pc)
	return nil
}

// CaseStatus is the status lookup behind the public API and the status
// page: the address's limit, the number's check digit, the code's shape,
// the number's tries, the code. Its errors are the answers to give (a
// *httpError, see StatusAnswer).
func (s *Server) CaseStatus(ctx context.Context, addr, number, code string) (api.PublicCase, error) {
	if ok, wait := s.publicAddr.allow(addr); !ok {
		return api.PublicCase{}, &httpError{status: http.StatusTooManyRequests, code: api.CodeRateLimited,
			msg: "too many requests from this address; wait and try again", retryAfter: retrySeconds(wait)}
	}
	n, err := domain.ParseCaseNumber(number)
	switch {
	case errors.Is(err, domain.ErrCaseNumberTypo):
		return api.PublicCase{}, errorf(http.StatusUnprocessableEntity, api.CodeCheckNumber,
			"check the number: its last digit does not match the rest, so a digit was probably mistyped; compare it with the receipt")
	case err != nil:
		return api.PublicCase{}, errorf(http.StatusBadRequest, api.CodeCheckNumber,
			"check the number: it is written like IRK-03-261122-0007-8, as on the receipt")
	}
	c, ok := statuscode.Normalize(code)
	if !ok {
		return api.PublicCase{}, errorf(http.StatusBadRequest, api.CodeBadRequest,
			"the code is the %d digits printed under the case number on the receipt (?code=123456)", statuscode.Digits)
	}
	num := n.String()
	ok, wait, err := s.store.TakeStatusTry(ctx, num, s.cfg.StatusTries, statusTryWindow)
	if err != nil {
		return api.PublicCase{}, err
	}
	if !ok {
		return api.PublicCase{}, &httpError{status: http.StatusTooManyRequests, code: api.CodeRateLimited,
			msg: "too many wrong codes for this number; try again later", retryAfter: retrySeconds(wait)}
	}
	pc, err := s.store.PublicCase(ctx, num, c, s.keeping(ctx, n.Office))
	if errors.Is(err, store.ErrNoSuchCode) {
		return api.PublicCase{}, errorf(http.StatusNotFound, api.CodeNotFound,
			"no case with this number and code: check both against the receipt")
	}
	// A right code (or one the store could not check) is not a wrong one.
	if ferr := s.store.ForgiveStatusTry(context.WithoutCancel(ctx), num); ferr != nil {
		s.log.Warn("status code try not taken back", "err", ferr)
	}
	if err != nil {
		return api.PublicCase{}, err
	}
	if pc.ServiceNames == nil {
		pc.ServiceNames = map[string]string{}
		if cat := s.catalog(); cat != nil {
			if svc, ok := cat.Service(pc.Service); ok {
				for _, l := range []string{"ru", "uk", "en"} {
					pc.ServiceNames[l] = svc.Name(l)
				}
			}
		}
	}
	return pc, nil
}

// StatusAnswer is the HTTP status, error code and message of an error of
// CaseStatus (500 internal for a fault), and the seconds to wait for 429.
func StatusAnswer(err error) (status int, code, msg string, retryAfter int) {
	he := asHTTP(err)
	return he.status, he.code, he.msg, he.retryAfter
}

// notices lists an office's notices to visitors, newest first, for the
// supervisor: ?status=failed shows the ones given up.
func (s *Server) notices(w http.ResponseWriter, r *http.Request, c *store.Session) error {
	office, err := s.officeOf(r, c)
	if err != nil {
		return err
	}
	v := r.URL.Query()
	for k := range v {
		if k != "status" && k != "limit" {
			return errorf(http.StatusBadRequest, api.CodeBadRequest, "unknown parameter %q; use status (pending, sent, failed, cancelled) and limit", k)
		}
	}
	status := v.Get("status")
	if !store.ValidNoticeStatus(status) {
		return errorf(http.StatusBadRequest, api.CodeBadRequest, "status %q: use pending, sent, failed or cancelled", clip(status, 40))
	}
	limit, err := intParam(v.Get("limit"), 100, 1, 500, "limit")
	if err != nil {
		return err
	}
	list, err := s.store.Notices(r.Context(), office, status, int(limit))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.NoticeList{Notices: list})
	return nil
}
