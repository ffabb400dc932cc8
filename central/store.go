package central

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
	_ "modernc.org/sqlite"             // the "sqlite" driver
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Store is the central's database: a SQLite file or a PostgreSQL database.
type Store struct {
	d   *dialect
	db  *sql.DB // writes (SQLite: one connection, BEGIN IMMEDIATE)
	rdb *sql.DB // reads (SQLite: a pool beside the writer, WAL; PostgreSQL: the same pool)

	now         func() time.Time
	argon       Argon2Params
	hashSlots   chan struct{} // bounds the memory argon2id takes at once
	sessionIdle time.Duration
	sessionMax  time.Duration

	dummyOnce sync.Once
	dummy     string

	signKey ed25519.PrivateKey // signs the central's own events; nil: unsigned (Config.Key)
}

// StoreOptions configure Open. The zero value is the production setting.
type StoreOptions struct {
	// Now is the clock; tests move it.
	Now func() time.Time
	// Argon2 is the cost of password hashing; zero means DefaultArgon2.
	// Tests lower it (hashes made with one cost verify under any other).
	Argon2 Argon2Params
	// SessionIdle ends a session unused this long (default 12 h; each use
	// slides it). SessionMax ends any session this long after sign-in
	// (default 7 days).
	SessionIdle time.Duration
	SessionMax  time.Duration
}

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens the store: a PostgreSQL database when dsn starts with
// postgres:// or postgresql://, otherwise a SQLite file at that path
// (created with mode 0600; WAL, synchronous=FULL, foreign keys, a busy
// timeout). It applies the migrations not yet applied.
func Open(ctx context.Context, dsn string, opts StoreOptions) (*Store, error) {
	s := &Store{now: opts.Now, argon: opts.Argon2, sessionIdle: opts.SessionIdle, sessionMax: opts.SessionMax}
	if s.now == nil {
		s.now = time.Now
	}
	if s.argon == (Argon2Params{}) {
		s.argon = DefaultArgon2
	}
	if s.sessionIdle <= 0 {
		s.sessionIdle = 12 * time.Hour
	}
	if s.sessionMax <= 0 {
		s.sessionMax = 7 * 24 * time.Hour
	}
	s.hashSlots = make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))
	var err error
	if IsPostgres(dsn) {
		err = s.openPostgres(dsn)
	} else {
		err = s.openSQLite(dsn)
	}
	if err != nil {
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) openPostgres(dsn string) error {
	s.d = postgresDialect
	db, err := sql.Open(s.d.driver, dsn)
	if err != nil {
		return fmt.Errorf("open the PostgreSQL database: %w", err)
	}
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(20)
	db.SetConnMaxIdleTime(5 * time.Minute)
	s.db, s.rdb = db, db
	return nil
}

func (s *Store) openSQLite(path string) error {
	s.d = sqliteDialect
	if path == "" {
		return errors.New("no database: give --db a file path or a postgres:// URL")
	}
	if strings.ContainsAny(path, "?#") {
		return fmt.Errorf("database path %q: a file name may not contain ? or #", path)
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return fmt.Errorf("create the database folder: %w", err)
		}
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	f.Close()
	if err := os.Chmod(path, 0o600); err != nil {
		return fmt.Errorf("make %s private: %w", path, err)
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_txlock", "immediate")
	w, err := sql.Open(s.d.driver, "file:"+path+"?"+q.Encode())
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1) // one writer: no SQLITE_BUSY between our own goroutines
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	q.Set("_txlock", "deferred")
	q.Add("_pragma", "query_only(1)")
	r, err := sql.Open(s.d.driver, "file:"+path+"?"+q.Encode())
	if err != nil {
		w.Close()
		return fmt.Errorf("open %s: %w", path, err)
	}
	n := max(4, runtime.GOMAXPROCS(0)*2)
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	s.db, s.rdb = w, r
	return nil
}

// Kind names the engine: "sqlite" or "postgres".
func (s *Store) Kind() string { return s.d.name }

// Close closes the database.
func (s *Store) Close() error {
	err := s.db.Close()
	if s.rdb != s.db {
		err = errors.Join(err, s.rdb.Close())
	}
	return err
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.rdb.PingContext(ctx) }

// WithTx runs fn in a write transaction, committing when fn returns nil.
func (s *Store) WithTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
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

// lockWrites takes the dialect's write lock in tx (see dialect.lockWrites).
func (s *Store) lockWrites(ctx context.Context, tx *sql.Tx) error {
	if s.d.lockWrites == "" {
		return nil
	}
	if _, err := tx.ExecContext(ctx, s.d.lockWrites); err != nil {
		return fmt.Errorf("take the write lock: %w", err)
	}
	return nil
}

func (s *Store) migrate(ctx context.Context) error {
	err := s.WithTx(ctx, func(tx *sql.Tx) error {
		if s.d.lockMigrations != "" {
			if _, err := tx.ExecContext(ctx, s.d.lockMigrations); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`)
		return err
	})
	if err != nil {
		return fmt.Errorf("migrations table: %w", err)
	}
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		base := filepath.Base(name)
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: the name must start with a number", base)
		}
		text, err := migrationFiles.ReadFile(name)
		if err != nil {
			return err
		}
		err = s.WithTx(ctx, func(tx *sql.Tx) error {
			if s.d.lockMigrations != "" {
				if _, err := tx.ExecContext(ctx, s.d.lockMigrations); err != nil {
					return err
				}
			}
			var n int
			if err := tx.QueryRowContext(ctx, s.d.q(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), v).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, s.d.migration(string(text))); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, s.d.q(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`), v, base, s.now().UnixNano())
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %s: %w", base, err)
		}
	}
	return nil
}

// nanos converts a stored time back.
func nanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// unixNano stores a time; the zero time is 0.
func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}
