package localdb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/okno-mfc/okno/domain"
)

const timeFormat = time.RFC3339Nano

// draft is an event before the store gives it its place in the chain.
type draft struct {
	At        time.Time // when; zero for now
	Kind      domain.EventKind
	Actor     string
	CaseID    string
	TicketID  string
	VisitorID string
	Payload   any
}

// Signer signs a sealed event's hash (issue: signed events). nil = unsigned.
type Signer interface {
	Sign(hash string) (string, error)
}

// SetSigner makes the store sign every event it records from now on.
func (s *Store) SetSigner(sg Signer) { s.signer = sg }

// record turns a draft into the window's next event, writes it, the
// projections it changes and its outbox row, all in tx.
func (s *Store) record(ctx context.Context, tx *Tx, d draft) (*domain.Event, error) {
	if s.office == "" {
		return nil, domain.ErrNotInitialised
	}
	id, err := uuid.NewV7()
	if err != nil {
		return nil, fmt.Errorf("make an event id: %w", err)
	}
	head, err := s.chainHead(ctx, tx)
	if err != nil {
		return nil, err
	}
	at := d.At
	if at.IsZero() {
		at = s.Now()
	}
	ev := &domain.Event{
		ID: id.String(), Office: s.office, Window: s.window, Seq: head.seq + 1,
		At: at.UTC(), Kind: d.Kind, Actor: d.Actor,
		CaseID: d.CaseID, TicketID: d.TicketID, VisitorID: d.VisitorID,
		Payload: domain.MustPayload(d.Payload),
	}
	ev.Seal(head.hash)
	if s.signer != nil {
		if ev.Sig, err = s.signer.Sign(ev.Hash); err != nil {
			return nil, fmt.Errorf("sign the event: %w", err)
		}
	}
	if err := insertEvent(ctx, tx, ev, true, 0, 0); err != nil {
		return nil, err
	}
	if err := s.project(ctx, tx, ev); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (seq, event_id) VALUES (?, ?)`, ev.Seq, ev.ID); err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	tx.touch(tablesOf(ev.Kind)|Outbox, Local)
	tx.afterCommit(func() { s.head = &chainHead{ev.Seq, ev.Hash} })
	return ev, nil
}

// chainHead is the window's last event: its seq and hash.
type chainHead struct {
	seq  int64
	hash string
}

// chainHead reads the head of the chain once (local events are keyed by
// their seq, so it is the table's last row); record keeps it from then on.
// Only record writes local events, and only under the store's write lock.
func (s *Store) chainHead(ctx context.Context, tx *Tx) (chainHead, error) {
	if s.head != nil {
		return *s.head, nil
	}
	var h chainHead
	err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM events WHERE n > 0 ORDER BY n DESC LIMIT 1`).Scan(&h.seq, &h.hash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return h, err
	}
	return h, nil
}

// insertEvent stores an event. A local event's row key is its seq; a feed
// event's counts down from -1 (see migration 006), and it keeps afterSeq,
// the seq of the window's own head when it was folded (migration 008).
func insertEvent(ctx context.Context, tx *Tx, ev *domain.Event, local bool, pos, afterSeq int64) error {
	var feedPos, after any
	if pos > 0 {
		feedPos = pos
	}
	if !local {
		after = afterSeq
	}
	n := ev.Seq
	if !local {
		if err := tx.QueryRowContext(ctx, `SELECT min(-1, coalesce(min(n), 0) - 1) FROM events`).Scan(&n); err != nil {
			return fmt.Errorf("store event %s: %w", ev.Kind, err)
		}
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO events (n, id, office, window, seq, at, kind, actor, case_id, ticket_id, visitor_id, payload, prev_hash, hash, sig, local, feed_pos, after_seq)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		n, ev.ID, ev.Office, ev.Window, ev.Seq, ev.At.UTC().Format(timeFormat), string(ev.Kind), ev.Actor,
		ev.CaseID, ev.TicketID, ev.VisitorID, []byte(ev.Payload), ev.PrevHash, ev.Hash, ev.Sig, local, feedPos, after)
	if err != nil {
		return fmt.Errorf("store event %s: %w", ev.Kind, err)
	}
	return nil
}

const eventColumns = `id, office, window, seq, at, kind, actor, case_id, ticket_id, visitor_id, payload, prev_hash, hash, sig`

func scanEvent(sc scanner) (domain.Event, error) {
	var ev domain.Event
	var at, kind string
	var payload []byte
	err := sc.Scan(&ev.ID, &ev.Office, &ev.Window, &ev.Seq, &at, &kind, &ev.Actor, &ev.CaseID, &ev.TicketID, &ev.VisitorID, &payload, &ev.PrevHash, &ev.Hash, &ev.Sig)
	if err != nil {
		return ev, err
	}
	ev.Kind = domain.EventKind(kind)
	ev.At, err = time.Parse(timeFormat, at)
	if len(payload) > 0 {
		ev.Payload = json.RawMessage(payload)
	}
	return ev, err
}

// LocalEvents returns this window's own events with seq > after, in order,
// at most limit — the chain, for the audit and the link.
func (s *Store) LocalEvents(ctx context.Context, after int64, limit int) ([]domain.Event, error) {
	return readEvents(ctx, s.rdb, `SELECT `+eventColumns+` FROM events WHERE n > ? ORDER BY n LIMIT ?`, after, limit)
}

// EventsOf returns the history of a case (or a ticket, or a visitor): every
// event that names it, local or from the feed, in the order they happened.
func (s *Store) EventsOf(ctx context.Context, caseID string) ([]domain.Event, error) {
	return readEvents(ctx, s.rdb, `SELECT `+eventColumns+` FROM events WHERE case_id = ? ORDER BY at, seq`, caseID)
}
