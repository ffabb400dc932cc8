package localdb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
)

// The end of the window's own chain. The chain's links prove that nothing
// was taken out of the middle, but a cut tail leaves a shorter, valid
// chain. What still shows a cut:
//
//   - the central's newest signed receipt of the head (HeadReceipt): a
//     chain shorter than the receipt, or holding another event at its
//     seq, was cut or rewritten after that sync;
//   - the outbox: its low-water mark and its rows name seqs up to the head
//     they saw;
//   - the day's case counter, kept apart from the events: a counter above
//     the last case of its day says cases were registered whose events
//     are gone.
//
// Someone who also rewrites the outbox, the counters and the receipt is
// found only by the central's copy (okno audit verify --central) and by
// what left the office on paper (docs/operations.md).

// TailReport is what VerifyTail found.
type TailReport struct {
	Head     int64            // the chain's last seq here
	Receipt  *api.HeadReceipt // the newest receipt kept, if any
	Verified bool             // its signature verified with the central's key kept here
	Findings []Finding
}

// VerifyTail checks the end of the window's chain against the central's
// receipt, the outbox and the case counters. centralKey verifies the
// receipt; "" takes the one kept here (SetOfficeKeys, SetCentralKey).
func (s *Store) VerifyTail(ctx context.Context, centralKey string) (*TailReport, error) {
	rep := &TailReport{}
	tx, err := s.rdb.BeginTx(ctx, nil) // one snapshot
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	find := func(seq int64, problem, format string, args ...any) {
		rep.Findings = append(rep.Findings, Finding{Office: s.office, Window: s.window, Seq: seq, Problem: problem, Detail: fmt.Sprintf(format, args...)})
	}
	var headHash string
	err = tx.QueryRowContext(ctx, `SELECT seq, hash FROM events WHERE n > 0 ORDER BY n DESC LIMIT 1`).Scan(&rep.Head, &headHash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	if err := s.checkReceipt(ctx, tx, rep, centralKey, find); err != nil {
		return nil, err
	}

	// The outbox: one row per own event, seq 1 to the head; its low-water
	// mark at most the head.
	var low, maxRow, rows sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'outbox_low'), max(seq),
			(SELECT count(*) FROM outbox WHERE seq <= ?) FROM outbox`, rep.Head).
		Scan(&low, &maxRow, &rows); err != nil {
		return nil, err
	}
	if low.Int64 > rep.Head {
		find(rep.Head+1, ProblemOutbox, "the outbox was answered up to seq %d, but the chain ends at seq %d: events %d–%d were deleted", low.Int64, rep.Head, rep.Head+1, low.Int64)
	}
	if maxRow.Int64 > rep.Head {
		find(rep.Head+1, ProblemOutbox, "the outbox has rows up to seq %d, but the chain ends at seq %d: events %d–%d were deleted", maxRow.Int64, rep.Head, rep.Head+1, maxRow.Int64)
	}
	var orphans int64
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM outbox o WHERE o.seq <= ? AND NOT EXISTS (SELECT 1 FROM events e WHERE e.n = o.seq)`, rep.Head).Scan(&orphans); err != nil {
		return nil, err
	}
	if orphans > 0 {
		find(0, ProblemOutbox, "outbox rows without their event: %d (events were deleted)", orphans)
	}
	if rows.Int64 < rep.Head-orphans && rep.Head > 0 {
		find(0, ProblemOutbox, "events without an outbox row: %d (rows were deleted; such events never reach the central)", rep.Head-rows.Int64+orphans)
	}
	return rep, checkCounters(ctx, tx, find)
}

// checkReceipt compares the newest receipt with the chain.
func (s *Store) checkReceipt(ctx context.Context, tx *sql.Tx, rep *TailReport, centralKey string, find func(int64, string, string, ...any)) error {
	r, ok, err := s.Receipt(ctx, s.office, s.window)
	if err != nil || !ok {
		return err
	}
	rep.Receipt = &r
	if centralKey == "" {
		if k, ok, err := s.OfficeKeys(ctx, s.office); err != nil {
			return err
		} else if ok {
			centralKey = k.CentralKey
		}
	}
	if pub, err := domain.ParsePublicKey(centralKey); err == nil {
		if err := r.Verify(pub); err != nil {
			find(r.Seq, ProblemReceipt, "the receipt kept for head %d does not verify with the central's key: it was forged or edited here", r.Seq)
			return nil
		}
		rep.Verified = true
	}
	at := r.At.Local().Format("2006-01-02 15:04:05")
	if rep.Head < r.Seq {
		find(rep.Head+1, ProblemReceipt, "head %d was countersigned by the central at %s, but the chain here ends at seq %d: events %d–%d are missing (deleted after they were synced)",
			r.Seq, at, rep.Head, rep.Head+1, r.Seq)
		return nil
	}
	var hash string
	err = tx.QueryRowContext(ctx, `SELECT hash FROM events WHERE n = ?`, r.Seq).Scan(&hash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if hash != r.Hash {
		find(r.Seq, ProblemReceipt, "head %d was countersigned by the central at %s with another hash than the event held at that seq: the chain was rewritten after it was synced",
			r.Seq, at)
	}
	return nil
}

// checkCounters compares each day's case counter with the window's last
// case of that day: the counter and the case.opened event are written in
// one transaction, so they agree unless one was changed behind the store.
func checkCounters(ctx context.Context, tx *sql.Tx, find func(int64, string, string, ...any)) error {
	want := map[string]int64{}
	err := eachReadRow(ctx, tx, `SELECT payload FROM events WHERE n > 0 AND kind = ?`, []any{string(domain.EvCaseOpened)}, func(sc scanner) error {
		var payload []byte
		if err := sc.Scan(&payload); err != nil {
			return err
		}
		var p domain.CaseOpenedPayload
		if json.Unmarshal(payload, &p) != nil {
			return nil // the chain check names an unreadable event
		}
		if n, err := domain.ParseCaseNumber(p.Number); err == nil {
			name := "case:" + n.Date.Format("060102")
			want[name] = max(want[name], int64(n.Seq))
		}
		return nil
	})
	if err != nil {
		return err
	}
	have := map[string]int64{}
	if err := eachReadRow(ctx, tx, `SELECT name, value FROM counters WHERE name LIKE 'case:%'`, nil, func(sc scanner) error {
		var name string
		var v int64
		err := sc.Scan(&name, &v)
		have[name] = v
		return err
	}); err != nil {
		return err
	}
	names := make([]string, 0, len(want)+len(have))
	for n := range want {
		names = append(names, n)
	}
	for n := range have {
		if _, ok := want[n]; !ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		day := name[len("case:"):]
		switch h, w := have[name], want[name]; {
		case h > w:
			cases := fmt.Sprintf("cases %d–%d were registered and their events are gone", w+1, h)
			if h == w+1 {
				cases = fmt.Sprintf("case %d was registered and its event is gone", h)
			}
			last := fmt.Sprintf("the chain's last case of that day is number %d", w)
			if w == 0 {
				last = "the chain holds no case of that day"
			}
			find(0, ProblemCounter, "the case counter of day %s is at %d, but %s: %s (an unsynced tail deleted?)", day, h, last, cases)
		case h < w:
			find(0, ProblemCounter, "the case counter of day %s is at %d, below the chain's last case of that day (number %d): it was turned back, and a number would be given twice", day, h, w)
		}
	}
	return nil
}
