package public

import (
	"net/http"
	"time"
)

// The citizen's booking page, /book/{office}: a service, a day, a free
// slot, a name and a phone or e-mail; the answer is the code to check in
// with at the kiosk. The page reads and writes through the public API
// (GET /v1/public/offices/{office}/slots, POST /v1/public/bookings), which
// package httpapi serves; it shows no personal data but the visitor's own
// form.

// bookData is what the booking page gets.
type bookData struct {
	Office   string        `json:"office"`
	Services []bookService `json:"services"`
	Today    string        `json:"today"` // YYYY-MM-DD, the office's
	Last     string        `json:"last"`  // the last day that may be booked
}

type bookService struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

func (s *Server) book(w http.ResponseWriter, r *http.Request) {
	o := s.office(w, r)
	if o == nil {
		return
	}
	loc, err := o.Location()
	if err != nil {
		loc = time.Local
	}
	now := s.b.Now().In(loc)
	d := bookData{Office: o.Code, Services: []bookService{}, Today: now.Format(time.DateOnly),
		Last: now.AddDate(0, 0, o.DaysAhead()-1).Format(time.DateOnly)}
	if cat := s.b.Catalog(); cat != nil {
		for _, svc := range cat.Services {
			if o.SlotCapacity(svc.Code) > 0 {
				d.Services = append(d.Services, bookService{Code: svc.Code, Name: svc.Name(o.LangCode())})
			}
		}
	}
	s.render(w, r, http.StatusOK, "book", o, d)
}
