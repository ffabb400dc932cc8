package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Limits kept in the database (issue 17), so that every replica sharing a
// PostgreSQL database counts the same requests and the same failed
// sign-ins: a client behind a balancer cannot multiply its allowance by
// the number of replicas. (The HTTP server keeps them in memory on SQLite,
// where one process owns the file.)

// limitKey is how a limit's key is stored: hashed, so neither a login
// nor an address is kept in clear, and any bytes (a NUL between login
// and address) are storable.
func limitKey(key string) string { return hashToken(key) }

// TakeToken takes a token from key's bucket, which fills at rate tokens
// a second up to burst; ok false says how long until one is there.
func (s *Store) TakeToken(ctx context.Context, key string, rate float64, burst int) (ok bool, wait time.Duration, err error) {
	now := s.now().UnixNano()
	// avail is the bucket's tokens now; one statement takes one if there
	// is one, whichever replica asks.
	avail := fmt.Sprintf(`%s(?, rate_buckets.tokens + (? - rate_buckets.at) / 1e9 * ?)`, s.d.least)
	q := `INSERT INTO rate_buckets (key, tokens, took, at) VALUES (?, ?, 1, ?)
		ON CONFLICT (key) DO UPDATE SET
			tokens = CASE WHEN ` + avail + ` >= 1 THEN ` + avail + ` - 1 ELSE ` + avail + ` END,
			took = CASE WHEN ` + avail + ` >= 1 THEN 1 ELSE 0 END,
			at = ?
		RETURNING tokens, took`
	b := float64(burst)
	var tokens float64
	var took int
	err = s.db.QueryRowContext(ctx, s.d.q(q), limitKey(key), b-1, now,
		b, now, rate, b, now, rate, b, now, rate,
		b, now, rate,
		now).Scan(&tokens, &took)
	if err != nil {
		return false, 0, fmt.Errorf("rate limit: %w", err)
	}
	if took == 1 {
		return true, 0, nil
	}
	return false, time.Duration((1 - tokens) / rate * float64(time.Second)), nil
}

// RefundToken gives back a token taken from key's bucket (a sign-in that
// succeeded: only failures count against an address).
func (s *Store) RefundToken(ctx context.Context, key string, burst int) error {
	_, err := s.db.ExecContext(ctx, s.d.q(`UPDATE rate_buckets SET tokens = `+s.d.least+`(?, tokens + 1) WHERE key = ?`), float64(burst), limitKey(key))
	return err
}

// FailurePolicy is how failed sign-ins of one login from one address are
// slowed: after Free of them, each further try waits Base, doubling, at
// most Ceil, after the one before; a quiet spell of Forget forgets them.
type FailurePolicy struct {
	Free   int
	Base   time.Duration
	Ceil   time.Duration
	Forget time.Duration
}

// Delay is the wait after n tries (n ≥ Free).
func (p FailurePolicy) Delay(n int) time.Duration {
	d := p.Base
	for i := p.Free; i < n && d < p.Ceil; i++ {
		d *= 2
	}
	return min(d, p.Ceil)
}

// TryFailure counts a try of key under the policy, or says how long key
// must wait first. A try counts as a failure until ForgetFailures says
// otherwise, so tries made in parallel, on any replica, are counted too.
func (s *Store) TryFailure(ctx context.Context, key string, p FailurePolicy) (ok bool, wait time.Duration, err error) {
	now := s.now()
	key = limitKey(key)
	err = s.limitTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.d.q(`INSERT INTO signin_failures (key, n, last) VALUES (?, 0, ?) ON CONFLICT (key) DO NOTHING`), key, now.UnixNano()); err != nil {
			return err
		}
		lock := ""
		if s.d.dollar {
			lock = " FOR UPDATE"
		}
		var n int
		var last int64
		if err := tx.QueryRowContext(ctx, s.d.q(`SELECT n, last FROM signin_failures WHERE key = ?`+lock), key).Scan(&n, &last); err != nil {
			return err
		}
		if now.Sub(nanos(last)) >= p.Forget {
			n = 0
		}
		if n >= p.Free {
			if wait = nanos(last).Add(p.Delay(n)).Sub(now); wait > 0 {
				return nil
			}
		}
		ok = true
		_, err := tx.ExecContext(ctx, s.d.q(`UPDATE signin_failures SET n = ?, last = ? WHERE key = ?`), n+1, now.UnixNano(), key)
		return err
	})
	if err != nil {
		return false, 0, fmt.Errorf("sign-in failures: %w", err)
	}
	return ok, wait, nil
}

// ForgetFailures forgets key's failures: successes never count.
func (s *Store) ForgetFailures(ctx context.Context, key string) error {
	_, err := s.db.ExecContext(ctx, s.d.q(`DELETE FROM signin_failures WHERE key = ?`), limitKey(key))
	return err
}

// UndoFailure takes back a try of key that was neither a success nor a
// failure (the store did not answer).
func (s *Store) UndoFailure(ctx context.Context, key string) error {
	_, err := s.db.ExecContext(ctx, s.d.q(`UPDATE signin_failures SET n = n - 1 WHERE key = ? AND n > 0`), limitKey(key))
	return err
}

// PruneLimits forgets full buckets and old failures.
func (s *Store) PruneLimits(ctx context.Context, olderThan time.Duration) error {
	cut := s.now().Add(-olderThan).UnixNano()
	_, err := s.db.ExecContext(ctx, s.d.q(`DELETE FROM rate_buckets WHERE at < ?`), cut)
	if err == nil {
		_, err = s.db.ExecContext(ctx, s.d.q(`DELETE FROM signin_failures WHERE last < ?`), cut)
	}
	if err == nil {
		_, err = s.db.ExecContext(ctx, s.d.q(`DELETE FROM status_tries WHERE since < ?`), cut)
	}
	return err
}

func (s *Store) limitTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		return errors.Join(err, tx.Rollback())
	}
	return tx.Commit()
}
