package domain

import (
	"slices"
	"time"
)

// Pre-booking (предварительная запись): an office's schedule as data —
// its opening hours per weekday and its calendar's holidays (Office), the
// length of a slot per service, and how many windows serve each service at
// once (the bookings a slot takes). A booked visitor checks in at the
// kiosk from CheckInBefore before the slot to CheckInAfter after it and is
// called within the pre-booked norm (Norms.PrebookedMinutes, typically 5).

// BookingRules are an office's pre-booking settings; the zero value (or
// nil) takes the defaults.
type BookingRules struct {
	// SlotMinutes is a slot's length per service; absent: DefaultSlotMinutes.
	SlotMinutes map[string]int `json:"slot_minutes,omitempty" yaml:"slot_minutes,omitempty"`
	// Windows is how many windows serve a service at once: the bookings
	// one slot takes; absent: 1.
	Windows map[string]int `json:"windows,omitempty" yaml:"windows,omitempty"`
	// PerContactDay is how many bookings one phone (or e-mail) may hold
	// for one day; 0: DefaultPerContactDay.
	PerContactDay int `json:"per_contact_day,omitempty" yaml:"per_contact_day,omitempty"`
	// DaysAhead is how far ahead slots may be booked; 0: DefaultDaysAhead.
	DaysAhead int `json:"days_ahead,omitempty" yaml:"days_ahead,omitempty"`
}

// Defaults of the booking rules, and the check-in window.
const (
	DefaultSlotMinutes   = 15
	DefaultPerContactDay = 2
	DefaultDaysAhead     = 14
	CheckInBefore        = 15 * time.Minute
	CheckInAfter         = 10 * time.Minute
	// PrebookedRank is the queue rank of a checked-in booking: after every
	// privileged category (ranks 1…), before the ordinary queue, so the
	// next free window calls it (the pre-booked norm).
	PrebookedRank = MaxRank
)

func (b *BookingRules) validate(office string) error {
	if b == nil {
		return nil
	}
	for svc, n := range b.SlotMinutes {
		if n < 5 || n > 240 {
			return invalidf("booking.slot_minutes", ProblemRange, "office %s: the slot of %s: 5 to 240 minutes", office, clipText(svc))
		}
	}
	for svc, n := range b.Windows {
		if n < 0 || n > 999 {
			return invalidf("booking.windows", ProblemRange, "office %s: the windows of %s: 0 (not booked) to 999", office, clipText(svc))
		}
	}
	if b.PerContactDay < 0 || b.DaysAhead < 0 || b.DaysAhead > 366 {
		return invalidf("booking", ProblemRange, "office %s: per_contact_day and days_ahead (at most 366) may not be negative", office)
	}
	return nil
}

// SlotLength is a service's slot length.
func (o *Office) SlotLength(service string) time.Duration {
	if o.Booking != nil && o.Booking.SlotMinutes[service] > 0 {
		return time.Duration(o.Booking.SlotMinutes[service]) * time.Minute
	}
	return DefaultSlotMinutes * time.Minute
}

// SlotCapacity is how many bookings one slot of service takes (the
// windows serving it); 0: the service is not booked at this office.
func (o *Office) SlotCapacity(service string) int {
	if o.Booking != nil {
		if n, ok := o.Booking.Windows[service]; ok {
			return n
		}
	}
	return 1
}

// PerContactDay is the bookings one phone or e-mail may hold for a day.
func (o *Office) PerContactDay() int {
	if o.Booking != nil && o.Booking.PerContactDay > 0 {
		return o.Booking.PerContactDay
	}
	return DefaultPerContactDay
}

// DaysAhead is how many days ahead slots may be booked.
func (o *Office) DaysAhead() int {
	if o.Booking != nil && o.Booking.DaysAhead > 0 {
		return o.Booking.DaysAhead
	}
	return DefaultDaysAhead
}

// HoursOn is the office's opening hours on the day of t (in its zone), in
// minutes since midnight; ok is false when it is closed all day (no hours
// that weekday, or a holiday of its calendar or of extraHolidays, unless
// extraWorkdays or the calendar make it a working day: then its weekday's
// hours, or Monday's).
func (o *Office) HoursOn(t time.Time, extraHolidays, extraWorkdays []string) (from, to int, ok bool) {
	if o.AlwaysOpen {
		return 0, 24 * 60, true
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
		return 0, 0, false
	}
	day := Weekdays[(int(t.Weekday())+6)%7]
	h, found := o.Hours[day]
	if !found && moved {
		h, found = o.Hours["mon"]
	}
	if !found {
		return 0, 0, false
	}
	from, to, err = parseHours(h)
	return from, to, err == nil
}

// SlotsOn lists the starts of the slots of service on day (a date in the
// office's zone): from opening, one slot length apart, each ending by
// closing time. None on a closed day or for a service not booked here.
func (o *Office) SlotsOn(service string, day time.Time, extraHolidays, extraWorkdays []string) []time.Time {
	if o.SlotCapacity(service) <= 0 {
		return nil
	}
	loc, err := o.Location()
	if err != nil {
		loc = time.Local
	}
	y, m, d := day.Date()
	midnight := time.Date(y, m, d, 0, 0, 0, 0, loc)
	from, to, ok := o.HoursOn(midnight.Add(12*time.Hour), extraHolidays, extraWorkdays)
	if !ok {
		return nil
	}
	step := o.SlotLength(service)
	var out []time.Time
	for at := time.Duration(from) * time.Minute; at+step <= time.Duration(to)*time.Minute; at += step {
		out = append(out, time.Date(y, m, d, 0, 0, 0, 0, loc).Add(at))
	}
	return out
}
