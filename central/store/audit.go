package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
)

// Pages of a window's chain (GET /v1/offices/{office}/windows/{window}/events).
const (
	DefaultChainLimit = 1000
	MaxChainLimit     = 5000
)

// WindowEvents returns a page of a window's chain as the central holds it:
// the events with after < seq ≤ after+limit, each with its id, hashes,
// signature and answer (never its payload), in seq order; quarantined
// events are not part of it. Window 0 is the office's central stream.
func (s *Store) WindowEvents(ctx context.Context, office string, window int, after int64, limit int) (api.WindowEvents, error) {
	out := api.WindowEvents{Office: office, Window: window, Events: []api.ChainEntry{}, Cursor: after}
	err := s.rdb.QueryRowContext(ctx, s.d.q(`SELECT last_seq, last_hash FROM streams WHERE office = ? AND win = ?`), office, window).
		Scan(&out.LastSeq, &out.LastHash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return out, err
	}
	if window == 0 {
		out.PublicKey = s.centralKey()
	} else if w, err := s.Workstation(ctx, office, window); err == nil {
		out.PublicKey = w.PublicKey
	} else if !errors.Is(err, domain.ErrNotFound) {
		return out, err
	}
	upto := after + int64(limit)
	rows, err := s.rdb.QueryContext(ctx, s.d.q(`SELECT seq, id, kind, at, prev_hash, hash, sig, status, reason, in_stream
		FROM events WHERE office = ? AND win = ? AND seq > ? AND seq <= ? ORDER BY seq, in_stream DESC, pos`),
		office, window, after, upto)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	for rows.Next() {
		var e api.ChainEntry
		var kind, status string
		var at int64
		var in int
		if err := rows.Scan(&e.Seq, &e.ID, &kind, &at, &e.PrevHash, &e.Hash, &e.Sig, &status, &e.Reason, &in); err != nil {
			return out, err
		}
		e.Kind, e.At, e.Status, e.InChain = domain.EventKind(kind), nanos(at), api.IngestStatus(status), in == 1
		out.Events = append(out.Events, e)
	}
	if err := rows.Err(); err != nil {
		return out, err
	}
	out.Cursor = min(max(upto, after), max(out.LastSeq, after))
	out.More = out.LastSeq > upto
	return out, nil
}
