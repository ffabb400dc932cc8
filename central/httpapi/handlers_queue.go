package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/domain"
)

// officeOf reads the {office} of the path and checks the caller may see
// it and the central knows it (404 for an office it knows nothing of: no
// user, workstation or event).
func (s *Server) officeOf(r *http.Request, c *store.Session) (string, error) {
	office := r.PathValue("office")
	if !domain.ValidOffice(office) {
		return "", errorf(http.StatusNotFound, api.CodeNotFound, "no office %q: an office code is 2–8 capital Latin letters or digits", clip(office, 16))
	}
	if !c.SeesOffice(office) {
		return "", errorf(http.StatusForbidden, api.CodeForbidden, "you see the queue of office %s only", c.Office)
	}
	if err := s.knownOffice(r.Context(), office); err != nil {
		return "", err
	}
	return office, nil
}

// knownOffice is nil for an office the central knows, a 404 otherwise.
// Offices once known stay known, so they are remembered.
func (s *Server) knownOffice(ctx context.Context, office string) error {
	if _, ok := s.known.Load(office); ok {
		return nil
	}
	known, err := s.store.KnowsOffice(ctx, office)
	if err != nil {
		return err
	}
	if !known {
		return errorf(http.StatusNotFound, api.CodeNotFound, "the central knows no office %s (no user, workstation or event of it); check the code", office)
	}
	s.known.Store(office, struct{}{})
	return nil
}

func (s *Server) queue(w http.ResponseWriter, r *http.Request, c *store.Session) error {
	office, err := s.officeOf(r, c)
	if err != nil {
		return err
	}
	snap, err := s.store.Snapshot(r.Context(), office, s.catalog(), s.cfg.Location)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, snap)
	return nil
}

// queueStream serves the office's queue as Server-Sent Events: a
// "snapshot" event at once and after every committed change (at most one
// per StreamCoalesce), and a ": ping" comment every Heartbeat. With
// ?deltas=1 the events after the first are "delta"s (api.QueueDelta:
// what changed since the previous event) where a delta is smaller.
func (s *Server) queueStream(w http.ResponseWriter, r *http.Request, c *store.Session) error {
	office, err := s.officeOf(r, c)
	if err != nil {
		return err
	}
	rc := http.NewResponseController(w)
	changes, cancel := s.hub.subscribe(office)
	defer cancel()
	s.metrics.stream(1)
	defer s.metrics.stream(-1)

	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)

	send := func(b []byte) error {
		rc.SetWriteDeadline(time.Now().Add(30 * time.Second))
		if _, err := w.Write(b); err != nil {
			return err
		}
		return rc.Flush()
	}
	var id int64
	var states string // the windows' states last sent
	deltas := r.URL.Query().Get("deltas") == "1"
	var prev *api.QueueSnapshot // the last one sent
	var tick time.Time          // the office's tick this stream woke at (zero: not at a tick)
	again := false              // the snapshot sent lacks a change: send one at the next tick
	snapshot := func() error {
		snap, data, stale, err := s.snapshotAt(r.Context(), office, tick)
		if err != nil {
			return err
		}
		again = stale
		states = statesOf(snap) // of the snapshot sent, not of a newer one
		id++
		var b bytes.Buffer
		if deltas && prev != nil {
			// What changed since the last event, when a delta can say
			// it in fewer bytes than the whole queue.
			if dj := s.deltaShared(office, prev, snap, len(data)); dj != nil {
				fmt.Fprintf(&b, "id: %d\nevent: delta\ndata: %s\n\n", id, dj)
			}
		}
		if b.Len() == 0 {
			fmt.Fprintf(&b, "id: %d\nevent: snapshot\ndata: %s\n\n", id, data)
		}
		prev = snap
		return send(b.Bytes())
	}
	if err := send([]byte("retry: 2000\n\n")); err != nil {
		return nil
	}
	ping := time.NewTicker(s.cfg.Heartbeat)
	defer ping.Stop()
	// A window falls silent with no commit: look again now and then.
	silent := time.NewTicker(s.cfg.SilentCheck)
	defer silent.Stop()
	for {
		if err := snapshot(); err != nil {
			if r.Context().Err() == nil {
				s.log.Warn("queue stream ends", "route", "GET /v1/offices/{office}/queue/stream", "err", err)
			}
			return nil
		}
		// Coalesce: a burst of commits gives one snapshot, at the
		// office's next tick. Every stream of the office wakes at the
		// same ticks (multiples of StreamCoalesce), so the streams of
		// 200 supervisors share one snapshot and one delta a tick
		// instead of each computing its own at its own time.
		next := time.Now().Truncate(s.cfg.StreamCoalesce).Add(s.cfg.StreamCoalesce)
		select {
		case <-time.After(time.Until(next)):
		case <-r.Context().Done():
			return nil
		case <-s.hub.done:
			return nil
		}
		tick = next
		if again {
			continue
		}
	wait:
		for {
			select {
			case <-changes:
				tick = time.Now().Truncate(s.cfg.StreamCoalesce)
				break wait
			case <-silent.C:
				if now, err := s.windowStates(r.Context(), office); err == nil && now != states {
					tick = time.Time{} // this stream's own look: a snapshot of now
					break wait
				}
			case <-ping.C:
				if err := send([]byte(": ping\n\n")); err != nil {
					return nil
				}
			case <-r.Context().Done():
				return nil
			case <-s.hub.done:
				return nil
			}
		}
	}
}

