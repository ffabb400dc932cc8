package store

import (
	"context"
	"database/sql"
)

// The SQLite writer's prepared statements (issue 17). The writer is one
// connection, held by a transaction while it runs, so a statement cannot
// be prepared on the connection (outside the transaction) when a
// transaction first needs it: that transaction prepares its own, and
// once it ends the statement is prepared on the connection for the
// transactions after it (Tx.stmt), which use it without parsing it again
// (database/sql's Tx.StmtContext reuses a statement already prepared on
// the transaction's connection). The statement texts are the store's own
// constants and the bulk INSERTs' (bulk.go), a bounded set; maxKept
// bounds it all the same. PostgreSQL statements are cached by pgx on
// each connection.

// maxKept is the most statements kept prepared on the SQLite writer.
const maxKept = 512

// keptStmt returns query prepared on the writer's connection, or nil.
func (s *Store) keptStmt(query string) *sql.Stmt {
	s.keptMu.Lock()
	defer s.keptMu.Unlock()
	return s.kept[query]
}

// keepStmts prepares queries on the writer's connection for the
// transactions to come. It runs with no transaction open in this
// goroutine (the writer's connection is free, or another goroutine's
// transaction holds it and this waits for its end). A statement that
// cannot be prepared is left to be prepared per transaction.
func (s *Store) keepStmts(ctx context.Context, queries []string) {
	if len(queries) == 0 || s.d.dollar {
		return
	}
	for _, q := range queries {
		s.keptMu.Lock()
		_, ok := s.kept[q]
		full := len(s.kept) >= maxKept
		s.keptMu.Unlock()
		if ok || full {
			continue
		}
		st, err := s.db.PrepareContext(ctx, s.d.q(q))
		if err != nil {
			continue
		}
		s.keptMu.Lock()
		if _, ok := s.kept[q]; ok || s.keptClosed {
			st.Close()
		} else {
			s.kept[q] = st
		}
		s.keptMu.Unlock()
	}
}

// closeKept closes the kept statements (Close).
func (s *Store) closeKept() {
	s.keptMu.Lock()
	defer s.keptMu.Unlock()
	for _, st := range s.kept {
		st.Close()
	}
	clear(s.kept)
	s.keptClosed = true
}
