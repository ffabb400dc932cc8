package public

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/internal/ratingcode"
	"github.com/okno-mfc/okno/receipt"
)

// The ticket kiosk: GET /kiosk/{office} (a touch page), and the JSON it
// uses, open to any client: what can be queued for now, and a ticket.

// ServiceList answers GET /v1/public/offices/{office}/services.
type ServiceList struct {
	Office     string          `json:"office"`
	Name       string          `json:"name"`
	Open       bool            `json:"open"`
	Closed     string          `json:"closed,omitempty"` // why not: "closed" (outside the hours) or "holiday"
	Groups     []ServiceGroup  `json:"groups"`
	Categories []CategoryEntry `json:"categories"`
}

// ServiceGroup is the services of one department.
type ServiceGroup struct {
	Name     string         `json:"name"`
	Services []ServiceEntry `json:"services"`
}

// ServiceEntry is one service at the kiosk.
type ServiceEntry struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Full bool   `json:"full"` // its tickets for today are gone
	Left int    `json:"left,omitempty"`
}

// CategoryEntry is a privileged category: its proof is checked at the window.
type CategoryEntry struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Proof string `json:"proof"`
}

// TicketRequest is the body of POST /v1/public/offices/{office}/tickets.
type TicketRequest struct {
	Service  string `json:"service"`
	Category string `json:"category,omitempty"`
	Printer  string `json:"printer,omitempty"` // the kiosk's name: print on its ESC/POS printer (domain.Office.KioskPrinters)
	// BookingCode checks a booking in instead (service and category are
	// the booking's then).
	BookingCode string `json:"booking_code,omitempty"`
}

// TicketResponse answers it (201).
type TicketResponse struct {
	Number        string    `json:"number"`
	Service       string    `json:"service"`
	ServiceName   string    `json:"service_name"`
	Category      string    `json:"category,omitempty"`
	CategoryName  string    `json:"category_name,omitempty"`
	Proof         string    `json:"proof,omitempty"` // the document to show at the window
	IssuedAt      time.Time `json:"issued_at"`
	Ahead         int       `json:"ahead"`
	ExpectedWaitS int       `json:"expected_wait_s"`
	FollowURL     string    `json:"follow_url"`
	Printed       string    `json:"printed,omitempty"`     // where the central printed it
	PrintError    string    `json:"print_error,omitempty"` // why it could not (the ticket stands)
	Booked        bool      `json:"booked,omitempty"`      // checked in from a booking
	Slot          time.Time `json:"slot,omitzero"`         // the booking's slot
	// RatingCode rates the service once the visitor was served (issue 15
	// §4), printed as K7M2-9QXA-3FHD; RateURL is its page (/rate/{code}).
	RatingCode string `json:"rating_code,omitempty"`
	RateURL    string `json:"rate_url,omitempty"`
}

// services lists what office can queue for now.
func (s *Server) services(w http.ResponseWriter, r *http.Request) {
	o := s.apiOffice(w, r)
	if o == nil {
		return
	}
	list, err := s.serviceList(r, o)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list)
}

func (s *Server) serviceList(r *http.Request, o *domain.Office) (*ServiceList, error) {
	cat := s.b.Catalog()
	if cat == nil {
		return nil, errors.New("no catalogue published")
	}
	lang := o.LangCode()
	now := s.b.Now()
	list := &ServiceList{Office: o.Code, Name: o.Name, Groups: []ServiceGroup{}, Categories: []CategoryEntry{}}
	list.Open, list.Closed = o.OpenAt(now, cat.Holidays, cat.Workdays)
	counts, err := s.b.IssuedToday(r.Context(), o)
	if err != nil {
		return nil, err
	}
	index := map[string]int{}
	for _, svc := range cat.Services {
		g := groupOf(cat, svc.Code, lang)
		i, ok := index[g]
		if !ok {
			i = len(list.Groups)
			index[g] = i
			list.Groups = append(list.Groups, ServiceGroup{Name: g})
		}
		e := ServiceEntry{Code: svc.Code, Name: svc.Name(lang)}
		if limit := o.DailyLimits[svc.Code]; limit > 0 {
			e.Left = max(0, limit-counts[svc.Code])
			e.Full = e.Left == 0
		}
		list.Groups[i].Services = append(list.Groups[i].Services, e)
	}
	for _, c := range cat.Categories {
		list.Categories = append(list.Categories, CategoryEntry{Code: c.Code, Name: c.Name(lang), Proof: c.Proof})
	}
	return list, nil
}

