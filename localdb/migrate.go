package localdb

import (
	"context"
	"embed"

	"github.com/okno-mfc/okno/internal/migrate"
)

// The schema: migrations/NNN_name.sql, applied by internal/migrate, which
// records each version with its checksum in schema_versions and refuses a
// file written by a newer okno (*migrate.NewerError).

//go:embed migrations/*.sql
var migrations embed.FS

// migrate brings the file to the newest schema this okno knows.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := migrate.Load(migrations, "migrations")
	if err != nil {
		return err
	}
	m := &migrate.Migrator{DB: s.db, Dialect: migrate.Dialect{Name: "sqlite", HasTable: migrate.SQLiteHasTable},
		Migrations: ms, Legacy: migrate.LegacyTable, Now: s.Now}
	_, err = m.Up(ctx)
	return err
}
