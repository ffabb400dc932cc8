package public

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
)

// The hall board's data: the latest calls "ticket → window", how many wait
// per service group, the office's name, whether it is open. One view per
// office is computed after each change of the office (and at most once a
// second while it is quiet) and shared by every board and phone watching.

// boardCalls is how many calls the board lists; the tracking page looks
// further back (trackCalls).
const (
	boardCalls = 8
	trackCalls = 200
)

type boardView struct {
	Office   string      `json:"office"`
	Name     string      `json:"name"`
	Lang     string      `json:"lang"`
	TimeZone string      `json:"timezone,omitempty"`
	At       time.Time   `json:"at"`
	Open     bool        `json:"open"`
	Calls    []callView  `json:"calls"`
	Groups   []groupView `json:"groups"`
	Waiting  int         `json:"waiting"`

	waiting []api.QueueTicket // in the order they are called
	calls   []callView        // the latest trackCalls
	avgSvc  time.Duration     // today's average service time
	serving int               // windows open now (serving or free)
}

type callView struct {
	Number  string `json:"number"`
	Window  int    `json:"window"`
	Key     string `json:"key"`     // changes with a recall: the board speaks again
	Current bool   `json:"current"` // the visitor is still called there
	Speech  string `json:"speech"`  // what the board says
	at      time.Time
}

type groupView struct {
	Name    string `json:"name"`
	Waiting int    `json:"waiting"`
}

type viewEntry struct {
	mu   sync.Mutex
	gen  uint64
	at   time.Time
	view *boardView
	data []byte // the view's JSON
}

// viewMaxAge bounds how old a shared view may be: the clock and the
// opening hours move without any change of the office.
const viewMaxAge = time.Second

// view is office o's current board view and its JSON.
func (s *Server) view(ctx context.Context, o *domain.Office) (*boardView, []byte, error) {
	gen := s.b.Generation(o.Code)
	s.mu.Lock()
	e := s.views[o.Code]
	if e == nil {
		e = &viewEntry{}
		s.views[o.Code] = e
	}
	s.mu.Unlock()
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.view != nil && e.gen == gen && time.Since(e.at) < viewMaxAge {
		return e.view, e.data, nil
	}
	v, err := s.computeView(ctx, o)
	if err != nil {
		return nil, nil, err
	}
	data, err := json.Marshal(v)
	if err != nil {
		return nil, nil, err
	}
	e.gen, e.at, e.view, e.data = gen, time.Now(), v, data
	return v, data, nil
}

func (s *Server) computeView(ctx context.Context, o *domain.Office) (*boardView, error) {
	snap, err := s.b.Snapshot(ctx, o.Code)
	if err != nil {
		return nil, err
	}
	now := s.b.Now()
	cat := s.b.Catalog()
	lang := o.LangCode()
	v := &boardView{Office: o.Code, Name: o.Name, Lang: lang, TimeZone: o.TimeZone, At: now.UTC(),
		Calls: []callView{}, Groups: []groupView{}, waiting: snap.Waiting, Waiting: len(snap.Waiting),
		avgSvc: time.Duration(snap.Today.AvgServiceSec * float64(time.Second))}
	var holidays, workdays []string
	if cat != nil {
		holidays, workdays = cat.Holidays, cat.Workdays
	}
	v.Open, _ = o.OpenAt(now, holidays, workdays)
	for _, w := range snap.Windows {
		if w.State == "serving" || w.State == "free" {
			v.serving++
		}
	}
	calls, err := s.b.Calls(ctx, o.Code, now.Add(-24*time.Hour), trackCalls)
	if err != nil {
		return nil, err
	}
	for _, c := range calls {
		cv := callView{Number: c.Number, Window: c.Window, Current: c.State == domain.TicketCalled, at: c.CalledAt,
			Speech: spokenCall(lang, c.Number, c.Window)}
		stamp := c.CalledAt
		if cv.Current && c.MovedAt.After(stamp) {
			stamp = c.MovedAt // recalled
		}
		cv.Key = fmt.Sprintf("%s/%d/%d", c.Number, c.Window, stamp.UnixMilli())
		v.calls = append(v.calls, cv)
	}
	v.Calls = v.calls[:min(len(v.calls), boardCalls)]
	counts := map[string]int{}
	var order []string
	for _, t := range snap.Waiting {
		g := groupOf(cat, t.Service, lang)
		if _, ok := counts[g]; !ok {
			order = append(order, g)
		}
		counts[g]++
	}
	slices.Sort(order)
	for _, g := range order {
		v.Groups = append(v.Groups, groupView{Name: g, Waiting: counts[g]})
	}
	return v, nil
}

