package store

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Write locks (issue 17). Each office's writes are serialised, not every
// write in the country: on PostgreSQL a transaction takes an exclusive
// advisory lock per office it writes (the second key a hash of the office
// code; two offices sharing a hash only wait for each other), after a
// shared lock that every writer holds. Different offices commit in
// parallel, on every replica sharing the database.
//
// Why per office: the feed of an office is read in the order of the
// events' positions, and a reader must never move its cursor past a
// position that commits later. Positions come from one sequence; under
// the office's lock, the positions of an office are taken and committed
// in order, so an office's feed never skips one. The shared lock is for
// the feed of every office (an all-offices caller): that reader takes it
// exclusively for a moment, which waits for the writers in flight, reads
// the newest position, and lets them go (Store.feedHorizon). The
// shared lock is also what a transaction that writes to every office
// (a catalogue published) takes exclusively (LockAll).
//
// SQLite has one writer connection and BEGIN IMMEDIATE: every lock is
// there already.

// errLockOrder is a bug: LockAll must come before any office's lock.
var errLockOrder = errors.New("store: LockAll after an office's lock in the same transaction")

// lock takes the write locks of the offices not held yet.
func (t *Tx) lock(offices ...string) error {
	if t.s.d.name != "postgres" || t.lockedAll {
		return nil
	}
	var want []string
	for _, o := range offices {
		if !t.locked[o] && !slices.Contains(want, o) {
			want = append(want, o)
		}
	}
	if len(want) == 0 {
		return nil
	}
	// Sorted, so two transactions that lock several offices at once
	// cannot deadlock. (A transaction that locks one office and later
	// another could; none does: the ingest locks a group's offices at
	// once, every other writer touches one office. PostgreSQL would
	// break such a deadlock by failing one of the two.)
	slices.Sort(want)
	// One statement, one round trip: PostgreSQL evaluates a select list
	// in its order, so the shared lock comes first and the offices' locks
	// in sorted order after it.
	var q strings.Builder
	q.WriteString("SELECT ")
	if !t.shared {
		q.WriteString("pg_advisory_xact_lock_shared(84200001), ")
	}
	args := make([]any, len(want))
	for i, o := range want {
		if i > 0 {
			q.WriteString(", ")
		}
		fmt.Fprintf(&q, "pg_advisory_xact_lock(8420, hashtext($%d))", i+1)
		args[i] = o
	}
	what := "take the write locks of offices " + strings.Join(want, ", ")
	if t.queued() {
		// With the reads that follow it, in one round trip (pipe.go).
		t.queue(what, q.String(), args, nil)
	} else {
		if err := t.send(); err != nil {
			return err
		}
		t.s.trips.Add(1)
		if _, err := t.tx.ExecContext(t.ctx, q.String(), args...); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
	}
	t.shared = true
	for _, o := range want {
		t.locked[o] = true
	}
	return nil
}

// LockAll takes the write lock of every office at once, before any other
// write of the transaction: for the rare writes that touch every office
// (a catalogue published to all of them).
func (t *Tx) LockAll() error {
	if t.s.d.name != "postgres" || t.lockedAll {
		return nil
	}
	if t.shared {
		return errLockOrder
	}
	if err := t.send(); err != nil {
		return err
	}
	t.s.trips.Add(1)
	if _, err := t.tx.ExecContext(t.ctx, `SELECT pg_advisory_xact_lock(84200001)`); err != nil {
		return fmt.Errorf("take the write lock of every office: %w", err)
	}
	t.lockedAll = true
	return nil
}
