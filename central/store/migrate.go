package store

import (
	"context"
	"embed"

	"github.com/okno-mfc/okno/internal/migrate"
)

// The schema: migrations/NNN_name.sql, applied by internal/migrate. A
// file is written once for both engines; {{autopk}} and {{blob}} are
// rendered per dialect (dialect.migration).

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrations are the central's schema changes, in version order.
func migrations() ([]migrate.Migration, error) { return migrate.Load(migrationFiles, "migrations") }

// migrate brings the database to the newest schema this okno knows; a
// database of a newer okno is refused (*migrate.NewerError) untouched.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	m := &migrate.Migrator{DB: s.db, Dialect: s.d.migrator(), Migrations: ms, Legacy: migrate.LegacyTable, Now: s.now}
	_, err = m.Up(ctx)
	return err
}
