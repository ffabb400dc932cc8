package localdb

import (
	"context"
	"database/sql"
	"sync"
)

// Tx is a write transaction. Its statements are prepared once per store and
// reused: preparing is a fifth of a small write's cost in SQLite.
type Tx struct {
	*sql.Tx
	s      *Store
	after  []func() // run once the transaction has committed
	change Change   // what it changed, published once it has committed
}

// touch notes what the transaction changes, for the subscribers.
func (tx *Tx) touch(t Tables, from Source) {
	tx.change.Tables |= t
	tx.change.From |= from
}

// afterCommit runs fn once the transaction has committed (never after a
// rollback): for what the store keeps in memory of its file.
func (tx *Tx) afterCommit(fn func()) { tx.after = append(tx.after, fn) }

type stmtCache struct {
	mu   sync.Mutex
	m    map[string]*sql.Stmt
	todo map[string]bool
}

// prepared returns the store's prepared statement for query, or nil the
// first time: the writer has one connection, held by the running
// transaction, so new statements are prepared after it ends (prepareLater).
func (s *Store) prepared(query string) *sql.Stmt {
	s.stmts.mu.Lock()
	defer s.stmts.mu.Unlock()
	st, ok := s.stmts.m[query]
	if !ok {
		if s.stmts.todo == nil {
			s.stmts.todo = map[string]bool{}
		}
		s.stmts.todo[query] = true
	}
	return st
}

// prepareLater prepares the statements first seen in the last transaction.
func (s *Store) prepareLater(ctx context.Context) {
	s.stmts.mu.Lock()
	defer s.stmts.mu.Unlock()
	for q := range s.stmts.todo {
		if st, err := s.db.PrepareContext(ctx, q); err == nil {
			if s.stmts.m == nil {
				s.stmts.m = map[string]*sql.Stmt{}
			}
			s.stmts.m[q] = st
		}
		delete(s.stmts.todo, q)
	}
}

// ExecContext runs a statement in the transaction.
func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := tx.s.prepared(query); st != nil {
		return tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return tx.Tx.ExecContext(ctx, query, args...)
}

// QueryRowContext runs a query for one row in the transaction.
func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := tx.s.prepared(query); st != nil {
		return tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return tx.Tx.QueryRowContext(ctx, query, args...)
}

// QueryContext runs a query in the transaction.
func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := tx.s.prepared(query); st != nil {
		return tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return tx.Tx.QueryContext(ctx, query, args...)
}
