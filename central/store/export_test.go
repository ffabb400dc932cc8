package store

import (
	"context"
	"database/sql"
	"testing"

	"github.com/okno-mfc/okno/internal/migrate"
)

// What the upgrade tests (package store_test) need of the package.

// Migrations are the central's migrations, in version order.
func Migrations(t testing.TB) []migrate.Migration {
	t.Helper()
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// RawDB opens the database dsn without migrating it, and returns the
// function that rebinds a query's ? placeholders for its engine. Closed
// when the test ends.
func RawDB(t testing.TB, dsn string) (*sql.DB, func(string) string) {
	t.Helper()
	d, driver, name := sqliteDialect, "sqlite", "file:"+dsn+"?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)"
	if IsPostgres(dsn) {
		d, driver, name = postgresDialect, "pgx", dsn
	}
	db, err := sql.Open(driver, name)
	if err != nil {
		t.Fatal(err)
	}
	if d == sqliteDialect {
		db.SetMaxOpenConns(1)
	}
	t.Cleanup(func() { db.Close() })
	return db, d.q
}

// BuildLegacy gives the empty database dsn the schema of the first k
// migrations, recorded the way okno did before internal/migrate: a table
// schema_migrations (version, name, applied_at).
func BuildLegacy(t testing.TB, dsn string, k int) {
	t.Helper()
	d := sqliteDialect
	if IsPostgres(dsn) {
		d = postgresDialect
	}
	db, q := RawDB(t, dsn)
	if _, err := db.Exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for _, m := range Migrations(t)[:k] {
		if _, err := db.Exec(d.migration(m.SQL)); err != nil {
			t.Fatalf("%s: %v", m.Name, err)
		}
		if _, err := db.Exec(q(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`), m.Version, m.Name, int64(1700000000e9)); err != nil {
			t.Fatal(err)
		}
	}
}

// RoundTrips is how many statements, or queues of them, write
// transactions have sent one at a time so far (pipe.go).
func (s *Store) RoundTrips() int64 { return s.trips.Load() }

// QueueTx runs fn in a write transaction whose writes wait in the queue,
// as Decide's do (pipe.go), with the transaction's exec and scan.
func (s *Store) QueueTx(ctx context.Context, fn func(exec func(q string, args ...any) error, scan func(q string, args []any, dest ...any) (bool, error)) error) error {
	return s.WithTx(ctx, func(t *Tx) error {
		t.deferring = true
		return fn(t.exec, t.scan)
	})
}
