package localdb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
)

// Pending returns up to limit outbox events not yet answered by the central,
// in sequence order: what the link pushes next.
func (s *Store) Pending(ctx context.Context, limit int) ([]domain.Event, error) {
	return readEvents(ctx, s.rdb, `SELECT `+prefixed("e.", eventColumns)+` FROM outbox o JOIN events e ON e.n = o.seq
		WHERE o.seq > `+outboxLow+` AND o.status = 'pending' ORDER BY o.seq LIMIT ?`, limit)
}

// PendingAfter is Pending from after the outbox position after (0: from
// the first pending event), with the position of the last event returned
// (after itself when none is): the link reads the next batch with it while
// the previous batch's answers are not stored yet.
func (s *Store) PendingAfter(ctx context.Context, after int64, limit int) ([]domain.Event, int64, error) {
	last := after
	var out []domain.Event
	err := eachReadRow(ctx, s.rdb, `SELECT o.seq, `+prefixed("e.", eventColumns)+` FROM outbox o JOIN events e ON e.n = o.seq
		WHERE o.seq > max(`+outboxLow+`, ?) AND o.status = 'pending' ORDER BY o.seq LIMIT ?`, []any{after, limit}, func(sc scanner) error {
		ev, err := scanEvent(seqScanner{sc, &last})
		out = append(out, ev)
		return err
	})
	if err != nil {
		return nil, after, err
	}
	return out, last, nil
}

// seqScanner scans a row's first column into seq and the rest into what
// Scan is given.
type seqScanner struct {
	sc  scanner
	seq *int64
}

func (s seqScanner) Scan(dest ...any) error { return s.sc.Scan(append([]any{s.seq}, dest...)...) }

// outboxLow is the outbox's low-water mark: every seq up to it has been
// answered, so pending events are looked for after it (the outbox has no
// index of pending rows, which every write would pay a page for).
const outboxLow = `(SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'outbox_low')`

func prefixed(p, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}

// MarkAnswered stores the central's answers for pushed events in one
// transaction: accepted and duplicate ones leave the outbox, rejected ones
// stay listed with the reason (needs attention), and any other answer (a
// retry) leaves the event pending. Receipts of the head that came with the
// answers (verified by the caller) are kept in the same transaction (see
// SaveReceipt). It returns how many of each answer it stored.
func (s *Store) MarkAnswered(ctx context.Context, results []api.IngestResult, receipts ...api.HeadReceipt) (map[api.IngestStatus]int, error) {
	counts := map[api.IngestStatus]int{}
	now := s.Now().UTC().Format(timeFormat)
	err := s.WithTx(ctx, func(tx *Tx) error {
		for _, r := range receipts {
			if err := saveReceipt(ctx, tx, r); err != nil {
				return err
			}
		}
		seqs, err := firstPending(ctx, tx, 2*len(results)+64)
		if err != nil {
			return err
		}
		// The final answers are stored in one statement per answer and
		// reason (nearly always one: "accepted" without a reason), not
		// one per event: two hundred UPDATEs were most of a push's local
		// work (issue 17).
		type answer struct {
			status api.IngestStatus
			reason string
		}
		var order []answer
		final := map[answer][]int64{}
		for _, r := range results {
			seq, ok := seqs[r.ID]
			if !ok {
				// Not among the first pending events: answered already, or
				// pushed out of order; look for it among all pending ones.
				err := tx.QueryRowContext(ctx, `SELECT seq FROM outbox WHERE seq > `+outboxLow+` AND status = 'pending' AND event_id = ?`, r.ID).Scan(&seq)
				if errors.Is(err, sql.ErrNoRows) {
					continue
				}
				if err != nil {
					return err
				}
			}
			if r.Status == api.IngestDuplicate && r.First == api.IngestRejected {
				// The central holds this event as rejected already: it still
				// needs attention, whatever the second answer's word.
				r.Status = api.IngestRejected
				r.Reason = "still rejected: " + r.Reason
			}
			switch r.Status {
			case api.IngestAccepted, api.IngestDuplicate, api.IngestRejected:
				k := answer{r.Status, r.Reason}
				if _, ok := final[k]; !ok {
					order = append(order, k)
				}
				final[k] = append(final[k], seq)
			default:
				res, err := tx.ExecContext(ctx, `UPDATE outbox SET tries = tries + 1, last_try = ?, reason = ? WHERE seq = ? AND status = 'pending'`, now, r.Reason, seq)
				if err != nil {
					return err
				}
				if n, _ := res.RowsAffected(); n > 0 {
					counts[r.Status]++
				}
			}
		}
		for _, k := range order {
			list, err := json.Marshal(final[k])
			if err != nil {
				return err
			}
			res, err := tx.ExecContext(ctx, `UPDATE outbox SET status = ?, reason = ?, answered_at = ?, tries = tries + 1, last_try = ?
				WHERE seq IN (SELECT value FROM json_each(?)) AND status = 'pending'`, string(k.status), k.reason, now, now, string(list))
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			counts[k.status] += int(n)
		}
		tx.touch(Outbox, Central)
		// Move the low-water mark past what is answered now: up to the first
		// pending event, or the end.
		if _, err := tx.ExecContext(ctx, `UPDATE meta SET value = coalesce(
				(SELECT min(seq) - 1 FROM outbox WHERE seq > `+outboxLow+` AND status = 'pending'),
				(SELECT max(seq) FROM outbox), 0)
			WHERE key = 'outbox_low'`); err != nil {
			return err
		}
		return setMeta(ctx, tx, "last_push", now)
	})
	return counts, err
}

