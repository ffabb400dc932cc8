package migrate

import (
	"context"
	"database/sql"
	"fmt"
	"path"
	"time"
)

// prepare makes the table of applied versions, converts the legacy
// bookkeeping if this is the first open since this migrator (no version
// recorded, a legacy table present), and returns what is recorded. A
// database the migrator cannot judge yet is not written to: the table is
// created only where there is none.
func (m *Migrator) prepare(ctx context.Context, tx *sql.Tx) (map[int]record, error) {
	have, err := m.hasTable(ctx, tx, Table)
	if err != nil {
		return nil, err
	}
	if !have {
		if _, err := tx.ExecContext(ctx, `CREATE TABLE `+Table+` (
			version    INTEGER PRIMARY KEY,
			name       TEXT NOT NULL,
			checksum   TEXT NOT NULL,
			applied_at BIGINT NOT NULL
		)`); err != nil {
			return nil, fmt.Errorf("create %s: %w", Table, err)
		}
	}
	done, err := m.recorded(ctx, tx)
	if err != nil || len(done) > 0 || m.Legacy == "" {
		return done, err
	}
	legacy, err := m.hasTable(ctx, tx, m.Legacy)
	if err != nil || !legacy {
		return done, err
	}
	return m.convert(ctx, tx)
}

func (m *Migrator) hasTable(ctx context.Context, tx *sql.Tx, name string) (bool, error) {
	var n int
	if err := tx.QueryRowContext(ctx, m.q(m.Dialect.HasTable), name).Scan(&n); err != nil {
		return false, fmt.Errorf("look for table %s: %w", name, err)
	}
	return n > 0, nil
}

// recorded reads the applied versions.
func (m *Migrator) recorded(ctx context.Context, tx *sql.Tx) (map[int]record, error) {
	rows, err := tx.QueryContext(ctx, `SELECT version, name, checksum FROM `+Table)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", Table, err)
	}
	defer rows.Close()
	out := map[int]record{}
	for rows.Next() {
		var r record
		if err := rows.Scan(&r.version, &r.name, &r.checksum); err != nil {
			return nil, fmt.Errorf("read %s: %w", Table, err)
		}
		out[r.version] = r
	}
	return out, rows.Err()
}

// convert records the versions the legacy table lists, with this binary's
// checksums of the same files, and drops it. A listed file this binary
// does not have under that name is left for check to judge (newer, or
// another build's), and nothing is written.
func (m *Migrator) convert(ctx context.Context, tx *sql.Tx) (map[int]record, error) {
	rows, err := tx.QueryContext(ctx, `SELECT name FROM `+m.Legacy)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", m.Legacy, err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("read %s: %w", m.Legacy, err)
		}
		names = append(names, name)
	}
	rows.Close() // before the next statement in tx (the defer is for the early return)
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", m.Legacy, err)
	}
	done := map[int]record{}
	for _, name := range names {
		base := path.Base(name)
		v, ok := versionOf(base)
		if !ok {
			return nil, fmt.Errorf("%s lists %q, which is not a migration's name: the database was not written by okno", m.Legacy, name)
		}
		r := record{version: v, name: base}
		if mg := m.find(v); mg != nil && mg.Name == base {
			r.checksum = mg.Checksum
		}
		done[v] = r
	}
	if err := m.check(done); err != nil {
		return nil, err
	}
	now := m.Now()
	for _, r := range done {
		if err := m.insert(ctx, tx, m.find(r.version), now); err != nil {
			return nil, err
		}
	}
	if _, err := tx.ExecContext(ctx, `DROP TABLE `+m.Legacy); err != nil {
		return nil, fmt.Errorf("drop %s: %w", m.Legacy, err)
	}
	return done, nil
}

func (m *Migrator) insert(ctx context.Context, tx *sql.Tx, mg *Migration, at time.Time) error {
	_, err := tx.ExecContext(ctx, m.q(`INSERT INTO `+Table+` (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)`),
		mg.Version, mg.Name, mg.Checksum, at.UnixNano())
	if err != nil {
		return fmt.Errorf("record version %d: %w", mg.Version, err)
	}
	return nil
}

// find is this binary's migration of a version, or nil.
func (m *Migrator) find(v int) *Migration {
	for i := range m.Migrations {
		if m.Migrations[i].Version == v {
			return &m.Migrations[i]
		}
	}
	return nil
}

// check judges the recorded versions against this binary's migrations:
// none newer than it knows, each with this binary's checksum, and no gap
// below the newest recorded.
func (m *Migrator) check(done map[int]record) error {
	top := 0
	for v := range done {
		top = max(top, v)
	}
	if top > m.newest() {
		return &NewerError{Have: top, Know: m.newest()}
	}
	for v := 1; v <= top; v++ {
		r, ok := done[v]
		mg := m.find(v)
		switch {
		case ok && (mg == nil || r.checksum != mg.Checksum):
			return &MismatchError{Version: v, Name: r.name, Checksum: r.checksum, Known: mg}
		case !ok && mg != nil:
			return fmt.Errorf("this database is at schema %d but lacks %s: it was written by another build of okno; open it with that build", top, mg.Name)
		}
	}
	return nil
}
