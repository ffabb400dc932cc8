package localdb

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/okno-mfc/okno/domain"
)

// loadCatalog puts in force the catalogue the central last published to this
// workstation, if any, else the one given at Open; and the calendar with the
// catalogue's holidays on top of the office's built-in calendar.
func (s *Store) loadCatalog(ctx context.Context) error {
	raw, err := getMeta(ctx, s.db, "catalog")
	if err != nil {
		return err
	}
	return s.useCatalog(ctx, s.db, raw)
}

// useCatalog puts in force a catalogue kept as JSON ("" for the one given
// at Open), with its calendar on the office's (read through q).
func (s *Store) useCatalog(ctx context.Context, q querier, raw string) error {
	if raw != "" {
		var c domain.Catalog
		if err := json.Unmarshal([]byte(raw), &c); err != nil {
			return fmt.Errorf("the stored catalogue is unreadable: %w", err)
		}
		if err := c.Validate(); err != nil {
			return fmt.Errorf("the stored catalogue is invalid: %w", err)
		}
		s.catalog = &c
	}
	if s.cal == nil || raw != "" {
		office, err := readOffice(ctx, q)
		if err != nil {
			return err
		}
		base, err := domain.BuiltinCalendar(office.CalendarName())
		if err != nil {
			return fmt.Errorf("the office's calendar: %w", err)
		}
		cal, err := domain.NewCalendar(append(keys(base.Holidays), s.catalog.Holidays...), append(keys(base.Workdays), s.catalog.Workdays...))
		if err != nil {
			return fmt.Errorf("the catalogue's calendar: %w", err)
		}
		s.cal = cal
	}
	return nil
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// replaceCatalog keeps a catalogue the central published (a feed event).
func (s *Store) replaceCatalog(ctx context.Context, tx *Tx, p *domain.CatalogPayload) error {
	var c domain.Catalog
	if err := json.Unmarshal(p.Catalog, &c); err != nil {
		return fmt.Errorf("catalogue %s: %w", p.Version, err)
	}
	if err := c.Validate(); err != nil {
		return fmt.Errorf("catalogue %s is invalid: %w", p.Version, err)
	}
	return setMeta(ctx, tx, "catalog", string(p.Catalog))
}