// groupOf is the service group a service is shown under: its department
// in the catalogue (the service's code when the catalogue does not know it).
func groupOf(cat *domain.Catalog, service, lang string) string {
	if cat != nil {
		if svc, ok := cat.Service(service); ok {
			if svc.Department != "" {
				return svc.Department
			}
			return svc.Name(lang)
		}
	}
	return service
}

// hall serves the board page: the view as of now, then live through
// /hall/{office}/events.
func (s *Server) hall(w http.ResponseWriter, r *http.Request) {
	o := s.office(w, r)
	if o == nil {
		return
	}
	v, _, err := s.view(r.Context(), o)
	if err != nil {
		s.unavailable(w, r, o, err)
		return
	}
	s.render(w, r, http.StatusOK, "hall", o, v)
}

func (s *Server) unavailable(w http.ResponseWriter, r *http.Request, o *domain.Office, err error) {
	if r.Context().Err() == nil {
		s.log.Warn("public page", "path", r.Pattern, "err", err)
	}
	w.Header().Set("Retry-After", "5")
	s.errorPage(w, r, http.StatusServiceUnavailable, o, "error.unavailable", "")
}

// hallEvents streams the board's view as Server-Sent Events: a "board"
// event at once and after every change of the office, and a "ping" event
// every Heartbeat, so a board that hears nothing for twice that knows the
// link is gone.
func (s *Server) hallEvents(w http.ResponseWriter, r *http.Request) {
	o := s.office(w, r)
	if o == nil {
		return
	}
	s.stream(w, r, o, "board", func(_ *boardView, data []byte) ([]byte, error) { return data, nil })
}

// stream runs an event stream of office o: event name with the data the
// view gives, at once and after each change (sent only when it differs).
func (s *Server) stream(w http.ResponseWriter, r *http.Request, o *domain.Office, event string, data func(*boardView, []byte) ([]byte, error)) {
	rc := http.NewResponseController(w)
	changes, cancel := s.b.Subscribe(o.Code)
	defer cancel()
	h := w.Header()
	securityHeaders(h)
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
	if send([]byte("retry: 2000\n\n")) != nil {
		return
	}
	ping := time.NewTicker(s.cfg.Heartbeat)
	defer ping.Stop()
	var last []byte
	var id int64
	for {
		v, raw, err := s.view(r.Context(), o)
		if err == nil {
			var b []byte
			if b, err = data(v, raw); err == nil && !bytes.Equal(b, last) {
				last = b
				id++
				err = send(fmt.Appendf(nil, "id: %d\nevent: %s\ndata: %s\n\n", id, event, b))
			}
		}
		if err != nil {
			if r.Context().Err() == nil {
				s.log.Warn("public stream ends", "office", o.Code, "err", err)
			}
			return
		}
		select {
		case <-time.After(s.cfg.Coalesce):
		case <-r.Context().Done():
			return
		case <-s.b.Done():
			return
		}
	wait:
		for {
			select {
			case <-changes:
				break wait
			case <-ping.C:
				// The view holds the office's open state and the clock's
				// minute: look again now and then, and tell the client
				// the link is alive.
				if err := send([]byte("event: ping\ndata: {}\n\n")); err != nil {
					return
				}
				break wait
			case <-r.Context().Done():
				return
			case <-s.b.Done():
				return
			}
		}
	}
}
