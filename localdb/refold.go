package localdb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/okno-mfc/okno/domain"
)

// The projections (visitors, tickets, cases, checklist rows, attachments,
// the window's break) are derived data: the events make them. Refold makes
// them again, with the same projection code, in a scratch file, from the
// events of this one in the order they were first folded, and compares
// every row. What an edit of the file behind the store's back changed
// shows as a row that differs, one that no event makes, or one missing.

// Difference is one projection row that is not what the events make. It
// names the row and the column, never the values (they may be personal).
type Difference struct {
	Table  string // visitors, tickets, cases, checklist, attachments, meta
	Key    string // the row's key: an id; "case/doc" for checklist rows; …
	Column string // the column (a JSON column's field as view.state); "" for a whole row
	// Problem: "differs"; "extra" (the file has the row, no event makes
	// it); "missing" (the events make it, the file lacks it).
	Problem string
}

func (d Difference) String() string {
	switch d.Problem {
	case "extra":
		return fmt.Sprintf("%s %s: a row no event makes (added, or its events deleted)", d.Table, d.Key)
	case "missing":
		return fmt.Sprintf("%s %s: the events make this row, the file lacks it (deleted)", d.Table, d.Key)
	}
	return fmt.Sprintf("%s %s: %s differs from what the events make (edited)", d.Table, d.Key, d.Column)
}

// RefoldReport is what Refold found.
type RefoldReport struct {
	Events      int          // events folded again: own and from the feed
	FeedSkipped int          // feed events that do not fold here (as when they came: kept, not applied)
	Rows        int          // projection rows compared
	Differences []Difference // in table order, then key order
	OwnFailed   []string     // own events that do not fold ("seq N: why"): the log itself was edited
}

// Refold folds every event of the store again into a scratch file at
// scratchPath (made, then removed; mode 0600, so keep it beside the data)
// and lists the projection rows that differ from this store's. It reads
// one snapshot of this file, so it may run beside the TUI.
func (s *Store) Refold(ctx context.Context, scratchPath string) (*RefoldReport, error) {
	if s.office == "" {
		return nil, domain.ErrNotInitialised
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(scratchPath + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("remove an old scratch file: %w", err)
		}
	}
	scratch, err := Open(ctx, scratchPath, Options{Catalog: s.baseCatalog, Calendar: s.baseCalendar, NoSync: true, SearchTail: s.searchTail})
	if err != nil {
		return nil, fmt.Errorf("make the scratch file: %w", err)
	}
	defer func() {
		scratch.Close()
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(scratchPath + suffix)
		}
	}()
	if err := scratch.Init(ctx, s.office, s.window); err != nil {
		return nil, err
	}
	// This file, read-only, in the scratch's own connection: the fold and
	// the comparison then read one snapshot of it.
	abs, err := filepath.Abs(s.path)
	if err != nil {
		return nil, err
	}
	orig := (&url.URL{Scheme: "file", Path: abs, RawQuery: "mode=ro"}).String()
	if _, err := scratch.db.ExecContext(ctx, `ATTACH DATABASE ? AS orig`, orig); err != nil {
		return nil, fmt.Errorf("open %s for the audit: %w", s.path, err)
	}
	rep := &RefoldReport{}
	err = scratch.WithTx(ctx, func(tx *Tx) error {
		if err := scratch.foldFrom(ctx, tx, rep); err != nil {
			return err
		}
		return compareProjections(ctx, tx, rep)
	})
	return rep, err
}

