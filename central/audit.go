package central

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"errors"
	"net/http"
	"strconv"

	"github.com/okno-mfc/okno/domain"
)

// Pages of a window's chain (GET /v1/offices/{office}/windows/{window}/events).
const (
	DefaultChainLimit = 1000
	MaxChainLimit     = 5000
)

// rolesAudit may list a window's chain: a supervisor or an admin, and the
// window's own workstation (checked in the handler).
var rolesAudit = []domain.Role{domain.RoleWorkstation, domain.RoleSupervisor, domain.RoleAdmin}

// WindowEvents returns a page of a window's chain as the central holds it:
// the events with after < seq ≤ after+limit, each with its id, hashes,
// signature and answer (never its payload), in seq order; quarantined
// events are not part of it. Window 0 is the office's central stream.
func (s *Store) WindowEvents(ctx context.Context, office string, window int, after int64, limit int) (domain.WindowEvents, error) {
	out := domain.WindowEvents{Office: office, Window: window, Events: []domain.ChainEntry{}, Cursor: after}
	err := s.rdb.QueryRowContext(ctx, s.d.q(`SELECT last_seq, last_hash FROM streams WHERE office = ? AND win = ?`), office, window).
		Scan(&out.LastSeq, &out.LastHash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return out, err
	}
	if window == 0 {
		if s.signKey != nil {
			out.PublicKey = domain.EncodePublicKey(s.signKey.Public().(ed25519.PublicKey))
		}
	} else if w, err := s.Workstation(ctx, office, window); err == nil {
		out.PublicKey = w.PublicKey
	} else if !errors.Is(err, ErrNotFound) {
		return out, err
	}
	upto := after + int64(limit)
	rows, err := s.rdb.QueryContext(ctx, s.d.q(`SELECT seq, id, kind, at, prev_hash, hash, sig, status, reason, in_stream
		FROM events WHERE office = ? AND win = ? AND seq > ? AND seq <= ? ORDER BY seq, in_stream DESC, pos`),
		office, window, after, upto)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	for rows.Next() {
		var e domain.ChainEntry
		var kind, status string
		var at int64
		var in int
		if err := rows.Scan(&e.Seq, &e.ID, &kind, &at, &e.PrevHash, &e.Hash, &e.Sig, &status, &e.Reason, &in); err != nil {
			return out, err
		}
		e.Kind, e.At, e.Status, e.InChain = domain.EventKind(kind), nanos(at), domain.IngestStatus(status), in == 1
		out.Events = append(out.Events, e)
	}
	if err := rows.Err(); err != nil {
		return out, err
	}
	out.Cursor = min(max(upto, after), max(out.LastSeq, after))
	out.More = out.LastSeq > upto
	return out, nil
}

// windowEvents serves a window's chain to an admin, a supervisor of the
// office, or the window's own workstation: what `okno audit verify
// --central` compares the local chain with.
func (s *Server) windowEvents(w http.ResponseWriter, r *http.Request, c *Session) error {
	office := r.PathValue("office")
	if !domain.ValidOffice(office) {
		return errorf(http.StatusBadRequest, domain.CodeBadRequest, "office %q: must be 2–8 capital Latin letters or digits", clip(office, 16))
	}
	window, err := strconv.Atoi(r.PathValue("window"))
	if err != nil || window < 0 || window > 999 {
		return errorf(http.StatusBadRequest, domain.CodeBadRequest, "window: must be a whole number from 0 to 999 (0: the central's own events)")
	}
	if !c.SeesOffice(office) {
		return errorf(http.StatusForbidden, domain.CodeForbidden, "this session is of office %s; it may not read office %s's chains", c.Office, office)
	}
	if c.Role == domain.RoleWorkstation && window != c.Window {
		return errorf(http.StatusForbidden, domain.CodeForbidden, "a workstation reads its own window's chain only (window %d)", c.Window)
	}
	q := r.URL.Query()
	after, err := intParam(q.Get("after"), 0, 0, 1<<62, "after")
	if err != nil {
		return err
	}
	limit, err := intParam(q.Get("limit"), DefaultChainLimit, 1, MaxChainLimit, "limit")
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
