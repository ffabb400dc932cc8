package httpapi

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/ingest"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/domain"
)

func (s *Server) pushEvents(w http.ResponseWriter, r *http.Request, c *store.Session) error {
	if c.Window == 0 {
		return errorf(http.StatusForbidden, api.CodeForbidden,
			"events are pushed by a window: sign in at the window you work at (POST /v1/sessions with \"window\": 1–999), then push again; this session is not at a window")
	}
	// The batch's turn among its window's batches is taken before its body
	// is read: a workstation sends its next batch once this one's body was
	// asked for (100 Continue), so the next one's turn comes after it.
	turn := s.ingest.Arrive(c.Office, c.Window)
	defer turn.End()
	req, err := readIngest(w, r, s.cfg.MaxBody)
	if err != nil {
		return err
	}
	results, receipts, err := s.ingest.Ingest(r.Context(), c, s.clientAddr(r), req.Events, turn)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.IngestResponse{Results: results, Receipts: receipts})
	return nil
}

// readIngest reads the body of POST /v1/events.
func readIngest(w http.ResponseWriter, r *http.Request, limit int64) (*api.IngestRequest, error) {
	if err := checkJSONType(r); err != nil {
		return nil, err
	}
	body, err := readBody(w, r, limit)
	if err != nil {
		return nil, err
	}
	return decodeIngest(body)
}

// decodeIngest is readIngest's decoder over bytes (the fuzz target). Bytes
// that are not UTF-8 text do not fail the batch: each event's texts are
// checked on their own (Event.CheckAt), so the other events go through.
func decodeIngest(body []byte) (*api.IngestRequest, error) {
	var req api.IngestRequest
	if err := decodeStrict(body, &req); err != nil {
		return nil, err
	}
	return &req, checkIngest(&req)
}

func checkIngest(req *api.IngestRequest) error {
	if len(req.Events) > ingest.MaxBatch {
		return errorf(http.StatusRequestEntityTooLarge, api.CodeTooLarge, "%d events in one batch; send at most %d at a time", len(req.Events), ingest.MaxBatch)
	}
	return nil
}

func (s *Server) feed(w http.ResponseWriter, r *http.Request, c *store.Session) error {
	q := r.URL.Query()
	after, err := intParam(q.Get("after"), 0, 0, 1<<62, "after")
	if err != nil {
		return err
	}
	limit, err := intParam(q.Get("limit"), store.DefaultFeedLimit, 1, store.MaxFeedLimit, "limit")
	if err != nil {
		return err
	}
	own := 0
	if c.Role == domain.RoleWorkstation {
		own = c.Window // it holds its own events already
	}
	page, err := s.store.FeedFor(r.Context(), c.Office, own, after, int(limit))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

// intParam parses an optional integer query parameter.
func intParam(v string, def, lo, hi int64, name string) (int64, error) {
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < lo || n > hi {
		return 0, errorf(http.StatusBadRequest, api.CodeBadRequest, "%s: must be a whole number from %d to %d", name, lo, hi)
	}
	return n, nil
}

func (s *Server) searchCases(w http.ResponseWriter, r *http.Request, c *store.Session) error {
	v := r.URL.Query()
	for k := range v {
		switch k {
		case "office", "state", "number", "visitor_id", "service", "overdue", "department", "limit":
		default:
			return errorf(http.StatusBadRequest, api.CodeBadRequest, "unknown parameter %q; use office, state, number, visitor_id, service, overdue, department or limit", k)
		}
	}
	q := store.CaseQuery{Office: v.Get("office"), State: domain.CaseState(v.Get("state")), Number: v.Get("number"),
		VisitorID: v.Get("visitor_id"), Service: v.Get("service"), Overdue: v.Get("overdue"), Department: v.Get("department")}
	limit, err := intParam(v.Get("limit"), 100, 1, 500, "limit")
	if err != nil {
		return err
	}
	q.Limit = int(limit)
	if q.State != "" && !q.State.Valid() {
		return errorf(http.StatusBadRequest, api.CodeBadRequest, "state: must be one of %v", domain.CaseStates)
	}
	if q.Overdue != "" {
		if _, err := domain.ParseDate(q.Overdue); err != nil {
			return errorf(http.StatusBadRequest, api.CodeBadRequest, "overdue: give a day as YYYY-MM-DD")
		}
	}
	if !c.AllOffices() {
		if q.Office != "" && q.Office != c.Office {
			return errorf(http.StatusForbidden, api.CodeForbidden, "you see the cases of office %s only", c.Office)
		}
		q.Office = c.Office
	}
	if c.Role == domain.RoleDepartment {
		// A department's inbox: the cases handed off to it, newest first.
		q.HandedOff = true
		if c.Department != domain.AllDepartments {
			if q.Department != "" && q.Department != c.Department {
				return errorf(http.StatusForbidden, api.CodeForbidden, "you see the cases of your department only")
			}
			q.Department = c.Department
		}
	}
	cases, err := s.store.Cases(r.Context(), q)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, api.CaseList{Cases: cases})
	return nil
}

