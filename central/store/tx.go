package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/okno-mfc/okno/domain"
)

// Tx is a write transaction, the one way the store writes: WithTx begins
// it, each office it writes is locked before it is read (lock.go), and
// what it reads and changes (stream heads, cases, tickets, windows) is
// kept until it ends: a batch of a hundred events reads each row once, in
// one query per table (prefetch.go), and writes each table once, at commit
// (bulk.go).
type Tx struct {
	s     *Store
	tx    *sql.Tx
	conn  *sql.Conn // PostgreSQL: the transaction's connection, for the queue (pipe.go)
	ctx   context.Context
	now   int64 // received_at of everything this transaction records
	stmts map[string]*sql.Stmt
	// unkept: the statements this transaction prepared for itself alone
	// (SQLite), to prepare on the writer's connection once it ends.
	unkept []string
	cat    *domain.Catalog // for the ranks of privileged categories and the equipment of services; may be nil

	locked    map[string]bool // offices whose write lock is held
	shared    bool            // the shared lock every office writer holds
	lockedAll bool            // every office's

	streams map[StreamID]*streamHead
	cases   map[string]*domain.CaseView // nil value: known not to exist
	dirty   map[string]bool             // cases to write at flush
	numbers map[string]string           // case number → id ("": known unused)
	windows map[StreamID]*windowRow
	tickets map[string]*ticketRow // nil value: known not to exist
	changed map[string]bool       // offices whose queue or cases changed
	seen    map[string]seenEvent
	absent  map[string]bool // event ids known not to be in any chain

	contacts  map[string]*noticeContact // visitor → notice contact to write at flush (nil: to delete)
	withdrawn map[string]bool           // visitors whose pending notices are to be cancelled at flush
	codes     []caseCode                // status codes of handed-off cases, to insert at flush

	events      []eventRow        // to insert at flush, in order
	quarantined []quarantineRow   // likewise
	holders     map[seqKey]string // seq → id of the events of this transaction

	deferring bool  // writes wait in the queue for the next read or the commit (pipe.go)
	pipe      *pipe // statements not sent yet
}

// StreamID names a window's chain: an office's window, or window 0, the
// office's central stream.
type StreamID struct {
	Office string
	Window int
}

// WithTx runs fn in a write transaction and commits what it wrote when fn
// returns nil; an error of fn rolls everything back and is returned as it
// is. The Tx methods that write an office's events, queue or cases take
// that office's write lock first (lock.go). After the commit the offices
// whose queue or cases changed are announced to the OnCommit listeners of
// this process and, on PostgreSQL, to every process listening on the
// database (notify.go).
func (s *Store) WithTx(ctx context.Context, fn func(*Tx) error) error {
	t, err := s.begin(ctx)
	if err != nil {
		return err
	}
	if err := fn(t); err != nil {
		t.rollback()
		t.s.keepStmts(t.ctx, t.unkept)
		return err
	}
	err = t.commit()
	t.s.keepStmts(t.ctx, t.unkept)
	return err
}