// firstPending maps the ids of the first limit pending events to their
// seqs: the events a push's answers are for, as the link pushes in order.
func firstPending(ctx context.Context, tx *Tx, limit int) (map[string]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT seq, event_id FROM outbox WHERE seq > `+outboxLow+` AND status = 'pending' ORDER BY seq LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	seqs := map[string]int64{}
	for rows.Next() {
		var seq int64
		var id string
		if err := rows.Scan(&seq, &id); err != nil {
			return nil, err
		}
		seqs[id] = seq
	}
	return seqs, rows.Err()
}

// ResendRejected puts the events the central rejected back in the outbox,
// pending, to be offered again as they are (the same id, hash and
// signature): for after the cause of the rejection was fixed at the
// central. With ids, only those events; without, every rejected one. It
// returns how many it put back. An event rejected again comes back to the
// attention list with the new reason.
func (s *Store) ResendRejected(ctx context.Context, ids ...string) (int, error) {
	n := 0
	err := s.WithTx(ctx, func(tx *Tx) error {
		q := `UPDATE outbox SET status = 'pending', answered_at = '', reason = 'offered again after: ' || reason WHERE status = 'rejected'`
		var args []any
		if len(ids) > 0 {
			q += ` AND event_id IN (?` + strings.Repeat(", ?", len(ids)-1) + `)`
			for _, id := range ids {
				args = append(args, id)
			}
		}
		first := int64(-1)
		err := eachRow(ctx, tx, q+` RETURNING seq`, args, func(sc scanner) (bool, error) {
			var seq int64
			err := sc.Scan(&seq)
			if first < 0 || seq < first {
				first = seq
			}
			n++
			return true, err
		})
		if err != nil || n == 0 {
			return err
		}
		tx.touch(Outbox, Local)
		// Pending events are looked for after the low-water mark: move it
		// back before the first of them.
		_, err = tx.ExecContext(ctx, `UPDATE meta SET value = min(CAST(value AS INTEGER), ?) WHERE key = 'outbox_low'`, first-1)
		return err
	})
	return n, err
}

// Rejected is an event the central refused, with its reason: it needs
// attention from the clerk or the supervisor.
type Rejected struct {
	Event      domain.Event
	Reason     string
	AnsweredAt time.Time
}

// OutboxStats is the state of the outbox.
type OutboxStats struct {
	Pending  int
	Rejected int
	Sent     int
	LastPush time.Time // last time the central answered a push
	LastPull time.Time // last time a feed page was applied
}

// Outbox reports the outbox's depth and the last sync times.
func (s *Store) Outbox(ctx context.Context) (OutboxStats, error) {
	var st OutboxStats
	// Pending rows lie after the low-water mark; rejected ones have their
	// partial index; every local event has an outbox row and seqs run from
	// 1, so max(seq) is the total.
	var total int
	err := s.rdb.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM outbox WHERE seq > `+outboxLow+` AND status = 'pending'),
		(SELECT count(*) FROM outbox WHERE status = 'rejected'),
		(SELECT coalesce(max(seq), 0) FROM outbox)`).Scan(&st.Pending, &st.Rejected, &total)
	if err != nil {
		return st, err
	}
	st.Sent = total - st.Pending - st.Rejected
	for key, dst := range map[string]*time.Time{"last_push": &st.LastPush, "last_pull": &st.LastPull} {
		v, err := getMeta(ctx, s.rdb, key)
		if err != nil {
			return st, err
		}
		if v != "" {
			*dst, _ = time.Parse(timeFormat, v)
		}
	}
	return st, nil
}

// RejectedEvents lists the events the central refused, newest first.
func (s *Store) RejectedEvents(ctx context.Context, limit int) ([]Rejected, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+prefixed("e.", eventColumns)+`, o.reason, o.answered_at FROM outbox o JOIN events e ON e.n = o.seq
		WHERE o.status = 'rejected' ORDER BY o.seq DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Rejected
	for rows.Next() {
		var r Rejected
		var at string
		var ev domain.Event
		var evAt, kind string
		var payload []byte
		if err := rows.Scan(&ev.ID, &ev.Office, &ev.Window, &ev.Seq, &evAt, &kind, &ev.Actor, &ev.CaseID, &ev.TicketID, &ev.VisitorID, &payload, &ev.PrevHash, &ev.Hash, &ev.Sig, &r.Reason, &at); err != nil {
			return nil, err
		}
		ev.Kind = domain.EventKind(kind)
		ev.At, _ = time.Parse(timeFormat, evAt)
		ev.Payload = payload
		r.Event = ev
		r.AnsweredAt, _ = time.Parse(timeFormat, at)
		out = append(out, r)
	}
	return out, rows.Err()
}

