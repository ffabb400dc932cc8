package domain

import (
	"strings"
	"testing"
	"time"
)

func TestOfficeValidate(t *testing.T) {
	good := Office{Code: "IRK", Name: "МФЦ", Lang: "ru", TimeZone: "Asia/Irkutsk", Hours: map[string]string{"mon": "08:00-20:00", "sat": "09:00-15:00"}, DailyLimits: map[string]int{"x": 3}}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, bad := range map[string]func(*Office){
		"code":     func(o *Office) { o.Code = "irk" },
		"name":     func(o *Office) { o.Name = " " },
		"lang":     func(o *Office) { o.Lang = "de" },
		"country":  func(o *Office) { o.Country = "PL" },
		"calendar": func(o *Office) { o.Calendar = "mars" },
		"timezone": func(o *Office) { o.TimeZone = "Mars/Olympus" },
		"weekday":  func(o *Office) { o.Hours = map[string]string{"monday": "08:00-20:00"} },
		"hours":    func(o *Office) { o.Hours = map[string]string{"mon": "8-20"} },
		"order":    func(o *Office) { o.Hours = map[string]string{"mon": "20:00-08:00"} },
		"limit":    func(o *Office) { o.DailyLimits = map[string]int{"x": -1} },
	} {
		o := good
		bad(&o)
		if err := o.Validate(); err == nil {
			t.Errorf("%s: a bad office passed", name)
		}
	}
	if _, err := ParseOffices([]byte("offices:\n  - {code: IRK, name: A}\n  - {code: IRK, name: B}\n")); err == nil || !strings.Contains(err.Error(), "twice") {
		t.Errorf("an office listed twice: %v", err)
	}
	if _, err := ParseOffices([]byte("offices:\n  - {code: IRK, name: A, colour: red}\n")); err == nil {
		t.Error("an unknown field passed")
	}
}

func TestOfficeOpenAt(t *testing.T) {
	msk, _ := time.LoadLocation("Europe/Moscow")
	o := Office{Code: "MSK", Name: "МФЦ", TimeZone: "Europe/Moscow", Hours: map[string]string{
		"mon": "08:00-20:00", "tue": "08:00-20:00", "wed": "08:00-20:00", "thu": "08:00-20:00", "fri": "08:00-20:00", "sat": "09:00-15:00"}}
	at := func(s string) time.Time {
		d, err := time.ParseInLocation("2006-01-02 15:04", s, msk)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	cases := []struct {
		at   string
		open bool
		why  string
	}{
		{"2026-03-10 08:00", true, ""},         // Tuesday, opening
		{"2026-03-10 07:59", false, "closed"},  // before
		{"2026-03-10 20:00", false, "closed"},  // closing time
		{"2026-03-14 10:00", true, ""},         // Saturday hours
		{"2026-03-15 10:00", false, "closed"},  // Sunday: no hours
		{"2026-03-09 10:00", false, "holiday"}, // Mar 8 (Sun) moved to Monday Mar 9
		{"2026-01-07 10:00", false, "holiday"}, // Christmas
		{"2026-06-12 10:00", false, "holiday"}, // Russia Day
	}
	for _, c := range cases {
		open, why := o.OpenAt(at(c.at), nil, nil)
		if open != c.open || why != c.why {
			t.Errorf("%s: open %v (%s), want %v (%s)", c.at, open, why, c.open, c.why)
		}
	}
	// The catalogue's extra holiday closes; a UTC instant counts in the office's zone.
	if open, why := o.OpenAt(at("2026-03-11 10:00"), []string{"2026-03-11"}, nil); open || why != "holiday" {
		t.Errorf("an extra holiday: open %v %s", open, why)
	}
	if open, _ := o.OpenAt(time.Date(2026, 3, 10, 5, 30, 0, 0, time.UTC), nil, nil); !open { // 08:30 in Moscow
		t.Error("05:30 UTC is 08:30 in Moscow: open")
	}
	always := Office{Code: "DEMO", Name: "demo", AlwaysOpen: true}
	if open, _ := always.OpenAt(at("2026-01-01 03:00"), nil, nil); !open {
		t.Error("an office open around the clock is closed on Jan 1 at 3:00")
	}
}