func (s *Store) begin(ctx context.Context) (*Tx, error) {
	t := &Tx{
		s: s, ctx: ctx, now: s.now().UnixNano(),
		stmts:   map[string]*sql.Stmt{},
		locked:  map[string]bool{},
		streams: map[StreamID]*streamHead{},
		cases:   map[string]*domain.CaseView{},
		dirty:   map[string]bool{},
		numbers: map[string]string{},
		windows: map[StreamID]*windowRow{},
		tickets: map[string]*ticketRow{},
		changed: map[string]bool{},
		seen:    map[string]seenEvent{},
		absent:  map[string]bool{},
		holders: map[seqKey]string{},

		contacts:  map[string]*noticeContact{},
		withdrawn: map[string]bool{},
	}
	if s.d.dollar {
		return t, s.txConn(t)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	t.tx = tx
	return t, nil
}

// commit flushes what is cached, commits and announces the changed offices.
func (t *Tx) commit() error {
	// The flush's statements (and any write still waiting) go in one
	// round trip on PostgreSQL.
	t.deferring = true
	err := t.flush()
	if err == nil {
		err = t.send()
	}
	if err != nil {
		t.rollback()
		return err
	}
	t.closeStmts()
	err = t.tx.Commit()
	t.release()
	if err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	t.s.announce(t.changed)
	return nil
}

func (t *Tx) rollback() {
	t.closeStmts()
	t.pipe = nil
	t.tx.Rollback()
	t.release()
}

func (t *Tx) closeStmts() {
	for _, st := range t.stmts {
		st.Close()
	}
	clear(t.stmts)
}

// Time is the time this transaction records as the time of receipt.
func (t *Tx) Time() time.Time { return time.Unix(0, t.now).UTC() }

// stmt returns query prepared for this transaction. On SQLite a statement
// is prepared once on the writer's connection and used by every
// transaction after (Store.keepStmts): parsing and planning a multi-row
// INSERT of 256 rows cost about as much as running it, and was 15 % of
// the central's CPU in a sync when each transaction prepared its own
// (issue 17).
func (t *Tx) stmt(query string) (*sql.Stmt, error) {
	if st, ok := t.stmts[query]; ok {
		return st, nil
	}
	var st *sql.Stmt
	if kept := t.s.keptStmt(query); kept != nil {
		st = t.tx.StmtContext(t.ctx, kept)
	} else {
		var err error
		if st, err = t.tx.PrepareContext(t.ctx, t.s.d.q(query)); err != nil {
			return nil, fmt.Errorf("prepare: %w", err)
		}
		t.unkept = append(t.unkept, query)
	}
	t.stmts[query] = st
	return st, nil
}

// execResult runs a statement, after what waits in the queue (pipe.go),
// and returns how many rows it changed. On PostgreSQL the statement goes
// straight to the connection (planned for its arguments, openPostgres;
// preparing it in each transaction would cost a round trip a
// transaction); on SQLite it is prepared once on the writer's connection
// (Tx.stmt).
func (t *Tx) execResult(query string, args ...any) (int64, error) {
	if err := t.send(); err != nil {
		return 0, err
	}
	t.s.trips.Add(1)
	var res sql.Result
	var err error
	if t.s.d.dollar {
		res, err = t.tx.ExecContext(t.ctx, t.s.d.q(query), args...)
	} else {
		var st *sql.Stmt
		if st, err = t.stmt(query); err != nil {
			return 0, err
		}
		res, err = st.ExecContext(t.ctx, args...)
	}
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (t *Tx) exec(query string, args ...any) error {
	if t.queued() {
		t.queue(statementName(query), t.s.d.q(query), args, nil)
		return nil
	}
	_, err := t.execResult(query, args...)
	return err
}

// statementName is what a statement is, in an error: its first words
// up to its table.
func statementName(query string) string {
	f := strings.Fields(query)
	for i, w := range f {
		if (w == "INTO" || w == "FROM" || w == "UPDATE") && i+1 < len(f) {
			return strings.ToLower(f[0]) + " " + f[i+1]
		}
	}
	if len(f) > 3 {
		f = f[:3]
	}
	return strings.Join(f, " ")
}

// scan runs a one-row query; found is false for no row.
func (t *Tx) scan(query string, args []any, dest ...any) (found bool, err error) {
	if err := t.send(); err != nil {
		return false, err
	}
	t.s.trips.Add(1)
	var row *sql.Row
	if t.s.d.dollar {
		row = t.tx.QueryRowContext(t.ctx, t.s.d.q(query), args...)
	} else {
		st, err := t.stmt(query)
		if err != nil {
			return false, err
		}
		row = st.QueryRowContext(t.ctx, args...)
	}
	err = row.Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// query runs a query in the transaction, as scan does.
func (t *Tx) query(query string, args ...any) (*sql.Rows, error) {
	if err := t.send(); err != nil {
		return nil, err
	}
	t.s.trips.Add(1)
	if t.s.d.dollar {
		return t.tx.QueryContext(t.ctx, t.s.d.q(query), args...)
	}
	st, err := t.stmt(query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(t.ctx, args...)
}

// flush writes what the transaction cached: the events and the
// quarantined ones, the tickets, cases, stream heads and windows, the
// office marks, and (PostgreSQL) the notification of the changed offices,
// which the database delivers at commit.
func (t *Tx) flush() error {
	for _, f := range []func() error{t.flushEvents, t.flushQuarantine, t.flushTickets, t.flushCases, t.flushCodes, t.flushContacts, t.flushStreams, t.flushWindows} {
		if err := f(); err != nil {
			return err
		}
	}
	if len(t.changed) == 0 {
		return nil
	}
	offices := make([]string, 0, len(t.changed))
	for o := range t.changed {
		offices = append(offices, o)
	}
	slices.Sort(offices)
	if err := t.upsert("office_marks", []string{"office"}, nil, len(offices), func(i int) []any {
		return []any{offices[i], t.now}
	}, "mark"); err != nil {
		return fmt.Errorf("office marks: %w", err)
	}
	return t.notify(offices)
}
