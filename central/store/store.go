package store

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
	_ "modernc.org/sqlite"           // the "sqlite" driver
)

// Store is the central's database: a SQLite file or a PostgreSQL database.
type Store struct {
	d   *dialect
	db  *sql.DB // writes (SQLite: one connection, BEGIN IMMEDIATE)
	rdb *sql.DB // reads (SQLite: a pool beside the writer, WAL; PostgreSQL: the same pool)

	trips atomic.Int64 // statements (or queues of them, pipe.go) write transactions sent one at a time: a test's figure

	now         func() time.Time
	argon       Argon2Params
	hashSlots   chan struct{} // bounds the memory argon2id takes at once
	sessionIdle time.Duration
	sessionMax  time.Duration

	dummyOnce sync.Once
	dummy     string

	dsn      string // PostgreSQL: for the LISTEN connection (notify.go); "" for SQLite
	instance string // this process, in its notifications

	signKey ed25519.PrivateKey // signs the central's own events and the head receipts; nil: unsigned (Options.Key)

	listenMu  sync.RWMutex
	listeners map[int]func(offices map[string]bool)
	listenN   int

	offices sync.Map // office code → officeEntry: profiles read lately (offices.go)

	keptMu     sync.Mutex
	kept       map[string]*sql.Stmt // SQLite: statements prepared on the writer's connection (stmts.go)
	keptClosed bool
}

// Options configure Open. The zero value is the production setting.
type Options struct {
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

	// Key signs the central's own events (window 0 of each office:
	// department status changes, catalogue updates) and the head receipts
	// of each push. Nil leaves them unsigned, still sealed into the
	// office's chain, and gives no receipts. Every process sharing a
	// database should use the same key; its public half is listed with
	// the window-0 chain (GET /v1/offices/{office}/windows/0/events).
	Key ed25519.PrivateKey
}

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open opens the store: a PostgreSQL database when dsn starts with
// postgres:// or postgresql://, otherwise a SQLite file at that path
// (created with mode 0600; WAL, synchronous=FULL, foreign keys, a busy
// timeout). It applies the migrations not yet applied.
func Open(ctx context.Context, dsn string, opts Options) (*Store, error) {
	s := &Store{now: opts.Now, argon: opts.Argon2, sessionIdle: opts.SessionIdle, sessionMax: opts.SessionMax,
		signKey: opts.Key, listeners: map[int]func(map[string]bool){}, instance: newInstance(),
		kept: map[string]*sql.Stmt{}}
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
	s.dsn = dsn
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return fmt.Errorf("open the PostgreSQL database: %w", err)
	}
	// Statements are planned at each execution, for their arguments and
	// the tables as they are then (an unnamed statement, its description
	// cached: no extra round trip). With pgx's default, a statement
	// prepared once per connection, PostgreSQL keeps one generic plan
	// after five executions until the table's next ANALYZE; made while a
	// new central's tables were nearly empty, that plan scanned whole
	// tables (a batch's case lookup grew from 0.01 to 30 ms over a
	// 50k-event sync, issue 17). The bulk INSERTs, whose plan does not
	// depend on the tables' contents, keep their prepared statement
	// (insertRows). A DSN that sets default_query_exec_mode keeps its own.
	if !strings.Contains(dsn, "default_query_exec_mode") {
		cfg.DefaultQueryExecMode = pgx.QueryExecModeCacheDescribe
	}
	db := stdlib.OpenDB(*cfg)
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
	s.closeKept()
	err := s.db.Close()
	if s.rdb != s.db {
		err = errors.Join(err, s.rdb.Close())
	}
	return err
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.rdb.PingContext(ctx) }

// Now is the store's clock.
func (s *Store) Now() time.Time { return s.now() }

// OnCommit calls fn after each write transaction that changed the queue or
// the cases of some offices, with those offices, until stop is called:
// this process's transactions and, while Listen runs, those of the other
// processes sharing a PostgreSQL database ({AllOffices: true}: any office
// may have changed). fn runs in the committing (or listening) goroutine:
// it must not block.
func (s *Store) OnCommit(fn func(offices map[string]bool)) (stop func()) {
	s.listenMu.Lock()
	defer s.listenMu.Unlock()
	s.listenN++
	id := s.listenN
	s.listeners[id] = fn
	return func() {
		s.listenMu.Lock()
		delete(s.listeners, id)
		s.listenMu.Unlock()
	}
}

// announce tells the OnCommit listeners of a commit's changed offices.
func (s *Store) announce(offices map[string]bool) {
	if len(offices) == 0 {
		return
	}
	s.listenMu.RLock()
	defer s.listenMu.RUnlock()
	for _, fn := range s.listeners {
		fn(offices)
	}
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
