package figures

import (
	"slices"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
)

// TicketSpan is how long before a period a ticket may have been issued and
// still be called or closed in it (a visitor kept overnight): the store
// reads the tickets issued from Period.Start - TicketSpan.
const TicketSpan = 48 * time.Hour

// Period is the days a report covers: local midnights in its location.
type Period struct {
	Start   time.Time // the first day's midnight
	Last    time.Time // the last day's midnight
	End     time.Time // the midnight after the last day
	WithNow bool      // today is one of the days: waiting tickets count, as of now
}

// NewPeriod is the period of the days from from to to (to included) in
// loc, as of now.
func NewPeriod(from, to, now time.Time, loc *time.Location) Period {
	p := Period{Start: StartOfDay(from, loc), Last: StartOfDay(to, loc)}
	p.End = p.Last.AddDate(0, 0, 1)
	today := StartOfDay(now, loc)
	p.WithNow = !today.Before(p.Start) && today.Before(p.End)
	return p
}

// Report computes the figures of each day of p and of the whole period,
// as of now, from the office's tickets (those issued in the period or
// TicketSpan before it, and, when p holds today, those waiting) and the
// operators who served them (ticket id → login). cat gives the waiting
// norms (nil: 15 minutes for every service).
func Report(office string, p Period, now time.Time, tickets []Ticket, servedBy map[string]string, cat *domain.Catalog) api.OfficeReport {
	rep := api.OfficeReport{Office: office, From: p.Start.Format(time.DateOnly), To: p.Last.Format(time.DateOnly)}
	norm := func(service string) int {
		if cat != nil {
			return cat.WaitNorm(service)
		}
		return defaultNorm
	}

	// Day i is [bounds[i], bounds[i+1]) in Unix ns: local midnights.
	var days []*dayAcc
	var bounds []int64
	for d := p.Start; d.Before(p.End); d = d.AddDate(0, 0, 1) {
		days = append(days, newDayAcc(d.Format(time.DateOnly)))
		bounds = append(bounds, d.UnixNano())
	}
	bounds = append(bounds, p.End.UnixNano())
	total := newDayAcc("")
	dayOf := func(ns int64) *dayAcc {
		if ns < bounds[0] || ns >= bounds[len(bounds)-1] {
			return nil
		}
		i, _ := slices.BinarySearch(bounds, ns+1)
		return days[i-1]
	}
	var todayAcc *dayAcc
	if p.WithNow {
		todayAcc = dayOf(now.UnixNano())
	}
	nowNS := now.UnixNano()
	for _, t := range tickets {
		if a := dayOf(t.Issued); a != nil {
			for _, x := range []*dayAcc{a, total} {
				x.visitor(t.Service)
			}
			if a == todayAcc && nowNS-t.Issued < int64(time.Hour) {
				a.f.ArrivalsLastHr++
			}
		}
		if t.Closed > 0 {
			if a := dayOf(t.Closed); a != nil {
				for _, x := range []*dayAcc{a, total} {
					switch domain.TicketState(t.State) {
					case domain.TicketServed:
						var svc float64
						if t.Called > 0 && t.Closed > t.Called {
							svc = float64(t.Closed-t.Called) / 1e9
						}
						x.served(t.Service, servedBy[t.ID], t.Window, svc)
					case domain.TicketNoShow:
						x.noShow(t.Service)
					default: // not an end the figures count
					}
				}
			}
		}
		var wait float64
		var waitDay *dayAcc
		switch {
		case t.Called > 0 && t.Called >= t.Issued:
			wait, waitDay = float64(t.Called-t.Issued)/1e9, dayOf(t.Called)
		case p.WithNow && domain.TicketState(t.State) == domain.TicketWaiting:
			wait, waitDay = float64(nowNS-t.Issued)/1e9, todayAcc
		}
		if waitDay != nil {
			within := wait <= float64(norm(t.Service))*60
			waitDay.wait(t.Service, wait, within)
			total.wait(t.Service, wait, within)
		}
	}
	for _, a := range days {
		rep.Days = append(rep.Days, a.figures(norm))
	}
	rep.Total = total.figures(norm)
	return rep
}
