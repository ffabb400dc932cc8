package central

import (
	"context"
	"net/http"
	"time"
)

// Idempotency: POSTs whose effect is not idempotent by nature (a status
// change, a call from the shared queue) remember their answer by the
// caller's Idempotency-Key, in the same transaction as the effect, so a
// retried request gets the first answer instead of a second effect. Events
// need no key: their id is theirs.

// idemKeep is how long answers are kept for replay.
const idemKeep = 24 * time.Hour

type replayed struct {
	status int
	body   []byte
}

// replay returns the remembered answer for (login, key), or nil. A key used
// for another request is a 422.
func (t *txn) replay(login, key, route string) (*replayed, error) {
	if key == "" {
		return nil, nil
	}
	var r replayed
	var was, body string
	found, err := t.scan(`SELECT route, status, body FROM idempotency WHERE login = ? AND key = ?`, []any{login, key}, &was, &r.status, &body)
	if err != nil || !found {
		return nil, err
	}
	if was != route {
		return nil, errorf(http.StatusUnprocessableEntity, "invalid", "this Idempotency-Key was used for another request (%s); make a new key for each logical request", was)
	}
	r.body = []byte(body)
	return &r, nil
}

// remember keeps the answer of a request for replay.
func (t *txn) remember(login, key, route string, status int, body []byte) error {
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