// issue gives a ticket.
func (s *Server) issue(w http.ResponseWriter, r *http.Request) {
	o := s.apiOffice(w, r)
	if o == nil {
		return
	}
	if ok, wait := s.b.AllowTicket(r); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(wait.Seconds()+0.999))))
		apiError(w, http.StatusTooManyRequests, api.CodeRateLimited, "too many tickets from this address; wait and try again")
		return
	}
	var req TicketRequest
	dec := json.NewDecoder(io.LimitReader(r.Body, 4<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		apiError(w, http.StatusBadRequest, api.CodeBadRequest, "the body must be JSON {\"service\": CODE, \"category\": CODE?}: %v", err)
		return
	}
	if dec.More() {
		apiError(w, http.StatusBadRequest, api.CodeBadRequest, "one JSON object, please")
		return
	}
	cat := s.b.Catalog()
	if cat == nil {
		s.apiFail(w, r, errors.New("no catalogue published"))
		return
	}
	if open, why := o.OpenAt(s.b.Now(), cat.Holidays, cat.Workdays); !open {
		msg := "the office is closed now: come back during its hours"
		if why == "holiday" {
			msg = "the office is closed today (a holiday): come back on a working day"
		}
		apiError(w, http.StatusConflict, api.CodeConflict, "%s", msg)
		return
	}
	if req.BookingCode != "" {
		s.checkIn(w, r, o, cat, req.BookingCode, req.Printer)
		return
	}
	t, err := s.b.IssueTicket(r.Context(), o, req.Service, req.Category)
	var full *store.ErrServiceFull
	switch {
	case errors.As(err, &full):
		apiError(w, http.StatusConflict, api.CodeConflict, "%s", err)
		return
	case errors.Is(err, domain.ErrInvalid):
		apiError(w, http.StatusUnprocessableEntity, api.CodeInvalid, "%s", err)
		return
	case err != nil:
		s.apiFail(w, r, err)
		return
	}
	lang := o.LangCode()
	resp := TicketResponse{Number: t.Number, Service: t.Service, Category: t.Category, IssuedAt: t.IssuedAt.UTC(),
		FollowURL: followPath(o.Code, t.Number)}
	if t.RatingCode != "" {
		resp.RatingCode, resp.RateURL = ratingcode.Format(t.RatingCode), "/rate/"+t.RatingCode
	}
	if svc, ok := cat.Service(t.Service); ok {
		resp.ServiceName = svc.Name(lang)
	}
	if c, ok := cat.Category(t.Category); ok {
		resp.CategoryName, resp.Proof = c.Name(lang), c.Proof
	}
	resp.Ahead, resp.ExpectedWaitS = s.estimate(r, o, cat, t.ID)
	if addr := o.KioskPrinters[req.Printer]; req.Printer != "" {
		if addr == "" {
			resp.PrintError = "no printer " + req.Printer + " in the office's profile (kiosk_printers)"
		} else {
			resp.Printed, resp.PrintError = s.print(r, o, resp, addr)
		}
	}
	writeJSON(w, http.StatusCreated, resp)
}

// estimate is how many wait before ticket id and how long that should
// take: today's average service time (the norm's reception time before
// any), shared by the windows open now. It reads the office's shared view
// (computed once per change, whoever asks), so kiosks issuing at once do
// not each compute the queue.
func (s *Server) estimate(r *http.Request, o *domain.Office, cat *domain.Catalog, id string) (ahead, waitS int) {
	v, _, err := s.view(r.Context(), o)
	if err != nil {
		return 0, 0
	}
	for i, t := range v.waiting {
		if t.ID == id {
			ahead = i
			break
		}
	}
	svc := v.avgSvc
	if svc <= 0 {
		svc = time.Duration(max(cat.Norms.ReceptionMinutes, 10)) * time.Minute
	}
	return ahead, int((time.Duration(ahead) * svc / time.Duration(max(v.serving, 1))).Seconds())
}

