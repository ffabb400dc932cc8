package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/okno-mfc/okno/domain"
)

// Tx is a write transaction, the one way the store writes: WithTx begins
// it under the dialect's write lock, and the statements it prepared and
// what it has read so far (stream heads, cases, windows) are kept until it
// ends, so a batch of a hundred events of one window reads each row once.
type Tx struct {
	s     *Store
	tx    *sql.Tx
	ctx   context.Context
	now   int64 // received_at of everything this transaction records
	stmts map[string]*sql.Stmt
	cat   *domain.Catalog // for the ranks of privileged categories and the equipment of services; may be nil

	streams map[StreamID]*streamHead
	cases   map[string]*domain.CaseView // nil value: known not to exist
	dirty   map[string]bool             // cases to write at flush
	numbers map[string]string           // case number → id, of the cases opened in this transaction
	windows map[StreamID]*windowRow
	changed map[string]bool // offices whose queue or cases changed
	seen    map[string]seenEvent
}

// StreamID names a window's chain: an office's window, or window 0, the
// office's central stream.
type StreamID struct {
	Office string
	Window int
}

// WithTx runs fn in a write transaction and commits what it wrote when fn
// returns nil; an error of fn rolls everything back and is returned as it
// is. Every write transaction takes the dialect's write lock first (see
// dialect.lockWrites). After the commit the offices whose queue or cases
// changed are announced to the OnCommit listeners.
func (s *Store) WithTx(ctx context.Context, fn func(*Tx) error) error {
	t, err := s.begin(ctx)
	if err != nil {
		return err
	}
	if err := fn(t); err != nil {
		t.rollback()
		return err
	}
	return t.commit()
}

func (s *Store) begin(ctx context.Context) (*Tx, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	t := &Tx{
		s: s, tx: tx, ctx: ctx, now: s.now().UnixNano(),
		stmts:   map[string]*sql.Stmt{},
		streams: map[StreamID]*streamHead{},
		cases:   map[string]*domain.CaseView{},
		dirty:   map[string]bool{},
		numbers: map[string]string{},
		windows: map[StreamID]*windowRow{},
		changed: map[string]bool{},
		seen:    map[string]seenEvent{},
	}
	if s.d.lockWrites != "" {
		if _, err := tx.ExecContext(ctx, s.d.lockWrites); err != nil {
			tx.Rollback()
			return nil, fmt.Errorf("take the write lock: %w", err)
		}
	}
	return t, nil
}

// commit flushes what is cached, commits and announces the changed offices.
func (t *Tx) commit() error {
	if err := t.flush(); err != nil {
		t.rollback()
		return err
	}
	t.closeStmts()
	if err := t.tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	t.s.announce(t.changed)
	return nil
}

func (t *Tx) rollback() {
	t.closeStmts()
	t.tx.Rollback()
}

func (t *Tx) closeStmts() {
	for _, st := range t.stmts {
		st.Close()
	}
	clear(t.stmts)
}

// Time is the time this transaction records as the time of receipt.
func (t *Tx) Time() time.Time { return time.Unix(0, t.now).UTC() }

// stmt returns query prepared in this transaction.
func (t *Tx) stmt(query string) (*sql.Stmt, error) {
	if st, ok := t.stmts[query]; ok {
		return st, nil
	}
	st, err := t.tx.PrepareContext(t.ctx, t.s.d.q(query))
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err)
	}
	t.stmts[query] = st
	return st, nil
}

func (t *Tx) exec(query string, args ...any) error {
	st, err := t.stmt(query)
	if err != nil {
		return err
	}
	_, err = st.ExecContext(t.ctx, args...)
	return err
}

// execResult runs a statement and returns how many rows it changed.
func (t *Tx) execResult(query string, args ...any) (int64, error) {
	st, err := t.stmt(query)
	if err != nil {
		return 0, err
	}
	res, err := st.ExecContext(t.ctx, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// scan runs a one-row query; found is false for no row.
func (t *Tx) scan(query string, args []any, dest ...any) (found bool, err error) {
	st, err := t.stmt(query)
	if err != nil {
		return false, err
	}
	err = st.QueryRowContext(t.ctx, args...).Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// flush writes the cached cases, stream heads, windows and office marks.
func (t *Tx) flush() error {
	if err := t.flushCases(); err != nil {
		return err
	}
	if err := t.flushStreams(); err != nil {
		return err
	}
	if err := t.flushWindows(); err != nil {
		return err
	}
	for office := range t.changed {
		if err := t.exec(`INSERT INTO office_marks (office, mark) VALUES (?, ?)
			ON CONFLICT (office) DO UPDATE SET mark = excluded.mark`, office, t.now); err != nil {
			return fmt.Errorf("office mark: %w", err)
		}
	}
	return nil
}
