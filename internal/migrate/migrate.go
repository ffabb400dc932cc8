// Package migrate is the one migrator of okno's databases: the
// workstation's SQLite file (localdb) and the central's SQLite file or
// PostgreSQL database (central/store).
//
// A migration is a file NNN_name.sql; NNN is its version. Each is applied
// in its own transaction, together with its row in schema_versions: the
// version, the file's name and the SHA-256 of the file (as embedded, before
// any per-engine rendering), and when. Opening a database:
//
//   - whose recorded versions go past the newest this binary knows stops
//     with a *NewerError ("this database was written by a newer okno …:
//     upgrade okno"), before anything is written;
//   - that recorded a version with another checksum (or a version this
//     binary does not have) stops with a *MismatchError;
//   - that lacks a version below its newest recorded one stops too (its
//     history is not this binary's);
//   - otherwise gets the versions it lacks, in order.
//
// Databases written before this migrator kept a table schema_migrations
// with the applied files' names (localdb: "migrations/001_init.sql",
// central: "001_init.sql" beside an integer version). On the first open
// by a binary with this migrator, that table is read, its versions are
// recorded in schema_versions with this binary's checksums of the same
// files, and it is dropped, all in one transaction. An older okno opening
// the database afterwards finds no record of its migrations, tries to
// create the first tables again and stops on "already exists": it never
// writes into a schema it does not know.
package migrate

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Table is where the applied versions are recorded.
const Table = "schema_versions"

// LegacyTable is the bookkeeping table of okno before this migrator.
const LegacyTable = "schema_migrations"

// Queries counting the tables of a name (one placeholder), per engine.
const (
	SQLiteHasTable   = `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?`
	PostgresHasTable = `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?`
)

// Migration is one numbered schema change.
type Migration struct {
	Version  int    // the NNN of NNN_name.sql
	Name     string // the file's name, e.g. 001_init.sql
	SQL      string // the file's text
	Checksum string // hex SHA-256 of the file
}

// Load reads the migrations NNN_name.sql of dir in fsys, in version order.
// Every .sql file there must be one; two of one version are an error.
func Load(fsys fs.FS, dir string) ([]Migration, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.sql"))
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, name := range names {
		base := path.Base(name)
		v, ok := versionOf(base)
		if !ok {
			return nil, fmt.Errorf("migration %s: the name must be NNN_name.sql (a version number, an underscore, a name)", base)
		}
		text, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: v, Name: base, SQL: string(text), Checksum: Checksum(text)})
	}
	slices.SortFunc(out, func(a, b Migration) int { return a.Version - b.Version })
	for i := 1; i < len(out); i++ {
		if out[i].Version == out[i-1].Version {
			return nil, fmt.Errorf("migrations %s and %s have the same version %d: renumber one", out[i-1].Name, out[i].Name, out[i].Version)
		}
	}
	return out, nil
}

// Checksum is the hex SHA-256 of a migration file.
func Checksum(text []byte) string {
	sum := sha256.Sum256(text)
	return hex.EncodeToString(sum[:])
}

// versionOf reads the version of a file name NNN_name.sql.
func versionOf(name string) (int, bool) {
	num, rest, ok := strings.Cut(name, "_")
	if !ok || num == "" || len(rest) <= len(".sql") || !strings.HasSuffix(rest, ".sql") {
		return 0, false
	}
	v, err := strconv.Atoi(num)
	if err != nil || v < 1 || strconv.Itoa(v) != strings.TrimLeft(num, "0") {
		return 0, false
	}
	return v, true
}

// Dialect is what the migrator needs to know of the engine.
type Dialect struct {
	Name     string              // "sqlite" or "postgres", for messages
	Rebind   func(string) string // ? placeholders to the engine's; nil keeps ?
	Render   func(string) string // a migration's text for the engine; nil runs it as written
	HasTable string              // counts the tables named ? (SQLiteHasTable, PostgresHasTable)
	Lock     string              // run first in each of the migrator's transactions (PostgreSQL: an advisory lock); "" none
}

