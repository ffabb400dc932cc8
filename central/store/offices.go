package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/okno-mfc/okno/domain"
)

// The offices' public profiles (domain.Office): name, language, calendar,
// time zone, opening hours and daily limits, for the hall board and the
// kiosk. Kept as JSON, so a field added to domain.Office needs no
// migration.

// PutOffice validates o and keeps it as its office's profile (replacing
// the one before).
func (s *Store) PutOffice(ctx context.Context, o domain.Office) error {
	if err := o.Validate(); err != nil {
		return err
	}
	body, err := json.Marshal(o)
	if err != nil {
		return err
	}
	err = s.WithTx(ctx, func(t *Tx) error {
		return t.upsert("offices", []string{"code"}, nil, 1, func(int) []any {
			return []any{o.Code, string(body), t.now}
		}, "profile", "updated_at")
	})
	if err == nil {
		s.offices.Delete(o.Code)
	}
	return err
}

// Office is an office's profile; domain.ErrNotFound when the central has
// none for code. Profiles are cached for a few seconds: the public pages
// read one on every request.
func (s *Store) Office(ctx context.Context, code string) (*domain.Office, error) {
	if c, ok := s.offices.Load(code); ok {
		if e := c.(officeEntry); time.Since(e.at) < officeCacheAge {
			return e.office, e.err
		}
	}
	var body string
	err := s.rdb.QueryRowContext(ctx, s.d.q(`SELECT profile FROM offices WHERE code = ?`), code).Scan(&body)
	var o *domain.Office
	switch {
	case errors.Is(err, sql.ErrNoRows):
		err = fmt.Errorf("no office %s: the central has no profile of it (okno serve --offices): %w", code, domain.ErrNotFound)
	case err != nil:
		return nil, err
	default:
		o = &domain.Office{}
		if err := json.Unmarshal([]byte(body), o); err != nil {
			return nil, fmt.Errorf("stored office %s: %w", code, err)
		}
	}
	s.offices.Store(code, officeEntry{office: o, err: err, at: time.Now()})
	return o, err
}

// officeCacheAge is how long a profile read is reused.
const officeCacheAge = 5 * time.Second

type officeEntry struct {
	office *domain.Office
	err    error
	at     time.Time
}

// OfficeProfiles lists every office's profile, by code.
func (s *Store) OfficeProfiles(ctx context.Context) ([]domain.Office, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT profile FROM offices ORDER BY code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Office
	for rows.Next() {
		var body string
		if err := rows.Scan(&body); err != nil {
			return nil, err
		}
		var o domain.Office
		if err := json.Unmarshal([]byte(body), &o); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// Call is a ticket called to a window, as the hall board shows it.
type Call struct {
	Number   string
	Service  string
	Window   int
	State    domain.TicketState
	CalledAt time.Time // the first call
	MovedAt  time.Time // the latest move: a recall while it is still called
}

// LatestCalls lists the office's latest calls since since, newest first,
// at most limit: tickets called to a window (still there or gone on).
func (s *Store) LatestCalls(ctx context.Context, office string, since time.Time, limit int) ([]Call, error) {
	rows, err := s.rdb.QueryContext(ctx, s.d.q(`SELECT number, service, win, state, called_at, moved_at FROM tickets
		WHERE office = ? AND issued_at >= ? AND called_at > 0 AND win > 0 ORDER BY called_at DESC, id DESC LIMIT ?`),
		office, since.UnixNano(), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Call
	for rows.Next() {
		var c Call
		var state string
		var called, moved int64
		if err := rows.Scan(&c.Number, &c.Service, &c.Window, &state, &called, &moved); err != nil {
			return nil, err
		}
		c.State, c.CalledAt, c.MovedAt = domain.TicketState(state), nanos(called), nanos(moved)
		out = append(out, c)
	}
	return out, rows.Err()
}
