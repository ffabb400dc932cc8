package domain

import (
	"fmt"
	"time"
)

// Calendar tells working days from days off: Saturdays and Sundays are off,
// except the Workdays; Holidays are off. Keys are dates "YYYY-MM-DD". A time
// counts as its calendar date in its own location. A nil *Calendar knows
// only weekends.
type Calendar struct {
	Holidays map[string]bool
	Workdays map[string]bool // Saturdays and Sundays made working days
}

// NewCalendar builds a calendar from holiday and moved-workday dates
// written YYYY-MM-DD. A date in both lists is refused.
func NewCalendar(holidays, workdays []string) (*Calendar, error) {
	c := &Calendar{Holidays: map[string]bool{}, Workdays: map[string]bool{}}
	for _, l := range []struct {
		field string
		dates []string
		into  map[string]bool
	}{{"holidays", holidays, c.Holidays}, {"workdays", workdays, c.Workdays}} {
		for i, s := range l.dates {
			d, err := ParseDate(s)
			if err != nil {
				return nil, withField(err, fmt.Sprintf("%s[%d]", l.field, i))
			}
			l.into[d.Format(time.DateOnly)] = true
		}
	}
	for d := range c.Workdays {
		if c.Holidays[d] {
			return nil, invalidf("workdays", ProblemConflict, "%s is both a holiday and a working day", d)
		}
	}
	return c, nil
}

func dateKey(d time.Time) string { return d.Format(time.DateOnly) }

// IsWorkingDay reports whether d's calendar date is a working day.
func (c *Calendar) IsWorkingDay(d time.Time) bool {
	if c != nil {
		k := dateKey(d)
		if c.Workdays[k] {
			return true
		}
		if c.Holidays[k] {
			return false
		}
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// AddWorkingDays returns the n-th working day after start (the count starts
// the day after start), at start's time of day; n = 0 gives start itself and
// a negative n counts back. This is how a deadline "within n working days"
// is found.
func (c *Calendar) AddWorkingDays(start time.Time, n int) time.Time {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	d := start
	for n > 0 {
		d = d.AddDate(0, 0, step)
		if c.IsWorkingDay(d) {
			n--
		}
	}
	return d
}

// AddCalendarDays returns start plus n calendar days, at start's time of
// day. It does not move a deadline off a day off: where the law says so
// (Civil Code of the RF, art. 193), follow it with NextWorkingDay.
func AddCalendarDays(start time.Time, n int) time.Time { return start.AddDate(0, 0, n) }

// NextWorkingDay returns d if it is a working day, else the first working
// day after it (the rule for a deadline that ends on a day off). For the
// working day strictly after d, use AddWorkingDays(d, 1).
func (c *Calendar) NextWorkingDay(d time.Time) time.Time {
	for !c.IsWorkingDay(d) {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

// Russian public holidays (Labour Code of the RF, art. 112: Jan 1–8, Feb 23,
// Mar 8, May 1, May 9, Jun 12, Nov 4) with the days off moved for each year.
//
// 2025 follows Government Decree No. 1335 of 04.10.2024: Jan 4 → May 2,
// Jan 5 → Dec 31, Feb 23 → May 8, Mar 8 → Jun 13, and Saturday Nov 1 worked
// for Monday Nov 3 (247 working days). 2026 follows the decree for 2026:
// Jan 3 → Jan 9, Jan 4 → Dec 31; Mar 8 (Sunday) and May 9 (Saturday) move by
// art. 112 to Mar 9 and May 11 (247 working days). 2027 has only the fixed
// holidays and the moves art. 112 makes by itself (May 1 → May 3, May 9 →
// May 10, Jun 12 → Jun 14): the decree that places the weekend days of
// January 2027 was not known when this was written, and a decree may also
// move others. A centre loads the official calendar into its catalogue.
var (
	ruHolidays = []string{
		"2025-01-01", "2025-01-02", "2025-01-03", "2025-01-04", "2025-01-05", "2025-01-06", "2025-01-07", "2025-01-08",
		"2025-02-23", "2025-03-08", "2025-05-01", "2025-05-02", "2025-05-08", "2025-05-09",
		"2025-06-12", "2025-06-13", "2025-11-03", "2025-11-04", "2025-12-31",

		"2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04", "2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08",
		"2026-01-09", "2026-02-23", "2026-03-08", "2026-03-09", "2026-05-01", "2026-05-09", "2026-05-11",
		"2026-06-12", "2026-11-04", "2026-12-31",

		"2027-01-01", "2027-01-02", "2027-01-03", "2027-01-04", "2027-01-05", "2027-01-06", "2027-01-07", "2027-01-08",
		"2027-02-23", "2027-03-08", "2027-05-01", "2027-05-03", "2027-05-09", "2027-05-10",
		"2027-06-12", "2027-06-14", "2027-11-04",
	}
	ruWorkdays = []string{"2025-11-01"}
)

// DefaultCalendar returns the Russian production calendar of 2025–2027 as
// built in (see ruHolidays for what is certain). Each call returns a new
// calendar the caller may change.
func DefaultCalendar() *Calendar {
	c, err := NewCalendar(ruHolidays, ruWorkdays)
	if err != nil {
		panic("domain: built-in calendar: " + err.Error())
	}
	return c
}
