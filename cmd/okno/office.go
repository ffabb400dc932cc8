package main

import (
	"context"
	"flag"
	"strings"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/localdb"
)

// officeFlags adds the flags that set the office's settings to fs; what is
// given is kept in the store for the next start (localdb.OfficeSettings).
// Each defaults to its OKNO_* variable or the config file's office section.
func officeFlags(fs *flag.FlagSet, getenv func(string) string) *localdb.OfficeSettings {
	var o localdb.OfficeSettings
	fs.StringVar(&o.Country, "country", getenv("OKNO_COUNTRY"), "the office's country, RU or UA: its public holidays count deadlines (kept for the next start; env OKNO_COUNTRY)")
	fs.StringVar(&o.Calendar, "calendar", getenv("OKNO_CALENDAR"), "the deadline calendar, one of "+strings.Join(domain.CalendarNames(), ", ")+" (default: the country's; kept; env OKNO_CALENDAR)")
	fs.StringVar(&o.ReceiptLang, "receipt-lang", getenv("OKNO_RECEIPT_LANG"), "the language receipts are printed in, ru, uk or en, whatever the screen's (default: the country's; kept; env OKNO_RECEIPT_LANG)")
	fs.StringVar(&o.Name, "office-name", getenv("OKNO_OFFICE_NAME"), "the centre's name as receipts print it (kept; env OKNO_OFFICE_NAME)")
	fs.StringVar(&o.Address, "office-address", getenv("OKNO_OFFICE_ADDRESS"), "the centre's address, for receipts (kept; env OKNO_OFFICE_ADDRESS)")
	fs.StringVar(&o.Phone, "office-phone", getenv("OKNO_OFFICE_PHONE"), "the centre's phone, for receipts (kept; env OKNO_OFFICE_PHONE)")
	fs.StringVar(&o.Hours, "office-hours", getenv("OKNO_OFFICE_HOURS"), "the centre's opening hours, for receipts, e.g. 'пн–пт 8:00–20:00' (kept; env OKNO_OFFICE_HOURS)")
	fs.StringVar(&o.PublicURL, "public-url", getenv("OKNO_PUBLIC_URL"), "the central's public address as visitors reach it, e.g. https://okno.example.ru: receipts print the rating page's link and QR code under it (kept; env OKNO_PUBLIC_URL)")
	return &o
}

// applyOffice keeps the office settings given on the command line.
func applyOffice(ctx context.Context, store *localdb.Store, o *localdb.OfficeSettings) error {
	if *o == (localdb.OfficeSettings{}) {
		return nil
	}
	if err := store.UpdateOfficeSettings(ctx, *o); err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	return nil
}
