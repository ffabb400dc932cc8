package central

import (
	"net/http"
	"time"

	"github.com/okno-mfc/okno/domain"
)

// The keys a workstation checks the central's answers with (issue 11): an
// office's window keys and the central's (GET /v1/offices/{office}/keys),
// and the head receipts the central signs after each push.

// officeKeys serves the keys of an office to its clerks, workstations and
// supervisors, and to an admin.
func (s *Server) officeKeys(w http.ResponseWriter, r *http.Request, c *Session) error {
	office := r.PathValue("office")
	if !domain.ValidOffice(office) {
		return errorf(http.StatusBadRequest, domain.CodeBadRequest, "office %q: must be 2–8 capital Latin letters or digits", clip(office, 16))
	}
	if !c.SeesOffice(office) {
		return errorf(http.StatusForbidden, domain.CodeForbidden, "this session is of office %s; it may not read office %s's keys", c.Office, office)
	}
	keys, err := s.store.OfficeKeys(r.Context(), office)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, keys)
	return nil
}

// receipt is the signed head of a window's chain at the central's time
// now, or false when the central has no key or the chain is empty.
func (s *Store) receipt(k streamKey, h *streamHead, now int64) (domain.HeadReceipt, bool) {
	if s.signKey == nil || h.lastSeq == 0 {
		return domain.HeadReceipt{}, false
	}
	r := domain.HeadReceipt{Office: k.office, Window: k.win, Seq: h.lastSeq, Hash: h.lastHash, At: time.Unix(0, now).UTC()}
	domain.SignHead(&r, s.signKey)
	return r, true
}