func (s *Server) callNext(w http.ResponseWriter, r *http.Request, c *store.Session) error {
	office, err := s.officeOf(r, c)
	if err != nil {
		return err
	}
	var req api.CallNextRequest
	if err := decodeJSON(w, r, &req, smallBody); err != nil {
		return err
	}
	if err := checkCallNext(&req, c); err != nil {
		return err
	}
	route := fmt.Sprintf("POST /v1/offices/%s/queue/next", office)
	return s.once(w, r, c, route, func(t *store.Tx) (int, any, error) {
		resp, err := t.CallNext(c, office, req, s.catalog())
		return http.StatusOK, resp, err
	})
}

// checkCallNext fills in the window of a call-next request from the
// session and says what is wrong with it.
func checkCallNext(req *api.CallNextRequest, c *store.Session) error {
	if req.Window == 0 {
		req.Window = c.Window
	}
	switch {
	case req.Window < 1 || req.Window > 999:
		return errorf(http.StatusUnprocessableEntity, api.CodeInvalid, "window: must be 1–999, the window that calls")
	case c.Window > 0 && req.Window != c.Window:
		return errorf(http.StatusForbidden, api.CodeForbidden, "this session is of window %d; it may call for that window only", c.Window)
	case len(req.Services) > 1000:
		return errorf(http.StatusUnprocessableEntity, api.CodeInvalid, "services: at most 1000")
	}
	return nil
}

// blobHash reads the {sha256} of the path.
func blobHash(r *http.Request) (string, error) {
	h := r.PathValue("sha256")
	if len(h) != 64 || !isLowerHex(h) {
		return "", errorf(http.StatusBadRequest, api.CodeBadRequest, "the path must end in the content's SHA-256: 64 lower-case hex digits")
	}
	return h, nil
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

func (s *Server) headBlob(w http.ResponseWriter, r *http.Request, _ *store.Session) error {
	h, err := blobHash(r)
	if err != nil {
		return err
	}
	n, err := s.store.BlobSize(r.Context(), h)
	if errors.Is(err, domain.ErrNotFound) {
		w.WriteHeader(http.StatusNotFound)
		return nil
	}
	if err != nil {
		return err
	}
	w.Header().Set("Content-Length", strconv.FormatInt(n, 10))
	w.Header().Set("Content-Type", "application/octet-stream")
	w.WriteHeader(http.StatusOK)
	return nil
}

func (s *Server) getBlob(w http.ResponseWriter, r *http.Request, _ *store.Session) error {
	h, err := blobHash(r)
	if err != nil {
		return err
	}
	b, err := s.store.Blob(r.Context(), h)
	if errors.Is(err, domain.ErrNotFound) {
		return errorf(http.StatusNotFound, api.CodeNotFound, "no attachment with this SHA-256; upload it with PUT first")
	}
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	w.Write(b)
	return nil
}

// putBlob stores an attachment: 201 when new, 200 when it was there (a
// re-upload changes nothing), 422 when the body's hash is another, 413 over
// store.MaxBlob.
func (s *Server) putBlob(w http.ResponseWriter, r *http.Request, _ *store.Session) error {
	h, err := blobHash(r)
	if err != nil {
		return err
	}
	if r.ContentLength > store.MaxBlob {
		return errorf(http.StatusRequestEntityTooLarge, api.CodeTooLarge, "an attachment may be at most %d MiB; scan it at a lower resolution", store.MaxBlob>>20)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, store.MaxBlob))
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return errorf(http.StatusRequestEntityTooLarge, api.CodeTooLarge, "an attachment may be at most %d MiB; scan it at a lower resolution", store.MaxBlob>>20)
		}
		return errorf(http.StatusBadRequest, api.CodeBadRequest, "the body could not be read: %v", err)
	}
	sum := sha256.Sum256(body)
	if got := hex.EncodeToString(sum[:]); got != h {
		return errorf(http.StatusUnprocessableEntity, api.CodeInvalid, "the body's SHA-256 is %s, not the one in the path; nothing was stored", got)
	}
	created, err := s.store.PutBlob(r.Context(), h, body)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	writeJSON(w, status, map[string]any{"sha256": h, "size": len(body), "created": created})
	return nil
}
