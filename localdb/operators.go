package localdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/internal/passwd"
)

// RememberOperator keeps an argon2id hash of a password the central just
// accepted, so the operator can sign in here when the link is down.
func (s *Store) RememberOperator(ctx context.Context, op domain.Operator, password string, p passwd.Params) error {
	h, err := passwd.Hash(password, p)
	if err != nil {
		return err
	}
	return s.WithTx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO operators (login, name, role, office, hash, updated_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (login) DO UPDATE SET name = excluded.name, role = excluded.role, office = excluded.office, hash = excluded.hash, updated_at = excluded.updated_at`,
			op.Login, op.Name, string(op.Role), op.Office, h, s.Now().UTC().Format(timeFormat))
		return err
	})
}

// SignInOffline checks a password against the hash kept at the operator's
// last online sign-in.
func (s *Store) SignInOffline(ctx context.Context, login, password string) (domain.Operator, error) {
	var op domain.Operator
	var role, h string
	err := s.rdb.QueryRowContext(ctx, `SELECT login, name, role, office, hash FROM operators WHERE login = ?`, login).Scan(&op.Login, &op.Name, &role, &op.Office, &h)
	if errors.Is(err, sql.ErrNoRows) {
		return op, domain.ErrUnknownOffline
	}
	if err != nil {
		return op, err
	}
	ok, err := passwd.Verify(h, password)
	if err != nil {
		return op, fmt.Errorf("operator %s: %w", login, err)
	}
	if !ok {
		return op, domain.ErrBadCredentials
	}
	op.Role = domain.Role(role)
	op.Window = s.window
	return op, nil
}
