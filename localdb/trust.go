package localdb

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
)

// What the workstation keeps to check, later and offline, what the central
// told it: the public keys that sign the office's events (to re-verify the
// events the feed brought), the central's newest signed receipt of this
// window's head (so a chain cut after a sync shows), and the shape of the
// feed as it arrived (its streams' heads and gaps, so a feed event deleted
// here shows).

// SetOfficeKeys keeps the keys the central names for an office: every key
// each window was enrolled with, and the central's own (window 0; "" when
// the central signs nothing). They replace the office's keys kept before.
func (s *Store) SetOfficeKeys(ctx context.Context, k api.OfficeKeys) error {
	now := s.Now().UTC().Format(timeFormat)
	return s.WithTx(ctx, func(tx *Tx) error {
		if _, err := tx.Tx.ExecContext(ctx, `DELETE FROM office_keys WHERE office = ?`, k.Office); err != nil {
			return err
		}
		put := func(window int, key string, at time.Time) error {
			enrolled := ""
			if !at.IsZero() {
				enrolled = at.UTC().Format(timeFormat)
			}
			_, err := tx.Tx.ExecContext(ctx, `INSERT INTO office_keys (office, window, public_key, enrolled_at, fetched_at) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT DO NOTHING`, k.Office, window, key, enrolled, now)
			return err
		}
		if err := put(0, k.CentralKey, time.Time{}); err != nil {
			return err
		}
		for _, w := range k.Windows {
			if w.Window < 1 {
				continue // window 0 is the central's: only CentralKey names it
			}
			if err := put(w.Window, w.PublicKey, w.EnrolledAt); err != nil {
				return err
			}
		}
		return nil
	})
}

// SetCentralKey keeps the central's key for an office (from enrolment),
// leaving the windows' keys as they are.
func (s *Store) SetCentralKey(ctx context.Context, office, key string) error {
	now := s.Now().UTC().Format(timeFormat)
	return s.WithTx(ctx, func(tx *Tx) error {
		if _, err := tx.Tx.ExecContext(ctx, `DELETE FROM office_keys WHERE office = ? AND window = 0`, office); err != nil {
			return err
		}
		_, err := tx.Tx.ExecContext(ctx, `INSERT INTO office_keys (office, window, public_key, fetched_at) VALUES (?, 0, ?, ?)`, office, key, now)
		return err
	})
}

// OfficeKeys returns the keys kept for an office, as the central named
// them; ok is false when none were ever fetched.
func (s *Store) OfficeKeys(ctx context.Context, office string) (k api.OfficeKeys, ok bool, err error) {
	k.Office = office
	rows, err := s.rdb.QueryContext(ctx, `SELECT window, public_key, enrolled_at FROM office_keys WHERE office = ? ORDER BY window, enrolled_at`, office)
	if err != nil {
		return k, false, err
	}
	defer rows.Close()
	for rows.Next() {
		var w api.WindowKey
		var at string
		if err := rows.Scan(&w.Window, &w.PublicKey, &at); err != nil {
			return k, false, err
		}
		ok = true
		if w.Window == 0 {
			k.CentralKey = w.PublicKey
			continue
		}
		w.EnrolledAt, _ = time.Parse(timeFormat, at)
		k.Windows = append(k.Windows, w)
	}
	return k, ok, rows.Err()
}

// KnownWindows lists the windows of an office a key is kept for (0: the
// central's row, kept even when it signs nothing).
func (s *Store) KnownWindows(ctx context.Context, office string) (map[int]bool, error) {
	out := map[int]bool{}
	err := eachReadRow(ctx, s.rdb, `SELECT DISTINCT window FROM office_keys WHERE office = ?`, []any{office}, func(sc scanner) error {
		var w int
		err := sc.Scan(&w)
		out[w] = true
		return err
	})
	return out, err
}

// SaveReceipt keeps the central's signed receipt of a window's head when
// it is newer (a higher seq) than the one kept. The caller verified it.
func (s *Store) SaveReceipt(ctx context.Context, r api.HeadReceipt) error {
	return s.WithTx(ctx, func(tx *Tx) error { return saveReceipt(ctx, tx, r) })
}

func saveReceipt(ctx context.Context, tx *Tx, r api.HeadReceipt) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO head_receipts (office, window, seq, hash, at, sig) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (office, window) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, at = excluded.at, sig = excluded.sig
		WHERE excluded.seq >= head_receipts.seq`,
		r.Office, r.Window, r.Seq, r.Hash, r.At.UTC().Format(timeFormat), r.Sig)
	return err
}

// Receipt returns the newest receipt kept for a window; ok is false when
// there is none.
func (s *Store) Receipt(ctx context.Context, office string, window int) (r api.HeadReceipt, ok bool, err error) {
	var at string
	err = s.rdb.QueryRowContext(ctx, `SELECT office, window, seq, hash, at, sig FROM head_receipts WHERE office = ? AND window = ?`, office, window).
		Scan(&r.Office, &r.Window, &r.Seq, &r.Hash, &at, &r.Sig)
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	if err != nil {
		return r, false, err
	}
	r.At, err = time.Parse(timeFormat, at)
	return r, err == nil, err
}

// streamKey names a chain: an office's window.
type streamKey struct {
	office string
	window int
}

// feedShape keeps, within one ApplyFeed, the heads of the feed's streams
// and records the gaps the feed had.
type feedShape struct {
	heads   map[streamKey]int64
	changed map[streamKey]bool
}

// note records that the feed brought ev: a seq beyond its stream's head
// +1 is a gap of the feed itself (events the central holds but does not
// serve: rejected there).
func (f *feedShape) note(ctx context.Context, tx *Tx, ev *domain.Event) error {
	k := streamKey{ev.Office, ev.Window}
	if f.heads == nil {
		f.heads, f.changed = map[streamKey]int64{}, map[streamKey]bool{}
	}
	head, ok := f.heads[k]
	if !ok {
		err := tx.QueryRowContext(ctx, `SELECT seq FROM feed_heads WHERE office = ? AND window = ?`, k.office, k.window).Scan(&head)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	}
	if ev.Seq > head+1 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO feed_gaps (office, window, from_seq, to_seq) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			k.office, k.window, head+1, ev.Seq-1); err != nil {
			return err
		}
	}
	if ev.Seq > head {
		head = ev.Seq
		f.changed[k] = true
	}
	f.heads[k] = head
	return nil
}

// save writes the heads that moved.
func (f *feedShape) save(ctx context.Context, tx *Tx) error {
	for k := range f.changed {
		if _, err := tx.ExecContext(ctx, `INSERT INTO feed_heads (office, window, seq) VALUES (?, ?, ?)
			ON CONFLICT (office, window) DO UPDATE SET seq = excluded.seq`, k.office, k.window, f.heads[k]); err != nil {
			return err
		}
	}
	return nil
}

// OfficeWindows lists the windows of this office the workstation knows of
// (those the central named a key for, and this one), in order; empty
// when the central's keys were never fetched (then any window 1–999 is
// taken).
func (s *Store) OfficeWindows(ctx context.Context) ([]int, error) {
	known, err := s.KnownWindows(ctx, s.office)
	if err != nil {
		return nil, err
	}
	delete(known, 0)
	if len(known) == 0 {
		return nil, nil
	}
	if s.window > 0 {
		known[s.window] = true
	}
	out := make([]int, 0, len(known))
	for w := range known {
		out = append(out, w)
	}
	slices.Sort(out)
	return out, nil
}
