package httpapi

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/domain"
)

// Pre-booking, the public API (store/bookings.go): no session, limited per
// address like the other public routes.

// publicOffice finds an office's profile by code for a public call.
func (s *Server) publicOffice(r *http.Request, code string) (*domain.Office, error) {
	if !domain.ValidOffice(code) {
		return nil, errorf(http.StatusNotFound, api.CodeNotFound, "no office %q: an office code is 2–8 capital Latin letters or digits", clip(code, 16))
	}
	o, err := s.store.Office(r.Context(), code)
	if errors.Is(err, domain.ErrNotFound) {
		return nil, errorf(http.StatusNotFound, api.CodeNotFound, "no office %s takes bookings here", code)
	}
	return o, err
}

func (s *Server) slots(w http.ResponseWriter, r *http.Request, _ *store.Session) error {
	o, err := s.publicOffice(r, r.PathValue("office"))
	if err != nil {
		return err
	}
	q := r.URL.Query()
	service := strings.TrimSpace(q.Get("service"))
	if service == "" {
		return errorf(http.StatusBadRequest, api.CodeBadRequest, "service: give the service's code (?service=CODE&date=YYYY-MM-DD)")
	}
	loc, err := o.Location()
	if err != nil {
		return err
	}
	day, err := time.ParseInLocation(time.DateOnly, q.Get("date"), loc)
	if err != nil {
		return errorf(http.StatusBadRequest, api.CodeBadRequest, "date: a day as YYYY-MM-DD, e.g. %s", s.store.Now().In(loc).Format(time.DateOnly))
	}
	resp, err := s.store.Slots(r.Context(), o, s.catalog(), service, day)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

func (s *Server) book(w http.ResponseWriter, r *http.Request, _ *store.Session) error {
	var req api.BookingRequest
	if err := decodeJSON(w, r, &req, 16<<10); err != nil {
		return err
	}
	o, err := s.publicOffice(r, req.Office)
	if err != nil {
		return err
	}
	if req.Slot.IsZero() {
		return errorf(http.StatusUnprocessableEntity, api.CodeInvalid, "slot: the start of a free slot, as GET /v1/public/offices/%s/slots lists it", o.Code)
	}
	resp, err := s.store.Book(r.Context(), o, s.catalog(), req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, resp)
	return nil
}

// bookingCode reads the {code} of the path.
func bookingCode(r *http.Request) (string, error) {
	code := store.NormalizeBookingCode(r.PathValue("code"))
	if code == "" {
		return "", errorf(http.StatusNotFound, api.CodeNotFound, "a booking code is 6 letters and digits, as on your confirmation")
	}
	return code, nil
}

func (s *Server) cancelBooking(w http.ResponseWriter, r *http.Request, _ *store.Session) error {
	code, err := bookingCode(r)
	if err != nil {
		return err
	}
	if err := s.store.CancelBooking(r.Context(), code); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) checkIn(w http.ResponseWriter, r *http.Request, _ *store.Session) error {
	code, err := bookingCode(r)
	if err != nil {
		return err
	}
	o, err := s.publicOffice(r, r.PathValue("office"))
	if err != nil {
		return err
	}
	resp, err := s.store.CheckIn(r.Context(), o, s.catalog(), code)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, resp)
	return nil
}