func (s *Server) getCase(w http.ResponseWriter, r *http.Request, c *store.Session) error {
	id := r.PathValue("id")
	notFound := errorf(http.StatusNotFound, api.CodeNotFound, "no case %s that you may see", clip(id, 40))
	if !domain.IsUUID(id) {
		return notFound
	}
	d, err := s.store.Case(r.Context(), id)
	if err != nil {
		return err
	}
	if !c.CanSeeCase(&d.Case) {
		return notFound
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

func (s *Server) setStatus(w http.ResponseWriter, r *http.Request, c *store.Session) error {
	var req api.StatusRequest
	if err := decodeJSON(w, r, &req, smallBody); err != nil {
		return err
	}
	id := r.PathValue("id")
	if !domain.IsUUID(id) {
		return errorf(http.StatusNotFound, api.CodeNotFound, "no case %s", clip(id, 40))
	}
	return s.once(w, r, c, "POST /v1/cases/"+id+"/status", func(t *store.Tx) (int, any, error) {
		resp, err := t.SetStatus(c, id, req, s.calendar(), s.cfg.Location)
		return http.StatusOK, resp, err
	})
}

func (s *Server) extendDeadline(w http.ResponseWriter, r *http.Request, c *store.Session) error {
	var req api.DeadlineRequest
	if err := decodeJSON(w, r, &req, 64<<10); err != nil {
		return err
	}
	id := r.PathValue("id")
	if !domain.IsUUID(id) {
		return errorf(http.StatusNotFound, api.CodeNotFound, "no case %s", clip(id, 40))
	}
	return s.once(w, r, c, "POST /v1/cases/"+id+"/deadline", func(t *store.Tx) (int, any, error) {
		resp, err := t.ExtendDeadline(c, id, req)
		return http.StatusOK, resp, err
	})
}

// calendar is the working-day calendar of the departments' terms: the
// configured built-in one with the catalogue's holidays and working days.
func (s *Server) calendar() *domain.Calendar {
	base := s.baseCal
	cat := s.catalog()
	if cat == nil || len(cat.Holidays)+len(cat.Workdays) == 0 {
		return base
	}
	hol, work := append([]string{}, cat.Holidays...), append([]string{}, cat.Workdays...)
	for d := range base.Holidays {
		hol = append(hol, d)
	}
	for d := range base.Workdays {
		work = append(work, d)
	}
	cal, err := domain.NewCalendar(hol, work)
	if err != nil {
		s.log.Warn("the catalogue's holidays do not fit the calendar; counting on the built-in one", "err", err)
		return base
	}
	return cal
}

// once runs fn in a write transaction and answers what it returns,
// remembering the answer under the caller's Idempotency-Key (if any) in the
// same transaction; a retry with the same key gets the remembered answer.
func (s *Server) once(w http.ResponseWriter, r *http.Request, c *store.Session, route string, fn func(*store.Tx) (int, any, error)) error {
	key := strings.TrimSpace(r.Header.Get("Idempotency-Key"))
	if len(key) > 200 {
		return errorf(http.StatusBadRequest, api.CodeBadRequest, "Idempotency-Key: at most 200 characters (a UUID is enough)")
	}
	a, err := s.store.Once(r.Context(), c.Login, key, route, fn)
	if err != nil {
		return err
	}
	if a.Replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	writeRaw(w, a.Status, a.Body)
	return nil
}
