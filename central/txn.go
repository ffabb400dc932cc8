package central

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/okno-mfc/okno/domain"
)

// txn is one write transaction over the events and their projections, with
// the statements it prepared and what it has read so far (stream heads,
// cases, windows), so a batch of a hundred events of one window reads each
// row once.
type txn struct {
	s     *Store
	tx    *sql.Tx
	ctx   context.Context
	now   int64 // received_at of everything this transaction records
	stmts map[string]*sql.Stmt
	cat   *domain.Catalog // for the ranks of privileged categories; may be nil

	streams map[streamKey]*streamHead
	cases   map[string]*domain.CaseView // nil value: known not to exist
	dirty   map[string]bool             // cases to write at flush
	numbers map[string]string           // case number → id, of the cases opened in this transaction
	windows map[streamKey]*windowRow
	changed map[string]bool // offices whose queue or cases changed
	seen    map[string]seenEvent
	counts  map[domain.IngestStatus]int

	quarantined int // events kept apart by this transaction
}

type streamKey struct {
	office string
	win    int
}

type streamHead struct {
	lastSeq  int64
	lastHash string
	dirty    bool
}

type seenEvent struct {
	status domain.IngestStatus
	reason string
	hash   string
	sig    string
}

// begin starts a write transaction and takes the dialect's write lock.
func (s *Store) begin(ctx context.Context) (*txn, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	t := &txn{
		s: s, tx: tx, ctx: ctx, now: s.now().UnixNano(),
		stmts:   map[string]*sql.Stmt{},
		streams: map[streamKey]*streamHead{},
		cases:   map[string]*domain.CaseView{},
		dirty:   map[string]bool{},
		numbers: map[string]string{},
		windows: map[streamKey]*windowRow{},
		changed: map[string]bool{},
		seen:    map[string]seenEvent{},
		counts:  map[domain.IngestStatus]int{},
	}
	if err := s.lockWrites(ctx, tx); err != nil {
		tx.Rollback()
		return nil, err
	}
	return t, nil
}

