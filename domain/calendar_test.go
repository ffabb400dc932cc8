package domain

import (
	"errors"
	"testing"
	"time"
)

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestAddWorkingDays(t *testing.T) {
	t.Parallel()
	c := DefaultCalendar()
	for _, tc := range []struct {
		start string
		n     int
		want  string
	}{
		{"2026-11-03", 0, "2026-11-03"},
		{"2026-11-07", 0, "2026-11-07"}, // n = 0 is start, even on a day off
		{"2026-11-02", 1, "2026-11-03"},
		{"2026-11-03", 1, "2026-11-05"}, // Nov 4 is a holiday
		{"2026-11-06", 1, "2026-11-09"}, // over the weekend
		{"2026-11-03", 5, "2026-11-11"}, // holiday and weekend
		{"2026-04-30", 1, "2026-05-04"}, // May 1 and the weekend
		{"2026-05-08", 1, "2026-05-12"}, // May 9 (Sat) moved to May 11
		{"2025-12-30", 1, "2026-01-12"}, // Dec 31 and Jan 1–11
		{"2025-10-31", 1, "2025-11-01"}, // a Saturday made a working day
		{"2025-10-31", 2, "2025-11-05"}, // then Nov 3 and 4 off
		{"2026-11-05", -1, "2026-11-03"},
		{"2026-11-09", -1, "2026-11-06"},
		{"2026-12-01", 20, "2026-12-29"},
	} {
		if got := c.AddWorkingDays(day(tc.start), tc.n); got.Format(time.DateOnly) != tc.want {
			t.Errorf("AddWorkingDays(%s, %d) = %s, want %s", tc.start, tc.n, got.Format(time.DateOnly), tc.want)
		}
	}
	// The time of day and location are kept.
	irk := time.FixedZone("IRKT", 8*3600)
	got := c.AddWorkingDays(time.Date(2026, 11, 6, 17, 45, 0, 0, irk), 1)
	if want := time.Date(2026, 11, 9, 17, 45, 0, 0, irk); !got.Equal(want) || got.Location() != irk {
		t.Errorf("AddWorkingDays kept %v, want %v", got, want)
	}
}

func TestIsWorkingDayLocalDate(t *testing.T) {
	t.Parallel()
	c := DefaultCalendar()
	msk := time.FixedZone("MSK", 3*3600)
	sat := time.Date(2026, 11, 7, 1, 0, 0, 0, msk) // Friday in UTC
	if c.IsWorkingDay(sat) {
		t.Error("Saturday 01:00 MSK counted as working (read in UTC?)")
	}
	var none *Calendar
	if !none.IsWorkingDay(day("2026-11-04")) || none.IsWorkingDay(day("2026-11-07")) {
		t.Error("a nil calendar should know weekends only")
	}
}

func TestDefaultCalendarWorkingDays(t *testing.T) {
	t.Parallel()
	c := DefaultCalendar()
	for year, want := range map[int]int{2025: 247, 2026: 247} {
		n := 0
		for d := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() == year; d = d.AddDate(0, 0, 1) {
			if c.IsWorkingDay(d) {
				n++
			}
		}
		if n != want {
			t.Errorf("%d has %d working days, want %d", year, n, want)
		}
	}
	c.Holidays["2026-11-05"] = true
	if !DefaultCalendar().IsWorkingDay(day("2026-11-05")) {
		t.Error("DefaultCalendar shares its maps between calls")
	}
}

func TestNextWorkingDayAndCalendarDays(t *testing.T) {
	t.Parallel()
	c := DefaultCalendar()
	for start, want := range map[string]string{
		"2026-11-03": "2026-11-03",
		"2026-11-04": "2026-11-05",
		"2026-11-07": "2026-11-09",
		"2026-12-31": "2027-01-11",
	} {
		if got := c.NextWorkingDay(day(start)); got.Format(time.DateOnly) != want {
			t.Errorf("NextWorkingDay(%s) = %s, want %s", start, got.Format(time.DateOnly), want)
		}
	}
	if got := AddCalendarDays(day("2026-01-31"), 45); got.Format(time.DateOnly) != "2026-03-17" {
		t.Errorf("AddCalendarDays = %s", got.Format(time.DateOnly))
	}
	if got := AddCalendarDays(day("2026-03-01"), -1); got.Format(time.DateOnly) != "2026-02-28" {
		t.Errorf("AddCalendarDays back = %s", got.Format(time.DateOnly))
	}
}

func TestNewCalendar(t *testing.T) {
	t.Parallel()
	c, err := NewCalendar([]string{"2030-01-07"}, []string{"2030-01-05"})
	if err != nil {
		t.Fatal(err)
	}
	if c.IsWorkingDay(day("2030-01-07")) || !c.IsWorkingDay(day("2030-01-05")) {
		t.Error("holiday or moved working day not honoured")
	}
	for _, tc := range []struct {
		h, w  []string
		field string
	}{
		{[]string{"2030-13-01"}, nil, "holidays[0]"},
		{nil, []string{"2030-01-05", "5.1.2030"}, "workdays[1]"},
		{[]string{"2030-01-05"}, []string{"2030-01-05"}, "workdays"},
	} {
		_, err := NewCalendar(tc.h, tc.w)
		var ie *InvalidError
		if !errors.As(err, &ie) || ie.Field != tc.field {
			t.Errorf("NewCalendar(%v, %v) = %v, want an error on %s", tc.h, tc.w, err, tc.field)
		}
	}
}
