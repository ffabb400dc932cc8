package figures

import (
	"cmp"
	"slices"

	"github.com/okno-mfc/okno/api"
)

// dayAcc adds up one day's (or a period's) tickets for a report.
type dayAcc struct {
	date     string
	f        api.DayFigures
	all      figAcc
	services map[string]*figAcc
	ops      map[string]*opAcc
}

// figAcc adds up the figures of the office or of one service.
type figAcc struct {
	visitors, served, noShows int
	waits, services           []float64
	within                    int
}

type opAcc struct {
	windows map[int]bool
	times   []float64
	served  int
}

func newDayAcc(date string) *dayAcc {
	return &dayAcc{date: date, services: map[string]*figAcc{}, ops: map[string]*opAcc{}}
}

func (a *dayAcc) service(code string) *figAcc {
	f := a.services[code]
	if f == nil {
		f = &figAcc{}
		a.services[code] = f
	}
	return f
}

func (a *dayAcc) visitor(service string) {
	a.all.visitors++
	a.service(service).visitors++
}

func (a *dayAcc) noShow(service string) {
	a.all.noShows++
	a.service(service).noShows++
}

// served adds a reception of sec seconds (0: unknown) by operator at win.
func (a *dayAcc) served(service, operator string, win int, sec float64) {
	for _, f := range []*figAcc{&a.all, a.service(service)} {
		f.served++
		if sec > 0 {
			f.services = append(f.services, sec)
		}
	}
	o := a.ops[operator]
	if o == nil {
		o = &opAcc{windows: map[int]bool{}}
		a.ops[operator] = o
	}
	o.served++
	if win > 0 {
		o.windows[win] = true
	}
	if sec > 0 {
		o.times = append(o.times, sec)
	}
}

func (a *dayAcc) wait(service string, sec float64, within bool) {
	for _, f := range []*figAcc{&a.all, a.service(service)} {
		f.waits = append(f.waits, sec)
		if within {
			f.within++
		}
	}
}

// fill sets the figures of f on d.
func (f *figAcc) fill(d *api.DayFigures) {
	d.Visitors, d.Served, d.NoShows = f.visitors, f.served, f.noShows
	if len(f.waits) > 0 {
		d.AvgWaitSec = mean(f.waits)
		d.MaxWaitSec = slices.Max(f.waits)
		d.WithinNormPct = 100 * float64(f.within) / float64(len(f.waits))
	}
	if len(f.services) > 0 {
		d.AvgServiceSec = mean(f.services)
	}
}

func (a *dayAcc) figures(norm func(string) int) api.ReportDay {
	d := api.ReportDay{Date: a.date, DayFigures: a.f, Services: []api.ServiceFigures{}, Operators: []api.OperatorFigures{}}
	a.all.fill(&d.DayFigures)
	for code, f := range a.services {
		var x api.DayFigures
		f.fill(&x)
		d.Services = append(d.Services, api.ServiceFigures{Service: code, Visitors: x.Visitors, Served: x.Served,
			NoShows: x.NoShows, AvgWaitSec: x.AvgWaitSec, MaxWaitSec: x.MaxWaitSec, WithinNormPct: x.WithinNormPct,
			AvgServiceSec: x.AvgServiceSec, WaitNormMin: norm(code)})
	}
	slices.SortFunc(d.Services, func(x, y api.ServiceFigures) int { return cmp.Compare(x.Service, y.Service) })
	for login, o := range a.ops {
		of := api.OperatorFigures{Operator: login, Served: o.served, Windows: []int{}}
		for w := range o.windows {
			of.Windows = append(of.Windows, w)
		}
		slices.Sort(of.Windows)
		if len(o.times) > 0 {
			of.AvgServiceSec = mean(o.times)
		}
		d.Operators = append(d.Operators, of)
	}
	slices.SortFunc(d.Operators, func(x, y api.OperatorFigures) int { return cmp.Compare(x.Operator, y.Operator) })
	return d
}
