// Package localdb is the workstation's own SQLite file: the event log of its
// window (a hash chain), the events the feed brought from the rest of the
// office, the outbox, and the projections the screens read (visitors with
// their search index, tickets, cases, checklists).
//
// Every clerk action is one intent method that validates through domain,
// then writes the event, the projections it changes and the outbox row in
// one transaction. What a transaction changed is announced once it has
// committed, to whoever subscribed (Subscribe: the link, which pushes, and
// the TUI, whose screens re-read). Nothing here talks to the network.
package localdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/okno-mfc/okno/domain"

	_ "modernc.org/sqlite" // the "sqlite" driver
)

// Store is an open workstation file.
type Store struct {
	db      *sql.DB // the one writer
	rdb     *sql.DB // readers (WAL lets them run beside the writer)
	path    string
	office  string
	window  int
	catalog *domain.Catalog
	cal     *domain.Calendar
	signer  Signer
	stmts   stmtCache
	changes changes // the subscribers to committed changes (Subscribe)

	searchTail int // see Options.SearchTail

	statusCodes io.Reader  // see Options.StatusCodes
	codeMu      sync.Mutex // a fixed source is read by one hand-off at a time

	// What Open was given, before a catalogue from the central replaced
	// it: where a re-fold of the events starts (Refold).
	baseCatalog  *domain.Catalog
	baseCalendar *domain.Calendar

	// wmu serialises write transactions; under it, the chain's head and the
	// day's ticket counts, read from the file once and then kept here.
	wmu        sync.Mutex
	head       *chainHead
	ticketDay  string           // YYMMDD of ticketSeqs
	ticketSeqs map[string]int64 // ticket prefix → tickets this window issued that day

	// Now is the clock; tests replace it.
	Now func() time.Time
}

// Options configure Open.
type Options struct {
	Catalog  *domain.Catalog  // the service catalogue; default domain.DefaultCatalog()
	Calendar *domain.Calendar // working days; default the office's built-in calendar (OfficeSettings) plus the catalogue's days
	Now      func() time.Time
	// NoSync turns fsync off (synchronous=OFF). Only for building test and
	// benchmark fixtures fast: a power cut may then lose the last writes.
	NoSync bool
	// SearchTail is how many of the newest visitors may wait outside the
	// search indexes, matched on their rows, before one write folds them
	// in; 0 means DefaultSearchTail, 1 folds every visitor as it comes.
	SearchTail int
	// StatusCodes is where the status codes of handed-off cases come from
	// (internal/statuscode.New); nil is crypto/rand. Tests give a fixed
	// source so receipts print the same code every run.
	StatusCodes io.Reader
}

