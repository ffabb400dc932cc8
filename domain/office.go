package domain

import (
	"bytes"

	"fmt"
	"go.yaml.in/yaml/v3"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Office is what the central knows of an office for its public pages: the
// name a visitor reads, the language of the pages and the voice calls, the
// working-day calendar and time zone, the opening hours, and per-service
// daily limits of tickets. It holds no personal data. The central keeps one
// per office (`okno serve --offices FILE`); an office without one has no
// public pages.
type Office struct {
	Code     string `json:"code" yaml:"code"`
	Name     string `json:"name" yaml:"name"`                             // as the hall board shows it
	Country  string `json:"country,omitempty" yaml:"country,omitempty"`   // RU or UA ("" reads as RU)
	Lang     string `json:"lang,omitempty" yaml:"lang,omitempty"`         // ru, uk or en; "" means the country's
	Calendar string `json:"calendar,omitempty" yaml:"calendar,omitempty"` // a built-in calendar (CalendarNames); "" means the country's
	TimeZone string `json:"timezone,omitempty" yaml:"timezone,omitempty"` // IANA name, e.g. Asia/Irkutsk; "" means the server's zone

	// AlwaysOpen: open around the clock, every day (the demo office).
	AlwaysOpen bool `json:"always_open,omitempty" yaml:"always_open,omitempty"`
	// Hours are the opening hours per weekday (mon … sun), "09:00-18:00";
	// a weekday not listed is closed, and so is every holiday of the
	// calendar; a weekend the calendar makes a working day opens with its
	// weekday's hours, or Monday's when that weekday has none.
	Hours map[string]string `json:"hours,omitempty" yaml:"hours,omitempty"`
	// DailyLimits caps the tickets a service may have a day (0 or absent:
	// no cap).
	DailyLimits map[string]int `json:"daily_limits,omitempty" yaml:"daily_limits,omitempty"`
	// Booking is the pre-booking schedule (booking.go); nil takes the
	// defaults.
	Booking *BookingRules `json:"booking,omitempty" yaml:"booking,omitempty"`
	// KioskPrinters are the hall's 80 mm ESC/POS printers the central
	// prints kiosk tickets on, by the kiosk's name (/kiosk/IRK?printer=NAME):
	// a device path of the central's machine (/dev/usb/lp0) or a network
	// printer HOST[:PORT] (port 9100 by default).
	KioskPrinters map[string]string `json:"kiosk_printers,omitempty" yaml:"kiosk_printers,omitempty"`
	// UnclaimedDays is how many days a ready result waits at the office
	// for its visitor before it is on the supervisor's list of unclaimed
	// results (0 or absent: okno serve --unclaimed-days).
	UnclaimedDays int `json:"unclaimed_days,omitempty" yaml:"unclaimed_days,omitempty"`
}

// MaxUnclaimedDays bounds an office's storage period of results, and a
// supervisor's extension of one.
const MaxUnclaimedDays = 3650

// Weekdays are the keys of Office.Hours, Monday first.
var Weekdays = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

var printerName = regexp.MustCompile(`^[a-z0-9-]{1,32}$`)

var hoursRE = regexp.MustCompile(`^([01][0-9]|2[0-3]):([0-5][0-9])-([01][0-9]|2[0-4]):([0-5][0-9])$`)

// Validate says what is wrong with the office, as an *InvalidError.
func (o *Office) Validate() error {
	if !ValidOffice(o.Code) {
		return invalidf("code", ProblemFormat, "office code %q: 2–8 capital Latin letters or digits", clipText(o.Code))
	}
	if strings.TrimSpace(o.Name) == "" {
		return invalidf("name", ProblemEmpty, "office %s: give its name, as the hall board shows it", o.Code)
	}
	if len([]rune(o.Name)) > 200 {
		return invalidf("name", ProblemRange, "office %s: the name is longer than 200 characters", o.Code)
	}
	switch strings.ToUpper(o.Country) {
	case "", "RU", "UA":
	default:
		return invalidf("country", ProblemUnknown, "office %s: country %q: use RU or UA", o.Code, clipText(o.Country))
	}
	switch o.Lang {
	case "", "ru", "uk", "en":
	default:
		return invalidf("lang", ProblemUnknown, "office %s: language %q: use ru, uk or en", o.Code, clipText(o.Lang))
	}
	if o.Calendar != "" {
		if _, err := BuiltinCalendar(o.Calendar); err != nil {
			return err
		}
	}
	if _, err := o.Location(); err != nil {
		return err
	}
	for day, h := range o.Hours {
		if !isWeekday(day) {
			return invalidf("hours", ProblemUnknown, "office %s: %q is not a weekday: use %s", o.Code, clipText(day), strings.Join(Weekdays, ", "))
		}
		if _, _, err := parseHours(h); err != nil {
			return invalidf("hours", ProblemFormat, "office %s, %s: %v", o.Code, day, err)
		}
	}
	for name, addr := range o.KioskPrinters {
		if !printerName.MatchString(name) {
			return invalidf("kiosk_printers", ProblemFormat, "office %s: kiosk name %q: 1–32 lower-case Latin letters, digits or '-'", o.Code, clipText(name))
		}
		if strings.TrimSpace(addr) == "" || strings.ContainsAny(addr, " \t\n") {
			return invalidf("kiosk_printers", ProblemFormat, "office %s: kiosk %s: give a device path (/dev/usb/lp0) or HOST[:PORT]", o.Code, name)
		}
	}
	if o.UnclaimedDays < 0 || o.UnclaimedDays > MaxUnclaimedDays {
		return invalidf("unclaimed_days", ProblemRange, "office %s: unclaimed_days %d: give the days a result waits for its visitor, 1 to %d (0: okno serve's)", o.Code, o.UnclaimedDays, MaxUnclaimedDays)
	}
	for svc, n := range o.DailyLimits {
		if n < 0 {
			return invalidf("daily_limits", ProblemRange, "office %s: the daily limit of %s is negative", o.Code, clipText(svc))
		}
	}
	return o.Booking.validate(o.Code)
}

func clipText(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

func isWeekday(d string) bool {
	for _, w := range Weekdays {
		if w == d {
			return true
		}
	}
	return false
}

// parseHours reads "09:00-18:00" as minutes since midnight.
func parseHours(h string) (from, to int, err error) {
	m := hoursRE.FindStringSubmatch(strings.ReplaceAll(h, " ", ""))
	if m == nil {
		return 0, 0, fmt.Errorf("hours %q: write them as 09:00-18:00", clipText(h))
	}
	num := func(s string) int { n, _ := strconv.Atoi(s); return n }
	from, to = num(m[1])*60+num(m[2]), num(m[3])*60+num(m[4])
	if to > 24*60 || to <= from {
		return 0, 0, fmt.Errorf("hours %q: the closing time must be after the opening time, at most 24:00", clipText(h))
	}
	return from, to, nil
}

// LangCode is the language of the office's pages: Lang, else the
// country's (uk for UA, ru otherwise).
func (o *Office) LangCode() string {
	if o.Lang != "" {
		return o.Lang
	}
	if strings.EqualFold(o.Country, "UA") {
		return "uk"
	}
	return "ru"
}

// CalendarName is the calendar in force: Calendar, else the country's.
func (o *Office) CalendarName() string {
	if o.Calendar != "" {
		return o.Calendar
	}
	if c := CountryCalendar(o.Country); c != "" {
		return c
	}
	return "ru"
}

// Location is the office's time zone (time.Local when none is given).
func (o *Office) Location() (*time.Location, error) {
	if o.TimeZone == "" {
		return time.Local, nil
	}
	loc, err := time.LoadLocation(o.TimeZone)
	if err != nil {
		return nil, invalidf("timezone", ProblemUnknown, "office %s: time zone %q: give an IANA name such as Europe/Moscow", o.Code, clipText(o.TimeZone))
	}
	return loc, nil
}

// OpenAt says whether the office takes visitors at t and, when not, why:
// "holiday" (a holiday of its calendar or of extraHolidays, the
// catalogue's) or "closed" (outside the hours of the day). A weekend day
// the calendar (or extraWorkdays) makes a working day opens with its own
// hours, or Monday's when it has none.
func (o *Office) OpenAt(t time.Time, extraHolidays, extraWorkdays []string) (bool, string) {
	if o.AlwaysOpen {
		return true, ""
	}
	loc, err := o.Location()
	if err != nil {
		loc = time.Local
	}
	t = t.In(loc)
	key := t.Format(time.DateOnly)
	cal, err := BuiltinCalendar(o.CalendarName())
	if err != nil {
		cal = nil
	}
	holiday := slices.Contains(extraHolidays, key) || cal != nil && cal.Holidays[key]
	moved := slices.Contains(extraWorkdays, key) || cal != nil && cal.Workdays[key]
	if holiday && !moved {
		return false, "holiday"
	}
	day := Weekdays[(int(t.Weekday())+6)%7]
	h, ok := o.Hours[day]
	if !ok && moved {
		h, ok = o.Hours["mon"]
	}
	if !ok {
		return false, "closed"
	}
	from, to, err := parseHours(h)
	if err != nil {
		return false, "closed"
	}
	m := t.Hour()*60 + t.Minute()
	if m < from || m >= to {
		return false, "closed"
	}
	return true, ""
}

// officesFile is the shape of `okno serve --offices FILE`.
type officesFile struct {
	Offices []Office `yaml:"offices"`
}

// ParseOffices reads an offices file (YAML or JSON): `offices:` and a list
// of offices, each valid, no code twice.
func ParseOffices(data []byte) ([]Office, error) {
	var f officesFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, invalidf("offices", ProblemFormat, "the offices file: %v", err)
	}
	seen := map[string]bool{}
	for i := range f.Offices {
		o := &f.Offices[i]
		if err := o.Validate(); err != nil {
			return nil, err
		}
		if seen[o.Code] {
			return nil, invalidf("code", ProblemConflict, "office %s is listed twice", o.Code)
		}
		seen[o.Code] = true
	}
	return f.Offices, nil
}
