package httpapi

import (
	"net/http"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/domain"
)

// The keys a workstation checks the central's answers with (issue 11): an
// office's window keys and the central's (GET /v1/offices/{office}/keys).
// The head receipts the central signs after each push are the ingest's.

// officeKeys serves the keys of an office to its clerks, workstations and
// supervisors, and to an admin.
func (s *Server) officeKeys(w http.ResponseWriter, r *http.Request, c *store.Session) error {
	office := r.PathValue("office")
	if !domain.ValidOffice(office) {
		return errorf(http.StatusBadRequest, api.CodeBadRequest, "office %q: must be 2–8 capital Latin letters or digits", clip(office, 16))
	}
	if !c.SeesOffice(office) {
		return errorf(http.StatusForbidden, api.CodeForbidden, "this session is of office %s; it may not read office %s's keys", c.Office, office)
	}
	keys, err := s.store.OfficeKeys(r.Context(), office)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, keys)
	return nil
}
