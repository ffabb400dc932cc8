package httpapi

import (
	"net/http"
	"strconv"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/domain"
)

// rolesAudit may list a window's chain: a supervisor or an admin, and the
// window's own workstation (checked in the handler).
var rolesAudit = []domain.Role{domain.RoleWorkstation, domain.RoleSupervisor, domain.RoleAdmin}

// windowEvents serves a window's chain to an admin, a supervisor of the
// office, or the window's own workstation: what `okno audit verify
// --central` compares the local chain with.
func (s *Server) windowEvents(w http.ResponseWriter, r *http.Request, c *store.Session) error {
	office := r.PathValue("office")
	if !domain.ValidOffice(office) {
		return errorf(http.StatusBadRequest, api.CodeBadRequest, "office %q: must be 2–8 capital Latin letters or digits", clip(office, 16))
	}
	window, err := strconv.Atoi(r.PathValue("window"))
	if err != nil || window < 0 || window > 999 {
		return errorf(http.StatusBadRequest, api.CodeBadRequest, "window: must be a whole number from 0 to 999 (0: the central's own events)")
	}
	if !c.SeesOffice(office) {
		return errorf(http.StatusForbidden, api.CodeForbidden, "this session is of office %s; it may not read office %s's chains", c.Office, office)
	}
	if c.Role == domain.RoleWorkstation && window != c.Window {
		return errorf(http.StatusForbidden, api.CodeForbidden, "a workstation reads its own window's chain only (window %d)", c.Window)
	}
	if err := s.knownOffice(r.Context(), office); err != nil {
		return err
	}
	q := r.URL.Query()
	after, err := intParam(q.Get("after"), 0, 0, 1<<62, "after")
	if err != nil {
		return err
	}
	limit, err := intParam(q.Get("limit"), store.DefaultChainLimit, 1, store.MaxChainLimit, "limit")
	if err != nil {
		return err
	}
	page, err := s.store.WindowEvents(r.Context(), office, window, after, int(limit))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}