// FeedCursor is the position after which the next feed page starts.
func (s *Store) FeedCursor(ctx context.Context) (int64, error) {
	v, err := getMeta(ctx, s.rdb, "feed_cursor")
	if err != nil || v == "" {
		return 0, err
	}
	return strconv.ParseInt(v, 10, 64)
}

// FeedResult says what ApplyFeed did.
type FeedResult struct {
	Applied int      // new events folded into the projections
	Known   int      // events already here (our own, or a page applied before)
	Failed  []string // events that did not fold locally: "id: reason" (kept, not applied)
}

// ApplyFeed applies a feed page and its cursor in one transaction: a cut
// mid-way re-applies at most this page, and applying a page twice changes
// nothing. An event the local projections cannot fold is kept in the log and
// reported, never allowed to block the rest.
func (s *Store) ApplyFeed(ctx context.Context, page api.FeedPage) (FeedResult, error) {
	var res FeedResult
	var catErr error
	newCatalog := false
	err := s.WithTx(ctx, func(tx *Tx) error {
		head, err := s.chainHead(ctx, tx)
		if err != nil {
			return err
		}
		var shape feedShape
		for i := range page.Events {
			fe := &page.Events[i]
			// Known already: a feed event by the index of feed ids, one of
			// our own by its seq.
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM events WHERE id = ? AND local = 0`, fe.ID).Scan(&n); err != nil {
				return err
			}
			if n == 0 && fe.Office == s.office && fe.Window == s.window {
				if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM events WHERE n = ? AND id = ?`, fe.Seq, fe.ID).Scan(&n); err != nil {
					return err
				}
			}
			if n > 0 {
				res.Known++
				continue
			}
			if fe.Office == s.office && fe.Window == s.window {
				// Our own window's event, not in our log: the log was replaced
				// or the central holds events we never made. Never fold them
				// into our chain; report it.
				res.Failed = append(res.Failed, fmt.Sprintf("%s: an event of this window (seq %d) that this workstation does not hold", fe.ID, fe.Seq))
				continue
			}
			if err := insertEvent(ctx, tx, &fe.Event, false, fe.Pos, head.seq); err != nil {
				return err
			}
			if err := shape.note(ctx, tx, &fe.Event); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `SAVEPOINT fold`); err != nil {
				return err
			}
			if err := s.project(ctx, tx, &fe.Event); err != nil {
				if _, rerr := tx.ExecContext(ctx, `ROLLBACK TO fold`); rerr != nil {
					return rerr
				}
				res.Failed = append(res.Failed, fmt.Sprintf("%s: %v", fe.ID, err))
			} else {
				res.Applied++
				tx.touch(tablesOf(fe.Kind), Feed)
				if fe.Kind == domain.EvCatalogUpdated && !newCatalog {
					// A catalogue update changes what the screens offer:
					// put it in force before the change is announced.
					newCatalog = true
					tx.afterCommit(func() { catErr = s.loadCatalog(ctx) })
				}
			}
			if _, err := tx.ExecContext(ctx, `RELEASE fold`); err != nil {
				return err
			}
		}
		if err := shape.save(ctx, tx); err != nil {
			return err
		}
		if err := setMeta(ctx, tx, "feed_cursor", strconv.FormatInt(page.Cursor, 10)); err != nil {
			return err
		}
		return setMeta(ctx, tx, "last_pull", s.Now().UTC().Format(timeFormat))
	})
	if err == nil {
		err = catErr
	}
	return res, err
}

// OutboxAnswers maps every local event's id to the central's answer as
// stored here: pending, accepted, duplicate or rejected. For checkers.
func (s *Store) OutboxAnswers(ctx context.Context) (map[string]string, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT event_id, status FROM outbox`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, st string
		if err := rows.Scan(&id, &st); err != nil {
			return nil, err
		}
		out[id] = st
	}
	return out, rows.Err()
}
