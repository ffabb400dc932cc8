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
func officeFlags(fs *flag.FlagSet) *localdb.OfficeSettings {
	var o localdb.OfficeSettings
	fs.StringVar(&o.Country, "country", "", "the office's country, RU or UA: its public holidays count deadlines (kept for the next start)")
	fs.StringVar(&o.Calendar, "calendar", "", "the deadline calendar, one of "+strings.Join(domain.CalendarNames(), ", ")+" (default: the country's; kept)")
	fs.StringVar(&o.ReceiptLang, "receipt-lang", "", "the language receipts are printed in, ru, uk or en, whatever the screen's (default: the country's; kept)")
	fs.StringVar(&o.Name, "office-name", "", "the centre's name as receipts print it (kept)")
	fs.StringVar(&o.Address, "office-address", "", "the centre's address, for receipts (kept)")
	fs.StringVar(&o.Phone, "office-phone", "", "the centre's phone, for receipts (kept)")
	fs.StringVar(&o.Hours, "office-hours", "", "the centre's opening hours, for receipts, e.g. 'пн–пт 8:00–20:00' (kept)")
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
