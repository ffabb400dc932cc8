package domain

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
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

// Deadline is the last day of a term of n days of the given kind that starts
// on start (the count begins the next day). Working days are counted on the
// calendar; calendar days are added, and a term whose last day is not a
// working day ends on the next working day (Civil Code of the RF, art. 193;
// of Ukraine, art. 254 p. 5).
func (c *Calendar) Deadline(start time.Time, n int, kind DeadlineKind) time.Time {
	if kind == CalendarDays {
		return c.NextWorkingDay(AddCalendarDays(start, n))
	}
	return c.NextWorkingDay(c.AddWorkingDays(start, n))
}

// NextWorkingDay returns d if it is a working day, else the first working
// day after it (the rule for a deadline that ends on a day off). For the
// working day strictly after d, use AddWorkingDays(d, 1).
func (c *Calendar) NextWorkingDay(d time.Time) time.Time {
	for !c.IsWorkingDay(d) {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

// builtinCalendars holds the built-in calendars (calendars.yaml): public
// holidays and moved days off of Russia and Ukraine.
//
//go:embed calendars.yaml
var builtinCalendars []byte

type calendarFile struct {
	Calendars map[string]struct {
		Country  string   `yaml:"country"`
		Holidays []string `yaml:"holidays"`
		Workdays []string `yaml:"workdays"`
	} `yaml:"calendars"`
}

func parseBuiltinCalendars() calendarFile {
	var f calendarFile
	if err := yaml.Unmarshal(builtinCalendars, &f); err != nil {
		panic("domain: built-in calendars: " + err.Error())
	}
	return f
}

// CalendarNames lists the built-in calendars: ru, ua, ua-martial.
func CalendarNames() []string {
	f := parseBuiltinCalendars()
	out := make([]string, 0, len(f.Calendars))
	for n := range f.Calendars {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// CountryCalendar is the name of a country's built-in calendar: RU → ru,
// UA → ua; "" for a country without one.
func CountryCalendar(country string) string {
	switch strings.ToUpper(country) {
	case "RU":
		return "ru"
	case "UA":
		return "ua"
	}
	return ""
}

// BuiltinCalendar returns a built-in calendar by name (CalendarNames), a
// fresh one the caller may change. An unknown name is an *InvalidError.
func BuiltinCalendar(name string) (*Calendar, error) {
	f := parseBuiltinCalendars()
	cf, ok := f.Calendars[strings.ToLower(name)]
	if !ok {
		return nil, invalidf("calendar", ProblemUnknown, "no built-in calendar %q: use one of %s", name, strings.Join(CalendarNames(), ", "))
	}
	c, err := NewCalendar(cf.Holidays, cf.Workdays)
	if err != nil {
		panic("domain: built-in calendar " + name + ": " + err.Error())
	}
	return c, nil
}

// DefaultCalendar returns the Russian calendar of 2025–2027 (BuiltinCalendar
// "ru"; calendars.yaml says what is certain). Each call returns a new
// calendar the caller may change.
func DefaultCalendar() *Calendar {
	c, err := BuiltinCalendar("ru")
	if err != nil {
		panic(err)
	}
	return c
}

// WorkingDaysBetween counts the working days after from up to and including
// to (calendar dates); when to is before from it counts the working days
// after to up to from, negated. It is the "days left" of a deadline seen
// on day from: 0 on the last day itself, negative once it is past.
func (c *Calendar) WorkingDaysBetween(from, to time.Time) int {
	from = time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, time.UTC)
	to = time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, time.UTC)
	sign := 1
	if to.Before(from) {
		from, to, sign = to, from, -1
	}
	n := 0
	for d := from.AddDate(0, 0, 1); !d.After(to); d = d.AddDate(0, 0, 1) {
		if c.IsWorkingDay(d) {
			n++
		}
	}
	return sign * n
}

// ResumeDeadline is a case's deadline after its term was paused from
// paused to resumed (the department waited for documents it asked for):
// the last day moves on by the working days the pause took, the day the
// request was made not counted and the day the documents came counted.
// deadline is YYYY-MM-DD; a pause of no working day leaves it as it is.
func (c *Calendar) ResumeDeadline(deadline string, paused, resumed time.Time) (string, error) {
	d, err := ParseDate(deadline)
	if err != nil {
		return "", withField(err, "deadline")
	}
	n := c.WorkingDaysBetween(paused, resumed)
	if n <= 0 {
		return deadline, nil
	}
	return c.NextWorkingDay(c.AddWorkingDays(d, n)).Format(time.DateOnly), nil
}