// foldFrom folds orig's events into s (the scratch) in their first fold
// order: own events by seq; a feed event after the own event its after_seq
// names, or, for one folded before the store kept that, by time.
func (s *Store) foldFrom(ctx context.Context, tx *Tx, rep *RefoldReport) error {
	own := pager{ctx: ctx, tx: tx, q: `SELECT n, ` + eventColumns + `, after_seq FROM orig.events WHERE n > ? ORDER BY n LIMIT 2000`}
	feed := pager{ctx: ctx, tx: tx, q: `SELECT n, ` + eventColumns + `, after_seq FROM orig.events WHERE n < ? ORDER BY n DESC LIMIT 2000`, desc: true}
	for {
		o, err := own.peek()
		if err != nil {
			return err
		}
		f, err := feed.peek()
		if err != nil {
			return err
		}
		var next *pagedEvent
		switch {
		case o == nil && f == nil:
			return nil
		case o == nil:
			next = feed.take()
		case f == nil:
			next = own.take()
		case f.afterSeq.Valid && f.afterSeq.Int64 < o.ev.Seq:
			next = feed.take()
		case !f.afterSeq.Valid && !f.ev.At.After(o.ev.At):
			next = feed.take()
		default:
			next = own.take()
		}
		rep.Events++
		if next.local {
			if err := s.project(ctx, tx, &next.ev); err != nil {
				// Folded when it was recorded, in the same transaction:
				// failing now means the log (or the code) changed.
				rep.OwnFailed = append(rep.OwnFailed, fmt.Sprintf("seq %d: %v", next.ev.Seq, err))
			}
			continue
		}
		folded, err := s.foldFeedEvent(ctx, tx, &next.ev)
		if err != nil {
			return err
		}
		if !folded {
			rep.FeedSkipped++
		}
	}
}

// foldFeedEvent folds one feed event as ApplyFeed did: one that does not
// fold is rolled back alone, and folded is false.
func (s *Store) foldFeedEvent(ctx context.Context, tx *Tx, ev *domain.Event) (folded bool, err error) {
	if _, err := tx.Tx.ExecContext(ctx, `SAVEPOINT fold`); err != nil {
		return false, err
	}
	folded = true
	if err := s.project(ctx, tx, ev); err != nil {
		if _, rerr := tx.Tx.ExecContext(ctx, `ROLLBACK TO fold`); rerr != nil {
			return false, rerr
		}
		folded = false
	} else if ev.Kind == domain.EvCatalogUpdated {
		// ApplyFeed put a new catalogue in force after its page; here
		// after the event itself (the pages are not recorded).
		raw, err := getMeta(ctx, tx, "catalog")
		if err != nil {
			return false, err
		}
		if err := s.useCatalog(ctx, tx, raw); err != nil {
			return false, err
		}
	}
	_, err = tx.Tx.ExecContext(ctx, `RELEASE fold`)
	return folded, err
}

// pagedEvent is an event read by a pager.
type pagedEvent struct {
	ev       domain.Event
	afterSeq sql.NullInt64
	local    bool
}

// pager reads events of orig page by page (so no statement stays open
// while the fold writes).
type pager struct {
	ctx   context.Context
	tx    *Tx
	q     string
	after int64 // the last row key read
	desc  bool
	buf   []pagedEvent
	done  bool
}

func (p *pager) peek() (*pagedEvent, error) {
	if len(p.buf) == 0 && !p.done {
		rows, err := p.tx.Tx.QueryContext(p.ctx, p.q, p.after)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var e pagedEvent
			var at, kind string
			var payload []byte
			if err := rows.Scan(&p.after, &e.ev.ID, &e.ev.Office, &e.ev.Window, &e.ev.Seq, &at, &kind, &e.ev.Actor, &e.ev.CaseID, &e.ev.TicketID,
				&e.ev.VisitorID, &payload, &e.ev.PrevHash, &e.ev.Hash, &e.ev.Sig, &e.afterSeq); err != nil {
				return nil, err
			}
			e.ev.Kind = domain.EventKind(kind)
			e.ev.At, _ = time.Parse(timeFormat, at)
			if len(payload) > 0 {
				e.ev.Payload = json.RawMessage(payload)
			}
			e.local = !p.desc
			p.buf = append(p.buf, e)
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
		p.done = len(p.buf) == 0
	}
	if len(p.buf) == 0 {
		return nil, nil
	}
	return &p.buf[0], nil
}

func (p *pager) take() *pagedEvent {
	e := p.buf[0]
	p.buf = p.buf[1:]
	return &e
}
