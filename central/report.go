package central

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/okno-mfc/okno/domain"
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

// ticketSpan is how long before the period a ticket may have been issued
// and still be called or closed in it (a visitor kept overnight).
const ticketSpan = 48 * time.Hour

// listLimit bounds each list of an Attention answer.
const listLimit = 100

func (s *Server) report(w http.ResponseWriter, r *http.Request, c *Session) error {
	office, err := officeOf(r, c)
	if err != nil {
		return err
	}
	v := r.URL.Query()
	for k := range v {
		if k != "from" && k != "to" {
			return errorf(http.StatusBadRequest, domain.CodeBadRequest, "unknown parameter %q; use from and to (YYYY-MM-DD)", k)
		}
	}
	loc := s.cfg.Location
	today := startOfDay(s.store.now(), loc)
	day := func(name string) (time.Time, error) {
		x := v.Get(name)
		if x == "" {
			return today, nil
		}
		d, err := time.ParseInLocation(time.DateOnly, x, loc)
		if err != nil {
			return d, errorf(http.StatusBadRequest, domain.CodeBadRequest, "%s: give a day as YYYY-MM-DD", name)
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
		return errorf(http.StatusBadRequest, domain.CodeBadRequest, "to (%s) is before from (%s)", to.Format(time.DateOnly), from.Format(time.DateOnly))
	case to.Sub(from) > (MaxReportDays-1)*24*time.Hour+time.Hour:
		return errorf(http.StatusBadRequest, domain.CodeBadRequest, "a report covers at most %d days; ask for a shorter period", MaxReportDays)
	}
	rep, err := s.store.Report(r.Context(), office, from, to, s.catalog(), loc)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}

func (s *Server) attention(w http.ResponseWriter, r *http.Request, c *Session) error {
	office, err := officeOf(r, c)
	if err != nil {
		return err
	}
	v := r.URL.Query()
	for k := range v {
		if k != "days" {
			return errorf(http.StatusBadRequest, domain.CodeBadRequest, "unknown parameter %q; use days (rejected events of the last days, default 7)", k)
		}
	}
	days, err := intParam(v.Get("days"), 7, 1, 90, "days")
	if err != nil {
		return err
	}
	a, err := s.store.Attention(r.Context(), office, int(days), s.catalog(), s.cfg.Location)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

func (s *Server) offices(w http.ResponseWriter, r *http.Request, c *Session) error {
	list, err := s.store.Offices(r.Context())
	if err != nil {
		return err
	}
	if !c.AllOffices() {
		mine := domain.OfficeList{Offices: []domain.OfficeInfo{{Code: c.Office}}}
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

// Offices lists the offices the central knows (by their workstations,
// windows and queue changes), with their enrolled workstations.
func (s *Store) Offices(ctx context.Context) (domain.OfficeList, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT office, COUNT(*) FROM workstations GROUP BY office
		UNION ALL SELECT office, 0 FROM windows UNION ALL SELECT office, 0 FROM office_marks`)
	if err != nil {
		return domain.OfficeList{}, err
	}
	defer rows.Close()
	n := map[string]int{}
	for rows.Next() {
		var o string
		var k int
		if err := rows.Scan(&o, &k); err != nil {
			return domain.OfficeList{}, err
		}
		n[o] += k
	}
	if err := rows.Err(); err != nil {
		return domain.OfficeList{}, err
	}
	list := domain.OfficeList{Offices: []domain.OfficeInfo{}}
	for o, k := range n {
		if domain.ValidOffice(o) {
			list.Offices = append(list.Offices, domain.OfficeInfo{Code: o, Windows: k})
		}
	}
	slices.SortFunc(list.Offices, func(a, b domain.OfficeInfo) int { return cmp.Compare(a.Code, b.Code) })
	return list, nil
}

// reportTicket is a ticket as the report reads it.
type reportTicket struct {
	id, service, state     string
	win                    int
	issued, called, closed int64
}

// Report computes the figures of each day from from to to (local midnights
// in loc, to included) and of the whole period, from the tickets the
// central projected from the windows' events and the operators named on
// their ticket.served events.
func (s *Store) Report(ctx context.Context, office string, from, to time.Time, cat *domain.Catalog, loc *time.Location) (domain.OfficeReport, error) {
	now := s.now()
	start := startOfDay(from, loc)
	end := startOfDay(to, loc).AddDate(0, 0, 1)
	rep := domain.OfficeReport{Office: office, From: start.Format(time.DateOnly), To: startOfDay(to, loc).Format(time.DateOnly)}
	today := startOfDay(now, loc)
	withNow := !today.Before(start) && today.Before(end)

	tickets, err := s.reportTickets(ctx, office, start.Add(-ticketSpan).UnixNano(), end.UnixNano(), withNow)
	if err != nil {
		return rep, err
	}
	servedBy, err := s.servedBy(ctx, office, start)
	if err != nil {
		return rep, err
	}
	norm := func(service string) int {
		if cat != nil {
			return cat.WaitNorm(service)
		}
		return 15
	}

	// Day i is [bounds[i], bounds[i+1]) in Unix ns: local midnights.
	var days []*dayAcc
	var bounds []int64
	for d := start; d.Before(end); d = d.AddDate(0, 0, 1) {
		days = append(days, newDayAcc(d.Format(time.DateOnly)))
		bounds = append(bounds, d.UnixNano())
	}
	bounds = append(bounds, end.UnixNano())
	total := newDayAcc("")
	dayOf := func(ns int64) *dayAcc {
		if ns < bounds[0] || ns >= bounds[len(bounds)-1] {
			return nil
		}
		i, _ := slices.BinarySearch(bounds, ns+1)
		return days[i-1]
	}
	var todayAcc *dayAcc
	if withNow {
		todayAcc = dayOf(now.UnixNano())
	}
	nowNS := now.UnixNano()
	for _, t := range tickets {
		if a := dayOf(t.issued); a != nil {
			for _, x := range []*dayAcc{a, total} {
				x.visitor(t.service)
			}
			if a == todayAcc && nowNS-t.issued < int64(time.Hour) {
				a.f.ArrivalsLastHr++
			}
		}
		if t.closed > 0 {
			if a := dayOf(t.closed); a != nil {
				for _, x := range []*dayAcc{a, total} {
					switch domain.TicketState(t.state) {
					case domain.TicketServed:
						var svc float64
						if t.called > 0 && t.closed > t.called {
							svc = float64(t.closed-t.called) / 1e9
						}
						x.served(t.service, servedBy[t.id], t.win, svc)
					case domain.TicketNoShow:
						x.noShow(t.service)
					}
				}
			}
		}
		var wait float64
		var waitDay *dayAcc
		switch {
		case t.called > 0 && t.called >= t.issued:
			wait, waitDay = float64(t.called-t.issued)/1e9, dayOf(t.called)
		case withNow && domain.TicketState(t.state) == domain.TicketWaiting:
			wait, waitDay = float64(nowNS-t.issued)/1e9, todayAcc
		}
		if waitDay != nil {
			within := wait <= float64(norm(t.service))*60
			waitDay.wait(t.service, wait, within)
			total.wait(t.service, wait, within)
		}
	}
	for _, a := range days {
		rep.Days = append(rep.Days, a.figures(norm))
	}
	rep.Total = total.figures(norm)
	return rep, nil
}

func (s *Store) reportTickets(ctx context.Context, office string, lo, hi int64, withWaiting bool) ([]reportTicket, error) {
	var out []reportTicket
	seen := map[string]bool{}
	read := func(query string, args ...any) error {
		rows, err := s.rdb.QueryContext(ctx, s.d.q(query), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var t reportTicket
			if err := rows.Scan(&t.id, &t.service, &t.state, &t.win, &t.issued, &t.called, &t.closed); err != nil {
				return err
			}
			if !seen[t.id] {
				seen[t.id] = true
				out = append(out, t)
			}
		}
		return rows.Err()
	}
	const cols = `SELECT id, service, state, win, issued_at, called_at, closed_at FROM tickets`
	if err := read(cols+` WHERE office = ? AND issued_at >= ? AND issued_at < ?`, office, lo, hi); err != nil {
		return nil, err
	}
	if withWaiting {
		if err := read(cols+` WHERE office = ? AND state = 'waiting'`, office); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// servedBy maps the tickets served at office since (about) start to the
// login on their ticket.served event. It reads the events received since a
// day before start: an event cannot reach the central before it happened,
// give or take a workstation's clock.
func (s *Store) servedBy(ctx context.Context, office string, start time.Time) (map[string]string, error) {
	lo, err := s.firstPosSince(ctx, start.Add(-24*time.Hour).UnixNano())
	if err != nil {
		return nil, err
	}
	rows, err := s.rdb.QueryContext(ctx, s.d.q(`SELECT ticket_id, actor FROM events
		WHERE pos >= ? AND office = ? AND kind = ? AND status = 'accepted' ORDER BY pos`), lo, office, string(domain.EvTicketServed))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, actor string
		if err := rows.Scan(&id, &actor); err != nil {
			return nil, err
		}
		out[id] = actor
	}
	return out, rows.Err()
}

// firstPosSince finds (by bisection over the primary key) the first event
// position received at or after ns; positions grow with the time of
// receipt, as one writer assigns both. It returns one past the last
// position when there is none.
func (s *Store) firstPosSince(ctx context.Context, ns int64) (int64, error) {
	var lo, hi sql.NullInt64
	if err := s.rdb.QueryRowContext(ctx, `SELECT MIN(pos), MAX(pos) FROM events`).Scan(&lo, &hi); err != nil {
		return 0, err
	}
	if !lo.Valid {
		return 0, nil
	}
	// Invariant: every position < a was received before ns; b is past the
	// answer or is it.
	a, b := lo.Int64, hi.Int64+1
	for a < b {
		mid := a + (b-a)/2
		var pos, at int64
		err := s.rdb.QueryRowContext(ctx, s.d.q(`SELECT pos, received_at FROM events WHERE pos >= ? ORDER BY pos LIMIT 1`), mid).Scan(&pos, &at)
		if errors.Is(err, sql.ErrNoRows) {
			b = mid
			continue
		}
		if err != nil {
			return 0, err
		}
		if at >= ns {
			b = mid
		} else {
			a = pos + 1
		}
	}
	return a, nil
}
