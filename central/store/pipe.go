package store

import (
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// Pipelined statements (issue 17, PostgreSQL only). An office's writes
// are serialised (lock.go), so every round trip a transaction makes while
// it holds the office's lock is time the office's next batch waits, on
// every replica. The ingest's transaction therefore sends its statements
// in a few pgx batches, each one round trip, instead of one round trip
// each: the office's lock goes with the batch's reads (prefetch.go), the
// writes of the decisions (a rating code, say) wait for the next read or
// the commit, and the commit's flush (every table's multi-row INSERT, the
// office marks, the notification) is one batch. On the three-replica
// cluster with 100 windows of one office pushing, one transaction in
// PostgreSQL's log made 16 round trips while it held the lock (the lock,
// four reads, ten writes, the notification), and a batch of a sync one
// more for each rating code it recorded.
//
// Statements wait in the queue only while t.deferring is set (Decide
// sets it, and the commit's flush); there every write's error fails the
// transaction anyway, so reporting it at the next read or at the commit
// changes nothing. Anywhere else a statement runs when it is called, as
// a caller that tests its error (a unique violation, say) expects.
// A read that is not queued sends the queue first, so it sees every
// write made before it. On SQLite, which has no round trips, statements
// always run when called.

// pipe is the queue of statements not sent yet and what to do once they
// have run.
type pipe struct {
	b       pgx.Batch
	names   []string       // what each queued statement is, for errors
	planned []string       // statements to prepare first (planOnce)
	after   []func() error // in order, once the batch has run
}

// queued says statements wait in the queue (PostgreSQL, deferring).
func (t *Tx) queued() bool { return t.deferring && t.conn != nil }

// queue adds a statement (in PostgreSQL's $n form) whose result nobody
// reads, or whose rows fn reads when fn is not nil, to the queue; name
// says what it is in an error.
func (t *Tx) queue(name, query string, args []any, fn func(pgx.Rows) error) {
	if t.pipe == nil {
		t.pipe = &pipe{}
	}
	qq := t.pipe.b.Queue(query, args...)
	if fn != nil {
		qq.Query(fn)
	}
	t.pipe.names = append(t.pipe.names, name)
}

// execPlanned runs (or queues) a statement whose plan does not depend on
// what the tables hold, a multi-row INSERT of values (bulk.go): on
// PostgreSQL it is prepared once per connection and keeps that plan
// instead of planning its hundreds of values at each execution, as
// every other statement is (openPostgres).
func (t *Tx) execPlanned(query string, args []any) error {
	switch {
	case t.queued():
		q := t.s.d.q(query)
		t.queue(statementName(query), q, args, nil)
		t.pipe.planned = append(t.pipe.planned, q)
		return nil
	case t.s.d.dollar:
		return t.exec(query, append([]any{pgx.QueryExecModeCacheStatement}, args...)...)
	}
	return t.exec(query, args...)
}

// then runs fn once the queued statements have run (at once when none
// wait).
func (t *Tx) then(fn func() error) error {
	if t.pipe == nil || t.pipe.b.Len() == 0 {
		return fn()
	}
	t.pipe.after = append(t.pipe.after, fn)
	return nil
}

// send runs the queued statements in one round trip, in order, on the
// transaction's connection; then what waits for them.
func (t *Tx) send() error {
	p := t.pipe
	if p == nil || p.b.Len() == 0 {
		return nil
	}
	t.pipe = nil
	t.s.trips.Add(1)
	err := t.conn.Raw(func(dc any) error {
		c := dc.(*stdlib.Conn).Conn()
		// A batch uses a statement prepared on the connection under its
		// own text (a no-op after the first time): those keep one plan.
		for _, q := range p.planned {
			if _, err := c.Prepare(t.ctx, q, q); err != nil {
				return fmt.Errorf("prepare: %w", err)
			}
		}
		br := c.SendBatch(t.ctx, &p.b)
		for i, qq := range p.b.QueuedQueries {
			var err error
			if qq.Fn != nil {
				err = qq.Fn(br)
			} else {
				_, err = br.Exec()
			}
			if err != nil {
				br.Close()
				return fmt.Errorf("%s: %w", p.names[i], err)
			}
		}
		return br.Close()
	})
	if err != nil {
		return err
	}
	for _, fn := range p.after {
		if err := fn(); err != nil {
			return err
		}
	}
	return nil
}

// txConn begins a transaction on a connection of its own, whose pgx
// connection the queue is sent on.
func (s *Store) txConn(t *Tx) error {
	conn, err := s.db.Conn(t.ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	tx, err := conn.BeginTx(t.ctx, nil)
	if err != nil {
		conn.Close()
		return fmt.Errorf("begin: %w", err)
	}
	t.conn, t.tx = conn, tx
	return nil
}

// release gives the transaction's connection back to the pool.
func (t *Tx) release() {
	if t.conn != nil {
		t.conn.Close() // fails only when closed already
		t.conn = nil
	}
}
