package figures

import (
	"testing"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
)

// day is 12 March 2025 in UTC; now is 12:00 that day.
var (
	day = time.Date(2025, 3, 12, 0, 0, 0, 0, time.UTC)
	now = day.Add(12 * time.Hour)
)

func at(h, m int) int64 {
	return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute).UnixNano()
}

// tickets of the day: served after a 10-minute wait and a 5-minute
// service, a no-show, one waiting for 30 minutes (over the 15-minute norm),
// and one of the day before, closed then.
var dayTickets = []Ticket{
	{ID: "t1", Service: "advertising_permit", State: "served", Window: 3, Issued: at(9, 0), Called: at(9, 10), Closed: at(9, 15)},
	{ID: "t2", Service: "advertising_permit", State: "no_show", Window: 3, Issued: at(10, 0), Called: at(10, 2), Closed: at(10, 5)},
	{ID: "t3", Service: "foreign_passport", State: "waiting", Issued: at(11, 30)},
	{ID: "t0", Service: "foreign_passport", State: "served", Window: 4, Issued: at(-2, 0), Called: at(-1, 0), Closed: at(-1, 10)},
}

func TestToday(t *testing.T) {
	f, served := Today(dayTickets, day.UnixNano(), now, nil)
	want := api.DayFigures{Visitors: 3, Served: 1, NoShows: 1, ArrivalsLastHr: 1,
		AvgWaitSec: (600 + 120 + 1800) / 3.0, MaxWaitSec: 1800, WithinNormPct: 100 * 2 / 3.0, AvgServiceSec: 300}
	if f != want {
		t.Errorf("figures:\n got %+v\nwant %+v", f, want)
	}
	if len(served) != 1 || served[3] != 1 {
		t.Errorf("served per window: %v", served)
	}
}

// TestReportToday: the report of a period ending today counts today as the
// live queue does, and the day before apart.
func TestReportToday(t *testing.T) {
	p := NewPeriod(day.AddDate(0, 0, -1), day, now, time.UTC)
	if !p.WithNow || p.Start != day.AddDate(0, 0, -1) || p.End != day.AddDate(0, 0, 1) {
		t.Fatalf("period: %+v", p)
	}
	rep := Report("IRK", p, now, dayTickets, map[string]string{"t1": "anna", "t0": "boris"}, domain.DefaultCatalog())
	if rep.From != "2025-03-11" || rep.To != "2025-03-12" || len(rep.Days) != 2 {
		t.Fatalf("report: %+v", rep)
	}
	today, _ := Today(dayTickets, day.UnixNano(), now, domain.DefaultCatalog())
	if rep.Days[1].DayFigures != today {
		t.Errorf("today in the report %+v, the live queue's %+v", rep.Days[1].DayFigures, today)
	}
	prev := rep.Days[0]
	if prev.Visitors != 1 || prev.Served != 1 || len(prev.Operators) != 1 || prev.Operators[0].Operator != "boris" ||
		prev.Operators[0].Windows[0] != 4 || prev.AvgServiceSec != 600 {
		t.Errorf("the day before: %+v", prev)
	}
	if rep.Total.Visitors != 4 || rep.Total.Served != 2 || rep.Total.NoShows != 1 || len(rep.Total.Services) != 2 {
		t.Errorf("total: %+v", rep.Total)
	}
}

// TestReportPast: a period without today leaves waiting tickets out.
func TestReportPast(t *testing.T) {
	p := NewPeriod(day.AddDate(0, 0, -1), day.AddDate(0, 0, -1), now, time.UTC)
	if p.WithNow {
		t.Fatal("yesterday's period holds now")
	}
	rep := Report("IRK", p, now, dayTickets, nil, nil)
	if len(rep.Days) != 1 || rep.Total.Visitors != 1 || rep.Total.MaxWaitSec != 3600 || rep.Total.WithinNormPct != 0 {
		t.Errorf("report: %+v", rep.Total)
	}
}
