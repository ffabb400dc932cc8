package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// Idempotency: POSTs whose effect is not idempotent by nature (a status
// change, a call from the shared queue) remember their answer by the
// caller's Idempotency-Key, in the same transaction as the effect, so a
// retried request gets the first answer instead of a second effect. Events
// need no key: their id is theirs.

// idemKeep is how long answers are kept for replay.
const idemKeep = 24 * time.Hour

// Answer is the answer of a remembered request: its HTTP status and body.
type Answer struct {
	Status   int
	Body     []byte
	Replayed bool // the remembered answer of an earlier request with the same key
}

// KeyReusedError says an Idempotency-Key was used before for another
// request.
type KeyReusedError struct {
	Route string // the request it was used for
}

func (e *KeyReusedError) Error() string {
	return fmt.Sprintf("this Idempotency-Key was used for another request (%s); make a new key for each logical request", e.Route)
}

// Once runs fn in a write transaction and returns its answer (status and
// value, encoded as JSON), remembering it under the caller's key (if any)
// in the same transaction; a retry with the same key and route gets the
// remembered answer and fn is not run. A key used for another route is a
// *KeyReusedError.
func (s *Store) Once(ctx context.Context, login, key, route string, fn func(*Tx) (int, any, error)) (Answer, error) {
	var a Answer
	err := s.WithTx(ctx, func(t *Tx) error {
		rep, err := t.replay(login, key, route)
		if err != nil || rep != nil {
			if rep != nil {
				a = *rep
			}
			return err
		}
		status, resp, err := fn(t)
		if err != nil {
			return err
		}
		body, err := json.Marshal(resp)
		if err != nil {
			return err
		}
		a = Answer{Status: status, Body: body}
		return t.remember(login, key, route, status, body)
	})
	if err != nil {
		return Answer{}, err
	}
	return a, nil
}

// replay returns the remembered answer for (login, key), or nil.
func (t *Tx) replay(login, key, route string) (*Answer, error) {
	if key == "" {
		return nil, nil
	}
	var a Answer
	var was, body string
	found, err := t.scan(`SELECT route, status, body FROM idempotency WHERE login = ? AND key = ?`, []any{login, key}, &was, &a.Status, &body)
	if err != nil || !found {
		return nil, err
	}
	if was != route {
		return nil, &KeyReusedError{Route: was}
	}
	a.Body, a.Replayed = []byte(body), true
	return &a, nil
}

// remember keeps the answer of a request for replay.
func (t *Tx) remember(login, key, route string, status int, body []byte) error {
	if key == "" {
		return nil
	}
	return t.exec(`INSERT INTO idempotency (login, key, route, status, body, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		login, key, route, status, string(body), t.now)
}

// PruneIdempotency forgets answers older than a day.
func (s *Store) PruneIdempotency(ctx context.Context) error {
	_, err := s.db.ExecContext(ctx, s.d.q(`DELETE FROM idempotency WHERE created_at < ?`), s.now().Add(-idemKeep).UnixNano())
	return err
}
