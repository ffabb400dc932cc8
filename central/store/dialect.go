package store

import (
	"strconv"
	"strings"
	"sync"

	"github.com/okno-mfc/okno/internal/migrate"
)

// dialect is everything that differs between SQLite and PostgreSQL. The SQL
// itself is shared: written with ? placeholders, rebound to $1, $2 … for
// PostgreSQL.
type dialect struct {
	name   string // "sqlite" or "postgres": Store.Kind and the logs
	driver string // database/sql driver name

	// Tokens of the migration files.
	autoPK   string // {{autopk}}: an auto-incremented int64 primary key that never reuses a value
	blob     string // {{blob}}: bytes
	unlogged string // {{unlogged}}: a table without write-ahead log, where the engine has one
	least    string // the two-argument minimum: LEAST (PostgreSQL), min (SQLite)

	// lockMigrations serialises the migrations of processes starting together.
	lockMigrations string

	hasTable string // counts the tables of a name, for the migrator

	dollar bool // rebind ? to $n

	cache sync.Map // query text → rebound text
}

var (
	sqliteDialect = &dialect{
		name: "sqlite", driver: "sqlite",
		autoPK:   "INTEGER PRIMARY KEY AUTOINCREMENT",
		blob:     "BLOB",
		least:    "min",
		hasTable: migrate.SQLiteHasTable,
	}
	postgresDialect = &dialect{
		name: "postgres", driver: "pgx",
		autoPK:         "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
		blob:           "BYTEA",
		unlogged:       "UNLOGGED",
		least:          "LEAST",
		lockMigrations: "SELECT pg_advisory_xact_lock(84200002)",
		hasTable:       migrate.PostgresHasTable,
		dollar:         true,
	}
)

// q returns query in the dialect's placeholder style.
func (d *dialect) q(query string) string {
	if !d.dollar {
		return query
	}
	if v, ok := d.cache.Load(query); ok {
		return v.(string)
	}
	r := rebind(query)
	d.cache.Store(query, r)
	return r
}

// rebind turns ? placeholders into $1, $2 …, leaving quoted text alone.
func rebind(query string) string {
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	var quote byte
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// migration returns a migration file's text for the dialect.
func (d *dialect) migration(text string) string {
	return strings.NewReplacer("{{autopk}}", d.autoPK, "{{blob}}", d.blob, "{{unlogged}}", d.unlogged).Replace(text)
}

// migrator is what internal/migrate needs of the dialect.
func (d *dialect) migrator() migrate.Dialect {
	return migrate.Dialect{Name: d.name, Rebind: d.q, Render: d.migration, HasTable: d.hasTable, Lock: d.lockMigrations}
}
