package localdb

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/okno-mfc/okno/domain"
)

// OfficeSettings are what the workstation knows of its office beyond its
// code: which calendar counts deadlines, the language and the details its
// receipts print. They are kept in the meta table (keys office.*), set once
// with okno tui's flags, until the central hands them out.
type OfficeSettings struct {
	Country     string // RU or UA ("" reads as RU)
	Calendar    string // a built-in calendar (domain.CalendarNames); "" means the country's
	ReceiptLang string // ru, uk or en: the language of receipts, whatever the clerk's screen says; "" means the country's
	Name        string // the centre's name as printed
	Address     string
	Phone       string
	Hours       string // opening hours as printed, e.g. "пн–пт 8:00–20:00, сб 9:00–15:00"
	// PublicURL is the central's public address as visitors reach it
	// (https://okno.example.ru): receipts print the rating page's link
	// and QR code under it; "" prints the rating code alone.
	PublicURL string
}

var officeKeys = []string{"country", "calendar", "receipt_lang", "name", "address", "phone", "hours", "public_url"}

func (o *OfficeSettings) fields() []*string {
	return []*string{&o.Country, &o.Calendar, &o.ReceiptLang, &o.Name, &o.Address, &o.Phone, &o.Hours, &o.PublicURL}
}

// CalendarName is the calendar in force: Calendar, else the country's.
func (o OfficeSettings) CalendarName() string {
	if o.Calendar != "" {
		return o.Calendar
	}
	if c := domain.CountryCalendar(o.Country); c != "" {
		return c
	}
	return "ru"
}

// Lang is the receipts' language: ReceiptLang, else the country's (uk for
// UA, ru otherwise).
func (o OfficeSettings) Lang() string {
	if o.ReceiptLang != "" {
		return o.ReceiptLang
	}
	if strings.EqualFold(o.Country, "UA") {
		return "uk"
	}
	return "ru"
}

// Validate says what is wrong with the settings, as an *domain.InvalidError.
func (o OfficeSettings) Validate() error {
	switch strings.ToUpper(o.Country) {
	case "", "RU", "UA":
	default:
		return &domain.InvalidError{Field: "country", Problem: domain.ProblemUnknown,
			Message: fmt.Sprintf("country %q: use RU or UA", o.Country)}
	}
	if o.Calendar != "" {
		if _, err := domain.BuiltinCalendar(o.Calendar); err != nil {
			return err
		}
	}
	switch o.ReceiptLang {
	case "", "ru", "uk", "en":
	default:
		return &domain.InvalidError{Field: "receipt_lang", Problem: domain.ProblemUnknown,
			Message: fmt.Sprintf("receipt language %q: use ru, uk or en", o.ReceiptLang)}
	}
	if o.PublicURL != "" {
		u, err := url.Parse(o.PublicURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return &domain.InvalidError{Field: "public_url", Problem: domain.ProblemFormat,
				Message: fmt.Sprintf("public URL %q: give the central's address as visitors reach it, e.g. https://okno.example.ru", o.PublicURL)}
		}
	}
	return nil
}

// RateURL is the rating page of a rating code under PublicURL; "" without
// one.
func (o OfficeSettings) RateURL(code string) string {
	if o.PublicURL == "" || code == "" {
		return ""
	}
	return strings.TrimRight(o.PublicURL, "/") + "/rate/" + code
}

// OfficeSettings reads the office's settings.
func (s *Store) OfficeSettings(ctx context.Context) (OfficeSettings, error) {
	return readOffice(ctx, s.rdb)
}

func readOffice(ctx context.Context, q querier) (OfficeSettings, error) {
	var o OfficeSettings
	for i, f := range o.fields() {
		v, err := getMeta(ctx, q, "office."+officeKeys[i])
		if err != nil {
			return o, err
		}
		*f = v
	}
	return o, nil
}

// UpdateOfficeSettings changes the settings given (non-empty fields; the others
// stay) and puts the calendar they name in force. Call it before the
// screens start: the calendar is not swapped under a running reader.
func (s *Store) UpdateOfficeSettings(ctx context.Context, change OfficeSettings) error {
	change.Country = strings.ToUpper(change.Country)
	if err := change.Validate(); err != nil {
		return err
	}
	err := s.WithTx(ctx, func(tx *Tx) error {
		for i, f := range change.fields() {
			if *f == "" {
				continue
			}
			if err := setMeta(ctx, tx, "office."+officeKeys[i], strings.TrimSpace(*f)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.cal = nil
	return s.loadCatalog(ctx)
}