// commit flushes what is cached and commits.
func (t *txn) commit() error {
	if err := t.flush(); err != nil {
		t.rollback()
		return err
	}
	t.closeStmts()
	if err := t.tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func (t *txn) rollback() {
	t.closeStmts()
	t.tx.Rollback()
}

func (t *txn) closeStmts() {
	for _, st := range t.stmts {
		st.Close()
	}
	clear(t.stmts)
}

// stmt returns query prepared in this transaction.
func (t *txn) stmt(query string) (*sql.Stmt, error) {
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

func (t *txn) exec(query string, args ...any) error {
	st, err := t.stmt(query)
	if err != nil {
		return err
	}
	_, err = st.ExecContext(t.ctx, args...)
	return err
}

// scan runs a one-row query; found is false for no row.
func (t *txn) scan(query string, args []any, dest ...any) (found bool, err error) {
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

// stream returns the head of a window's chain.
func (t *txn) stream(office string, win int) (*streamHead, error) {
	k := streamKey{office, win}
	if h, ok := t.streams[k]; ok {
		return h, nil
	}
	h := &streamHead{}
	if _, err := t.scan(`SELECT last_seq, last_hash FROM streams WHERE office = ? AND win = ?`,
		[]any{office, win}, &h.lastSeq, &h.lastHash); err != nil {
		return nil, fmt.Errorf("stream %s/%d: %w", office, win, err)
	}
	t.streams[k] = h
	return h, nil
}

// lookup finds an event of a chain by id. Quarantined events are not
// looked at: junk sent with some id never holds that id against the
// genuine event.
func (t *txn) lookup(id string) (seenEvent, bool, error) {
	if v, ok := t.seen[id]; ok {
		return v, true, nil
	}
	var v seenEvent
	var status string
	found, err := t.scan(`SELECT status, reason, hash, sig FROM events WHERE id = ? AND in_stream = 1`, []any{id}, &status, &v.reason, &v.hash, &v.sig)
	v.status = domain.IngestStatus(status)
	return v, found, err
}

// holder is the id of the event holding seq in a window's chain.
func (t *txn) holder(office string, win int, seq int64) (string, error) {
	var id string
	_, err := t.scan(`SELECT id FROM events WHERE office = ? AND win = ? AND seq = ? AND in_stream = 1`, []any{office, win, seq}, &id)
	return id, err
}

// insertEvent records e in its window's chain. An accepted event passed
// CheckAt: every text is clean and its time storable, and it is stored as
// it was hashed. A rejected one is kept without its payload, its texts made
// storable and a time outside the accepted range stored as 0: it only
// holds its place (id, seq, hash, signature) in the chain.
func (t *txn) insertEvent(e *domain.Event, status domain.IngestStatus, reason string, by string) error {
	var payload any
	at := e.At.UnixNano()
	kind, actor, caseID, ticketID, visitorID, prevHash := string(e.Kind), e.Actor, e.CaseID, e.TicketID, e.VisitorID, e.PrevHash
	if status == domain.IngestAccepted {
		payload = string(e.Payload)
	} else {
		if !domain.InTimeRange(e.At, time.Unix(0, t.now)) {
			at = 0
		}
		kind, actor, prevHash = domain.SafeText(kind, 64), domain.SafeText(actor, 200), domain.SafeText(prevHash, 200)
		caseID, ticketID, visitorID = domain.SafeText(caseID, 64), domain.SafeText(ticketID, 64), domain.SafeText(visitorID, 64)
		reason = domain.SafeText(reason, 2000)
	}
	err := t.exec(`INSERT INTO events (id, office, win, seq, at, kind, actor, case_id, ticket_id, visitor_id, payload,
		prev_hash, hash, sig, status, reason, in_stream, received_at, received_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
		e.ID, e.Office, e.Window, e.Seq, at, kind, actor, caseID, ticketID, visitorID, payload,
		prevHash, e.Hash, e.Sig, string(status), reason, t.now, by)
	if err != nil {
		return fmt.Errorf("store event %s: %w", e.ID, err)
	}
	t.seen[e.ID] = seenEvent{status: status, reason: reason, hash: e.Hash, sig: e.Sig}
	return nil
}

// quarantine records an event that failed its window's checks apart from
// the chains, without its payload, and answers it rejected. Its texts are
// what it claimed, made storable.
func (t *txn) quarantine(it *ingestItem, q *quarantined) error {
	e := it.ev
	it.res.Status, it.res.Reason = domain.IngestRejected, q.reason
	err := t.exec(`INSERT INTO quarantine (id, office, win, seq, kind, hash, prev_hash, problem, reason, received_at, received_by, remote_addr)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, e.Office, e.Window, e.Seq, domain.SafeText(string(e.Kind), 64), domain.SafeText(e.Hash, 128), domain.SafeText(e.PrevHash, 128),
		q.problem, domain.SafeText(q.reason, 2000), t.now, it.by, domain.SafeText(it.addr, 64))
	if err != nil {
		return fmt.Errorf("quarantine event %s: %w", e.ID, err)
	}
	t.quarantined++
	return nil
}

// flush writes the cached stream heads, windows and office marks.
func (t *txn) flush() error {
	if err := t.flushCases(); err != nil {
		return err
	}
	for k, h := range t.streams {
		if !h.dirty {
			continue
		}
		if err := t.exec(`INSERT INTO streams (office, win, last_seq, last_hash) VALUES (?, ?, ?, ?)
			ON CONFLICT (office, win) DO UPDATE SET last_seq = excluded.last_seq, last_hash = excluded.last_hash`,
			k.office, k.win, h.lastSeq, h.lastHash); err != nil {
			return fmt.Errorf("stream %s/%d: %w", k.office, k.win, err)
		}
		h.dirty = false
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

// loadCase returns the case with this id, or nil if the central has none.
func (t *txn) loadCase(id string) (*domain.CaseView, error) {
	if c, ok := t.cases[id]; ok {
		return c, nil
	}
	var body string
	found, err := t.scan(`SELECT body FROM cases WHERE id = ?`, []any{id}, &body)
	if err != nil || !found {
		t.cases[id] = nil
		return nil, err
	}
	c := &domain.CaseView{}
	if err := json.Unmarshal([]byte(body), c); err != nil {
		return nil, fmt.Errorf("case %s: stored view: %w", id, err)
	}
	t.cases[id] = c
	return c, nil
}

// saveCase keeps a case's new view, written at flush.
func (t *txn) saveCase(c *domain.CaseView) error {
	if t.cases[c.ID] == nil {
		t.numbers[c.Number] = c.ID
	}
	t.cases[c.ID] = c
	t.dirty[c.ID] = true
	t.changed[c.Office] = true
	return nil
}

// caseByNumber finds the id of the case with a number, "" if none.
func (t *txn) caseByNumber(number string) (string, error) {
	if id, ok := t.numbers[number]; ok {
		return id, nil
	}
	var id string
	_, err := t.scan(`SELECT id FROM cases WHERE number = ?`, []any{number}, &id)
	return id, err
}

// flushCases writes the cases changed in this transaction.
func (t *txn) flushCases() error {
	for id := range t.dirty {
		if err := t.writeCase(t.cases[id]); err != nil {
			return fmt.Errorf("case %s: %w", id, err)
		}
	}
	clear(t.dirty)
	return nil
}

func (t *txn) writeCase(c *domain.CaseView) error {
	body, err := json.Marshal(c)
	if err != nil {
		return err
	}
	return t.exec(`INSERT INTO cases (id, office, number, service, state, visitor_id, deadline, opened_at, updated_at, body)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at, body = excluded.body`,
		c.ID, c.Office, c.Number, c.Service, string(c.State), c.VisitorID, c.Deadline,
		unixNano(c.OpenedAt), unixNano(c.UpdatedAt), string(body))
}
