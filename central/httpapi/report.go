package httpapi

import (
	"net/http"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/figures"
	"github.com/okno-mfc/okno/central/store"
)

// The supervisor's reads beside the live queue: a period's day figures
// (GET /v1/offices/{office}/report, `okno report` and the supervisor's
// per-service and per-operator figures of today), what needs attention
// (GET /v1/offices/{office}/attention) and the offices a caller may watch
// (GET /v1/offices). Routes (supervisor, admin):
//
//	{"GET /v1/offices", rolesWatch, s.offices},
//	{"GET /v1/offices/{office}/report", rolesWatch, s.report},
//	{"GET /v1/offices/{office}/attention", rolesWatch, s.attention},

// MaxReportDays is the longest period one report covers.
const MaxReportDays = 366

func (s *Server) report(w http.ResponseWriter, r *http.Request, c *store.Session) error {
	office, err := s.officeOf(r, c)
	if err != nil {
		return err
	}
	v := r.URL.Query()
	for k := range v {
		if k != "from" && k != "to" {
			return errorf(http.StatusBadRequest, api.CodeBadRequest, "unknown parameter %q; use from and to (YYYY-MM-DD)", k)
		}
	}
	loc := s.cfg.Location
	today := figures.StartOfDay(s.store.Now(), loc)
	day := func(name string) (time.Time, error) {
		x := v.Get(name)
		if x == "" {
			return today, nil
		}
		d, err := time.ParseInLocation(time.DateOnly, x, loc)
		if err != nil {
			return d, errorf(http.StatusBadRequest, api.CodeBadRequest, "%s: give a day as YYYY-MM-DD", name)
		}
		return d, nil
	}
	from, err := day("from")
	if err != nil {
		return err
	}
	to, err := day("to")
	if err != nil {
		return err
	}
	switch {
	case to.Before(from):
		return errorf(http.StatusBadRequest, api.CodeBadRequest, "to (%s) is before from (%s)", to.Format(time.DateOnly), from.Format(time.DateOnly))
	case to.Sub(from) > (MaxReportDays-1)*24*time.Hour+time.Hour:
		return errorf(http.StatusBadRequest, api.CodeBadRequest, "a report covers at most %d days; ask for a shorter period", MaxReportDays)
	}
	rep, err := s.store.Report(r.Context(), office, from, to, s.catalog(), loc)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}

func (s *Server) attention(w http.ResponseWriter, r *http.Request, c *store.Session) error {
	office, err := s.officeOf(r, c)
	if err != nil {
		return err
	}
	v := r.URL.Query()
	for k := range v {
		if k != "days" {
			return errorf(http.StatusBadRequest, api.CodeBadRequest, "unknown parameter %q; use days (rejected events of the last days, default 7)", k)
		}
	}
	days, err := intParam(v.Get("days"), 7, 1, 90, "days")
	if err != nil {
		return err
	}
	a, err := s.store.Attention(r.Context(), office, int(days), s.keeping(r.Context(), office), s.cfg.Location)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

func (s *Server) offices(w http.ResponseWriter, r *http.Request, c *store.Session) error {
	list, err := s.store.Offices(r.Context())
	if err != nil {
		return err
	}
	if !c.AllOffices() {
		mine := api.OfficeList{Offices: []api.OfficeInfo{{Code: c.Office}}}
		for _, o := range list.Offices {
			if o.Code == c.Office {
				mine.Offices[0] = o
			}
		}
		list = mine
	}
	writeJSON(w, http.StatusOK, list)
	return nil
}