// Open opens (creating if needed) the store at path, with mode 0600, WAL,
// synchronous=FULL, foreign keys and a busy timeout, and applies the
// migrations.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create the data folder: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	f.Close()
	if err := os.Chmod(path, 0o600); err != nil {
		return nil, fmt.Errorf("make %s private: %w", path, err)
	}
	s := &Store{path: path, catalog: opts.Catalog, cal: opts.Calendar, Now: opts.Now, searchTail: opts.SearchTail, statusCodes: opts.StatusCodes}
	if s.searchTail <= 0 {
		s.searchTail = DefaultSearchTail
	}
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.catalog == nil {
		s.catalog = domain.DefaultCatalog()
	}
	s.baseCatalog, s.baseCalendar = s.catalog, opts.Calendar
	if s.db, err = openDB(path, true, opts.NoSync); err != nil {
		return nil, err
	}
	if s.rdb, err = openDB(path, false, opts.NoSync); err != nil {
		s.db.Close()
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.reindexVisitors(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("rebuild the visitor search: %w", err)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		_ = os.Chmod(path+suffix, 0o600) // made by SQLite with the umask; personal data inside
	}
	if err := s.loadIdentity(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.loadCatalog(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func openDB(path string, writer, noSync bool) (*sql.DB, error) {
	q := url.Values{}
	sync := "synchronous(FULL)"
	if noSync {
		sync = "synchronous(OFF)"
	}
	for _, p := range []string{"journal_mode(WAL)", sync, "foreign_keys(ON)", "busy_timeout(10000)"} {
		q.Add("_pragma", p)
	}
	if writer {
		q.Set("_txlock", "immediate")
	} else {
		q.Add("_pragma", "query_only(ON)")
	}
	// The path as a URI path: a '?' or '#' in a folder's name would end it.
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if writer {
		db.SetMaxOpenConns(1) // one writer
	} else {
		db.SetMaxOpenConns(4)
	}
	db.SetConnMaxIdleTime(0)
	return db, nil
}

// Close closes the file.
func (s *Store) Close() error {
	var errs []error
	s.stmts.mu.Lock()
	for _, st := range s.stmts.m {
		errs = append(errs, st.Close())
	}
	s.stmts.m = nil
	s.stmts.mu.Unlock()
	if s.rdb != nil {
		errs = append(errs, s.rdb.Close())
	}
	if s.db != nil {
		errs = append(errs, s.db.Close())
	}
	return errors.Join(errs...)
}

// Path is the file's path.
func (s *Store) Path() string { return s.path }

// Office is the workstation's office code ("" before Init).
func (s *Store) Office() string { return s.office }

// Window is the workstation's window number (0 before Init).
func (s *Store) Window() int { return s.window }

// Catalog is the service catalogue in force.
func (s *Store) Catalog() *domain.Catalog { return s.catalog }

// Calendar is the working-day calendar in force.
func (s *Store) Calendar() *domain.Calendar { return s.cal }

// WithTx runs fn in one write transaction: committed if fn returns nil,
// rolled back otherwise. Write transactions run one at a time (the file has
// one writer), and what the store keeps in memory of a transaction is set
// after its commit, before the next begins. Then what it changed, if it
// changed what a reader shows or the outbox, is published to the
// subscribers (Subscribe).
func (s *Store) WithTx(ctx context.Context, fn func(tx *Tx) error) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	stx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	tx := &Tx{Tx: stx, s: s}
	defer s.prepareLater(ctx)
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	for _, f := range tx.after {
		f()
	}
	if tx.change != (Change{}) {
		s.changes.publish(tx.change)
	}
	return nil
}

func getMeta(ctx context.Context, q querier, key string) (string, error) {
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

func setMeta(ctx context.Context, tx *Tx, key, value string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

// querier is what both *sql.DB and *Tx offer.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Meta reads a value kept beside the data (link settings, cursors …).
func (s *Store) Meta(ctx context.Context, key string) (string, error) {
	return getMeta(ctx, s.rdb, key)
}

// SetMeta keeps a value beside the data.
func (s *Store) SetMeta(ctx context.Context, key, value string) error {
	return s.WithTx(ctx, func(tx *Tx) error { return setMeta(ctx, tx, key, value) })
}

func (s *Store) loadIdentity(ctx context.Context) error {
	office, err := getMeta(ctx, s.db, "office")
	if err != nil {
		return err
	}
	w, err := getMeta(ctx, s.db, "window")
	if err != nil {
		return err
	}
	s.office = office
	s.window, _ = strconv.Atoi(w)
	return nil
}

// Init gives a fresh store its office and window. It is refused if the store
// already has a different identity: a window's chain cannot change hands.
func (s *Store) Init(ctx context.Context, office string, window int) error {
	office = strings.ToUpper(strings.TrimSpace(office))
	if !domain.ValidOffice(office) {
		return &domain.InvalidError{Field: "office", Problem: domain.ProblemFormat, Message: fmt.Sprintf("office code %q must be 2–8 capital Latin letters or digits, e.g. IRK", office)}
	}
	if window < 1 || window > 999 {
		return &domain.InvalidError{Field: "window", Problem: domain.ProblemRange, Message: fmt.Sprintf("window %d must be 1–999", window)}
	}
	if s.office != "" {
		if s.office == office && s.window == window {
			return nil
		}
		return fmt.Errorf("this store belongs to office %s window %d already; use another --data folder for %s window %d", s.office, s.window, office, window)
	}
	err := s.WithTx(ctx, func(tx *Tx) error {
		if err := setMeta(ctx, tx, "office", office); err != nil {
			return err
		}
		return setMeta(ctx, tx, "window", strconv.Itoa(window))
	})
	if err != nil {
		return err
	}
	s.office, s.window = office, window
	return nil
}