// followPath is the tracking page of a ticket.
func followPath(office, number string) string {
	return "/hall/" + office + "/t/" + url.PathEscape(number)
}

// apiOffice finds the {office} of an API path; when there is none it
// answered (404 or 503) and returns nil.
func (s *Server) apiOffice(w http.ResponseWriter, r *http.Request) *domain.Office {
	code := r.PathValue("office")
	if !domain.ValidOffice(code) {
		apiError(w, http.StatusNotFound, api.CodeNotFound, "an office code is 2–8 capital Latin letters or digits")
		return nil
	}
	o, err := s.b.Office(r.Context(), code)
	switch {
	case errors.Is(err, domain.ErrNotFound):
		apiError(w, http.StatusNotFound, api.CodeNotFound, "no office %s here", code)
		return nil
	case err != nil:
		s.apiFail(w, r, err)
		return nil
	}
	return o
}

// apiFail answers a failure of the store as 503: try again.
func (s *Server) apiFail(w http.ResponseWriter, r *http.Request, err error) {
	if r.Context().Err() == nil {
		s.log.Warn("public API", "path", r.Pattern, "err", err)
	}
	w.Header().Set("Retry-After", "5")
	apiError(w, http.StatusServiceUnavailable, api.CodeUnavailable, "the service does not answer now; try again in a few seconds")
}

// kiosk serves the touch page.
func (s *Server) kiosk(w http.ResponseWriter, r *http.Request) {
	o := s.office(w, r)
	if o == nil {
		return
	}
	list, err := s.serviceList(r, o)
	if err != nil {
		s.unavailable(w, r, o, err)
		return
	}
	s.render(w, r, http.StatusOK, "kiosk", o, list)
}

// ticketNumber reads the {number} of a tracking path as a ticket number.
func ticketNumber(r *http.Request) (string, bool) {
	n, err := domain.ParseTicketNumber(r.PathValue("number"))
	if err != nil {
		return "", false
	}
	return n.String(), true
}

// trackState is what the tracking page shows of one ticket.
type trackState struct {
	Number string `json:"number"`
	State  string `json:"state"` // waiting, called, done, unknown
	Ahead  int    `json:"ahead"`
	Window int    `json:"window,omitempty"`
	Office string `json:"office"`
}

func (v *boardView) track(number string) trackState {
	st := trackState{Number: number, State: "unknown", Office: v.Office}
	for i := len(v.waiting) - 1; i >= 0; i-- { // the latest ticket of that number
		if v.waiting[i].Number == number {
			ahead := 0
			for _, t := range v.waiting[:i] {
				if t.Window == 0 || t.Window == v.waiting[i].Window {
					ahead++
				}
			}
			st.State, st.Ahead = "waiting", ahead
			return st
		}
	}
	for _, c := range v.calls {
		if c.Number == number {
			if c.Current {
				st.State, st.Window = "called", c.Window
			} else {
				st.State = "done"
			}
			return st
		}
	}
	return st
}

// follow serves a ticket's tracking page.
func (s *Server) follow(w http.ResponseWriter, r *http.Request) {
	o := s.office(w, r)
	if o == nil {
		return
	}
	number, ok := ticketNumber(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound, o, "error.ticket_number", "")
		return
	}
	v, _, err := s.view(r.Context(), o)
	if err != nil {
		s.unavailable(w, r, o, err)
		return
	}
	s.render(w, r, http.StatusOK, "track", o, v.track(number))
}

// followEvents streams a ticket's state.
func (s *Server) followEvents(w http.ResponseWriter, r *http.Request) {
	o := s.office(w, r)
	if o == nil {
		return
	}
	number, ok := ticketNumber(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound, o, "error.ticket_number", "")
		return
	}
	s.stream(w, r, o, "ticket", func(v *boardView, _ []byte) ([]byte, error) { return json.Marshal(v.track(number)) })
}

