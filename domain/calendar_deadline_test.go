package domain

import (
	"errors"
	"testing"
	"time"
)

// TestDeadline: the last day of a term on a day off moves to the next
// working day (Civil Code of the RF, art. 193; of Ukraine, art. 254 p. 5),
// for working-day and calendar-day terms, on the Russian and Ukrainian
// calendars.
func TestDeadline(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		calendar string
		start    string
		n        int
		kind     DeadlineKind
		want     string
	}{
		// Russia: New Year.
		{"ru: 10 working days over New Year", "ru", "2025-12-25", 10, WorkingDays, "2026-01-20"},
		{"ru: 30 calendar days end on Jan 1", "ru", "2025-12-02", 30, CalendarDays, "2026-01-12"},
		{"ru: 1 working day from Dec 30, 2026", "ru", "2026-12-30", 1, WorkingDays, "2027-01-11"},
		{"ru: 30 calendar days end on Jan 8, 2027", "ru", "2026-12-09", 30, CalendarDays, "2027-01-11"},
		// Russia: the May holidays.
		{"ru: 3 working days over May 1", "ru", "2026-04-29", 3, WorkingDays, "2026-05-05"},
		{"ru: 45 calendar days end on Sat May 9", "ru", "2026-03-25", 45, CalendarDays, "2026-05-12"},
		{"ru: 1 working day over May 9 moved to May 11", "ru", "2026-05-08", 1, WorkingDays, "2026-05-12"},
		{"ru: 2027 May 1 (Sat) moved to May 3", "ru", "2027-04-30", 1, WorkingDays, "2027-05-04"},
		// A calendar-day term that ends on a Sunday, and one that does not.
		{"ru: 30 calendar days end on Sunday", "ru", "2026-10-02", 30, CalendarDays, "2026-11-02"},
		{"ru: 45 calendar days end on a Tuesday", "ru", "2026-01-31", 45, CalendarDays, "2026-03-17"},
		{"ru: 2 months of days end on Sat Nov 7", "ru", "2026-09-08", 60, CalendarDays, "2026-11-09"},
		{"ru: a term of 0 days taken on a Sunday", "ru", "2026-11-08", 0, CalendarDays, "2026-11-09"},
		// Ukraine: New Year and Christmas on Dec 25 (Jan 7 is a working day
		// since 2023).
		{"ua: 30 calendar days end on Jan 1, 2027", "ua", "2026-12-02", 30, CalendarDays, "2027-01-04"},
		{"ua: Jan 7 is a working day", "ua", "2027-01-06", 1, WorkingDays, "2027-01-07"},
		{"ua: Christmas on Friday Dec 25, 2026", "ua", "2026-12-24", 1, WorkingDays, "2026-12-28"},
		{"ua: Christmas on Saturday Dec 25, 2027", "ua", "2027-12-24", 1, WorkingDays, "2027-12-28"},
		// Ukraine: May 2027 — May 1 (Sat) and Easter May 2 (Sun) give May 3
		// and 4 off; May 8 (Sat) gives May 10.
		{"ua: 1 working day over May 1–4, 2027", "ua", "2027-04-30", 1, WorkingDays, "2027-05-05"},
		{"ua: 10 calendar days end on May 3, 2027", "ua", "2027-04-23", 10, CalendarDays, "2027-05-05"},
		{"ua: 20 working days over the May days", "ua", "2027-04-26", 20, WorkingDays, "2027-05-27"},
		{"ua: 30 calendar days end on Sunday", "ua", "2026-10-02", 30, CalendarDays, "2026-11-02"},
		{"ua: Trinity 2026 on Sunday May 31", "ua", "2026-05-29", 1, WorkingDays, "2026-06-02"},
		// Martial law: holidays are working days.
		{"ua-martial: May 3, 2027 is worked", "ua-martial", "2027-04-30", 1, WorkingDays, "2027-05-03"},
		{"ua-martial: Jan 1, 2027 is worked", "ua-martial", "2026-12-02", 30, CalendarDays, "2027-01-01"},
	} {
		c, err := BuiltinCalendar(tc.calendar)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Deadline(day(tc.start), tc.n, tc.kind); got.Format(time.DateOnly) != tc.want {
			t.Errorf("%s: Deadline(%s, %d %s) = %s %s, want %s", tc.name, tc.start, tc.n, tc.kind,
				got.Format(time.DateOnly), got.Weekday(), tc.want)
		}
	}
}

func TestBuiltinCalendars(t *testing.T) {
	t.Parallel()
	if got := CalendarNames(); len(got) != 3 || got[0] != "ru" || got[1] != "ua" || got[2] != "ua-martial" {
		t.Errorf("CalendarNames() = %v", got)
	}
	for country, want := range map[string]string{"RU": "ru", "ua": "ua", "KZ": ""} {
		if got := CountryCalendar(country); got != want {
			t.Errorf("CountryCalendar(%s) = %q, want %q", country, got, want)
		}
	}
	var ie *InvalidError
	if _, err := BuiltinCalendar("de"); !errors.As(err, &ie) || ie.Field != "calendar" {
		t.Errorf("an unknown calendar: %v", err)
	}
	// Working days per year, from the holidays and moves listed.
	for _, tc := range []struct {
		calendar string
		year     int
		want     int
	}{
		{"ru", 2025, 247}, {"ru", 2026, 247},
		{"ua", 2026, 250}, {"ua", 2027, 250},
		{"ua-martial", 2026, 261},
	} {
		c, _ := BuiltinCalendar(tc.calendar)
		n := 0
		for d := time.Date(tc.year, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() == tc.year; d = d.AddDate(0, 0, 1) {
			if c.IsWorkingDay(d) {
				n++
			}
		}
		if n != tc.want {
			t.Errorf("%s %d has %d working days, want %d", tc.calendar, tc.year, n, tc.want)
		}
	}
}
