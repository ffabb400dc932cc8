package httpapi

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/domain"
)

// The supervisor's hands on the queue (store/supervise.go) and the
// windows' heartbeat.

// windowOf reads the {window} of the path: 1–999.
func windowOf(r *http.Request) (int, error) {
	n, err := strconv.Atoi(r.PathValue("window"))
	if err != nil || n < 1 || n > 999 {
		return 0, errorf(http.StatusBadRequest, api.CodeBadRequest, "window: a whole number from 1 to 999 in the path")
	}
	return n, nil
}

// ticketOf reads the {id} of the path: a ticket's UUID.
func ticketOf(r *http.Request) (string, error) {
	id := r.PathValue("id")
	if id == "" || len(id) > 64 {
		return "", errorf(http.StatusBadRequest, api.CodeBadRequest, "the path must name a ticket by its id (a UUID, as the queue lists it)")
	}
	return id, nil
}

func (s *Server) moveTicket(w http.ResponseWriter, r *http.Request, c *store.Session) error {
	office, err := s.officeOf(r, c)
	if err != nil {
		return err
	}
	id, err := ticketOf(r)
	if err != nil {
		return err
	}
	var req api.MoveTicketRequest
	if err := decodeJSON(w, r, &req, 64<<10); err != nil {
		return err
	}
	route := fmt.Sprintf("POST /v1/offices/%s/tickets/%s/move", office, id)
	return s.once(w, r, c, route, func(t *store.Tx) (int, any, error) {
		resp, err := t.MoveTicket(c, office, id, req)
		return http.StatusOK, resp, err
	})
}

func (s *Server) ticketPriority(w http.ResponseWriter, r *http.Request, c *store.Session) error {
	office, err := s.officeOf(r, c)
	if err != nil {
		return err
	}
	id, err := ticketOf(r)
	if err != nil {
		return err
	}
	var req api.PriorityRequest
	if err := decodeJSON(w, r, &req, 64<<10); err != nil {
		return err
	}
	route := fmt.Sprintf("POST /v1/offices/%s/tickets/%s/priority", office, id)
	return s.once(w, r, c, route, func(t *store.Tx) (int, any, error) {
		resp, err := t.SetPriority(c, office, id, req)
		return http.StatusOK, resp, err
	})
}

func (s *Server) closeWindow(w http.ResponseWriter, r *http.Request, c *store.Session) error {
	office, err := s.officeOf(r, c)
	if err != nil {
		return err
	}
	win, err := windowOf(r)
	if err != nil {
		return err
	}
	var req api.CloseWindowRequest
	if err := decodeJSON(w, r, &req, 64<<10); err != nil {
		return err
	}
	route := fmt.Sprintf("POST /v1/offices/%s/windows/%d/close", office, win)
	return s.once(w, r, c, route, func(t *store.Tx) (int, any, error) {
		resp, err := t.CloseWindow(c, office, win, req)
		return http.StatusOK, resp, err
	})
}

// heartbeat notes that a window is there: its workstation, a clerk signed
// in at it, or an admin. 204.
func (s *Server) heartbeat(w http.ResponseWriter, r *http.Request, c *store.Session) error {
	office, err := s.officeOf(r, c)
	if err != nil {
		return err
	}
	win, err := windowOf(r)
	if err != nil {
		return err
	}
	if c.Role != domain.RoleAdmin && c.Window != win {
		return errorf(http.StatusForbidden, api.CodeForbidden, "this session is of window %d; it speaks for that window only", c.Window)
	}
	if err := s.store.Heartbeat(r.Context(), office, win); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