// NewerError says the database was written by a newer okno.
type NewerError struct {
	Have int // the newest version the database records
	Know int // the newest version this binary has
}

func (e *NewerError) Error() string {
	return fmt.Sprintf("this database was written by a newer okno (schema %d, this okno knows %d): upgrade okno", e.Have, e.Know)
}

// MismatchError says the database records a version that is not this
// binary's file of that version.
type MismatchError struct {
	Version  int
	Name     string // as the database records it
	Checksum string // as the database records it
	Known    *Migration
}

func (e *MismatchError) Error() string {
	switch {
	case e.Known == nil:
		return fmt.Sprintf("this database records schema %d (%s), which this okno does not have: it was written by another build of okno; open it with that build", e.Version, e.Name)
	case e.Checksum == "":
		return fmt.Sprintf("this database records schema %d as %s, but this okno's schema %d is %s: it was written by another build of okno; open it with that build",
			e.Version, e.Name, e.Version, e.Known.Name)
	}
	return fmt.Sprintf("this database records schema %d as %s with checksum %.12s…, but this okno's %s has checksum %.12s…: it was written by another build of okno; open it with that build, or restore it from a backup",
		e.Version, e.Name, e.Checksum, e.Known.Name, e.Known.Checksum)
}

// Migrator brings a database to the newest of its migrations.
type Migrator struct {
	DB         *sql.DB
	Dialect    Dialect
	Migrations []Migration // in version order (Load)
	// Legacy is the table of the bookkeeping before this migrator (a
	// "name" column of applied file names), converted on first open; ""
	// for none.
	Legacy string
	Now    func() time.Time // default time.Now
}

// record is a row of schema_versions.
type record struct {
	version  int
	name     string
	checksum string
}

// Up applies the migrations the database lacks, each in a transaction,
// after converting a legacy bookkeeping table and checking that the
// recorded versions are this binary's. It returns the version the database
// is at.
func (m *Migrator) Up(ctx context.Context) (int, error) {
	if m.Now == nil {
		m.Now = time.Now
	}
	var done map[int]record
	err := m.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if done, err = m.prepare(ctx, tx); err != nil {
			return err
		}
		return m.check(done)
	})
	if err != nil {
		return 0, err
	}
	for i := range m.Migrations {
		mg := &m.Migrations[i]
		if _, ok := done[mg.Version]; ok {
			continue
		}
		err := m.tx(ctx, func(tx *sql.Tx) error {
			// Another process sharing the database may have got here first.
			if done, err := m.recorded(ctx, tx); err != nil {
				return err
			} else if _, ok := done[mg.Version]; ok {
				return nil
			} else if err := m.check(done); err != nil {
				return err
			}
			text := mg.SQL
			if m.Dialect.Render != nil {
				text = m.Dialect.Render(text)
			}
			if _, err := tx.ExecContext(ctx, text); err != nil {
				return err
			}
			return m.insert(ctx, tx, mg, m.Now())
		})
		if err != nil {
			return 0, fmt.Errorf("migration %s: %w", mg.Name, err)
		}
	}
	return m.newest(), nil
}

func (m *Migrator) newest() int {
	if len(m.Migrations) == 0 {
		return 0
	}
	return m.Migrations[len(m.Migrations)-1].Version
}

func (m *Migrator) q(query string) string {
	if m.Dialect.Rebind != nil {
		return m.Dialect.Rebind(query)
	}
	return query
}

// tx runs fn in a transaction holding the dialect's lock.
func (m *Migrator) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := m.DB.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if m.Dialect.Lock != "" {
		if _, err := tx.ExecContext(ctx, m.Dialect.Lock); err != nil {
			tx.Rollback()
			return fmt.Errorf("take the migration lock: %w", err)
		}
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