// followQR is the QR code of a ticket's tracking page (PNG).
func (s *Server) followQR(w http.ResponseWriter, r *http.Request) {
	o := s.office(w, r)
	if o == nil {
		return
	}
	number, ok := ticketNumber(r)
	if !ok {
		s.errorPage(w, r, http.StatusNotFound, o, "error.ticket_number", "")
		return
	}
	png, err := qrcode.Encode(baseURL(r)+followPath(o.Code, number), qrcode.Medium, 256)
	if err != nil {
		s.unavailable(w, r, o, err)
		return
	}
	h := w.Header()
	securityHeaders(h)
	h.Set("Content-Type", "image/png")
	h.Set("Cache-Control", "public, max-age=3600")
	w.Write(png)
}

// baseURL is the scheme and host the visitor reached the page at.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// print sends the ticket to an ESC/POS printer of the hall.
func (s *Server) print(r *http.Request, o *domain.Office, t TicketResponse, addr string) (string, string) {
	loc, err := o.Location()
	if err != nil {
		loc = time.Local
	}
	tk := receipt.QueueTicket{Office: o.Name, Number: t.Number, Service: t.ServiceName, Category: t.CategoryName, Proof: t.Proof,
		IssuedAt: t.IssuedAt.In(loc), Ahead: t.Ahead, Wait: time.Duration(t.ExpectedWaitS) * time.Second, FollowURL: baseURL(r) + t.FollowURL,
		RatingCode: t.RatingCode}
	if t.RateURL != "" {
		tk.RateURL = baseURL(r) + t.RateURL
	}
	data, err := receipt.EscPosTicket(tk, o.LangCode())
	if err == nil {
		var where string
		if where, err = receipt.SendEscPos(r.Context(), strings.TrimPrefix(addr, "escpos:"), data); err == nil {
			return where, ""
		}
	}
	s.log.Warn("kiosk ticket not printed", "office", o.Code, "printer", addr, "err", err)
	return "", err.Error()
}

// checkIn answers a kiosk's ticket request with a booking code: the
// booking's ticket, marked booked (store.Store.CheckIn).
func (s *Server) checkIn(w http.ResponseWriter, r *http.Request, o *domain.Office, cat *domain.Catalog, code, printer string) {
	c := store.NormalizeBookingCode(code)
	if c == "" {
		apiError(w, http.StatusNotFound, api.CodeNotFound, "a booking code is 6 letters and digits, as on your confirmation")
		return
	}
	b, err := s.b.CheckIn(r.Context(), o, c)
	var se *store.StatusError
	switch {
	case errors.As(err, &se) && se.Invalid:
		apiError(w, http.StatusUnprocessableEntity, api.CodeInvalid, "%s", err)
		return
	case errors.As(err, &se):
		apiError(w, http.StatusConflict, api.CodeConflict, "%s", err)
		return
	case errors.Is(err, domain.ErrNotFound):
		apiError(w, http.StatusNotFound, api.CodeNotFound, "%s", err)
		return
	case err != nil:
		s.apiFail(w, r, err)
		return
	}
	resp := TicketResponse{Number: b.Number, Service: b.Service, IssuedAt: s.b.Now().UTC(), Ahead: b.Ahead,
		FollowURL: followPath(o.Code, b.Number), Booked: true, Slot: b.Slot}
	if svc, ok := cat.Service(b.Service); ok {
		resp.ServiceName = svc.Name(o.LangCode())
	}
	if addr := o.KioskPrinters[printer]; printer != "" {
		if addr == "" {
			resp.PrintError = "no printer " + printer + " in the office's profile (kiosk_printers)"
		} else {
			// Printed like a kiosk ticket, marked booked in bold where a
			// privileged category would stand ("По записи на 10:00"),
			// its wait the pre-booked norm.
			p := resp
			loc, err := o.Location()
			if err != nil {
				loc = time.UTC
			}
			p.CategoryName = fmt.Sprintf(text(o.LangCode(), "kiosk.booked"), b.Slot.In(loc).Format("15:04"))
			norm := cat.Norms.PrebookedMinutes
			if norm <= 0 {
				norm = domain.DefaultPrebookedMinutes
			}
			p.ExpectedWaitS = norm * 60
			resp.Printed, resp.PrintError = s.print(r, o, p, addr)
		}
	}
	writeJSON(w, http.StatusCreated, resp)
}
