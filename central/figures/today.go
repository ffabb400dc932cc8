package figures

import (
	"slices"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
)

// Ticket is a ticket as the figures read it: its times in Unix
// nanoseconds, 0 for not yet.
type Ticket struct {
	ID      string
	Service string
	State   string
	Window  int
	Issued  int64
	Called  int64
	Closed  int64
}

// StartOfDay is local midnight of the day of now.
func StartOfDay(now time.Time, loc *time.Location) time.Time {
	y, m, d := now.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// defaultNorm is the waiting norm in minutes without a catalogue.
const defaultNorm = 15

// Today computes the figures of the day that began at day (Unix ns) as of
// now, from the office's tickets of the day and those still open, and how
// many tickets each window served. cat gives the waiting norms (nil: 15
// minutes for every service).
func Today(tickets []Ticket, day int64, now time.Time, cat *domain.Catalog) (f api.DayFigures, served map[int]int) {
	served = map[int]int{}
	var waits, services []float64
	within := 0
	for _, t := range tickets {
		if t.Issued >= day {
			f.Visitors++
			if now.UnixNano()-t.Issued < int64(time.Hour) {
				f.ArrivalsLastHr++
			}
		}
		if t.Closed >= day {
			switch domain.TicketState(t.State) {
			case domain.TicketServed:
				f.Served++
				served[t.Window]++
				if t.Called > 0 && t.Closed > t.Called {
					services = append(services, float64(t.Closed-t.Called)/1e9)
				}
			case domain.TicketNoShow:
				f.NoShows++
			default: // not an end the figures count
			}
		}
		var wait float64
		switch {
		case t.Called >= day && t.Called >= t.Issued:
			wait = float64(t.Called-t.Issued) / 1e9
		case domain.TicketState(t.State) == domain.TicketWaiting:
			wait = float64(now.UnixNano()-t.Issued) / 1e9
		default:
			continue
		}
		waits = append(waits, wait)
		norm := float64(defaultNorm)
		if cat != nil {
			norm = float64(cat.WaitNorm(t.Service))
		}
		if wait <= norm*60 {
			within++
		}
	}
	if len(waits) > 0 {
		f.AvgWaitSec = mean(waits)
		f.MaxWaitSec = slices.Max(waits)
		f.WithinNormPct = 100 * float64(within) / float64(len(waits))
	}
	if len(services) > 0 {
		f.AvgServiceSec = mean(services)
	}
	return f, served
}

func mean(xs []float64) float64 {
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	return sum / float64(len(xs))
}
