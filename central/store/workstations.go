package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
)

// WorkstationLogin is the login of the workstation at an office's window.
func WorkstationLogin(office string, window int) string {
	return fmt.Sprintf("ws-%s-%02d", office, window)
}

// CheckEnrol says what is wrong with an enrolment request.
func CheckEnrol(r *api.EnrolRequest) error {
	switch {
	case !domain.ValidOffice(r.Office):
		return &domain.InvalidError{Field: "office", Problem: domain.ProblemFormat, Message: "must be 2–8 capital Latin letters or digits"}
	case r.Window < 1 || r.Window > 999:
		return &domain.InvalidError{Field: "window", Problem: domain.ProblemRange, Message: "must be 1–999 (window 0 is the central's own)"}
	case r.LastSeq < 0:
		return &domain.InvalidError{Field: "last_seq", Problem: domain.ProblemRange, Message: "must be 0 or more"}
	}
	if r.PublicKey != "" {
		k, err := base64.StdEncoding.DecodeString(r.PublicKey)
		if err != nil || len(k) != 32 {
			return &domain.InvalidError{Field: "public_key", Problem: domain.ProblemFormat, Message: "must be a base64 Ed25519 public key (32 bytes)"}
		}
	}
	for _, e := range r.Equipment {
		if e == "" || len(e) > 64 || strings.Contains(e, ",") {
			return &domain.InvalidError{Field: "equipment", Problem: domain.ProblemFormat, Message: "each item must be 1–64 characters without commas"}
		}
	}
	return nil
}

// Enrol registers (or re-registers) the workstation at an office's window
// and returns its login and a new secret. Enrolling the same window again
// replaces the key, the equipment and the secret, and ends the sessions of
// the old secret.
func (s *Store) Enrol(ctx context.Context, r api.EnrolRequest) (api.EnrolResponse, error) {
	if err := CheckEnrol(&r); err != nil {
		return api.EnrolResponse{}, err
	}
	login := WorkstationLogin(r.Office, r.Window)
	secret, hash, err := newToken()
	if err != nil {
		return api.EnrolResponse{}, err
	}
	err = s.WithTx(ctx, func(t *Tx) error {
		err := t.exec(`INSERT INTO workstations (login, office, win, public_key, token_hash, equipment, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (login) DO UPDATE SET public_key = excluded.public_key, token_hash = excluded.token_hash,
				equipment = excluded.equipment`,
			login, r.Office, r.Window, r.PublicKey, hash, strings.Join(r.Equipment, ","), t.now)
		if err != nil {
			return err
		}
		if r.PublicKey != "" {
			err = t.exec(`INSERT INTO workstation_keys (office, win, public_key, enrolled_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (office, win, public_key) DO NOTHING`, r.Office, r.Window, r.PublicKey, t.now)
			if err != nil {
				return err
			}
		}
		return t.exec(`DELETE FROM sessions WHERE login = ?`, login)
	})
	if err != nil {
		return api.EnrolResponse{}, fmt.Errorf("enrol %s: %w", login, err)
	}
	return api.EnrolResponse{Login: login, Token: secret, CentralKey: s.centralKey()}, nil
}

// KnowsOffice says whether the central knows anything of an office: a
// user, a workstation or an event of it.
func (s *Store) KnowsOffice(ctx context.Context, office string) (bool, error) {
	var known int
	err := s.rdb.QueryRowContext(ctx, s.d.q(`SELECT
		(SELECT COUNT(*) FROM workstations WHERE office = ?) + (SELECT COUNT(*) FROM streams WHERE office = ?) +
		(SELECT COUNT(*) FROM users WHERE office = ?)`), office, office, office).Scan(&known)
	if err != nil {
		return false, fmt.Errorf("office %s: %w", office, err)
	}
	return known > 0, nil
}

// OfficeKeys lists the keys that sign an office's events: the central's
// and every key enrolled for each of its windows, oldest first.
// domain.ErrNotFound when the central knows nothing of the office (no user,
// workstation or event of it).
func (s *Store) OfficeKeys(ctx context.Context, office string) (api.OfficeKeys, error) {
	out := api.OfficeKeys{Office: office, CentralKey: s.centralKey(), Windows: []api.WindowKey{}}
	known, err := s.KnowsOffice(ctx, office)
	if err != nil {
		return out, err
	}
	if !known {
		return out, fmt.Errorf("office %s: the central knows no user, workstation or event of it: %w", office, domain.ErrNotFound)
	}
	rows, err := s.rdb.QueryContext(ctx, s.d.q(`SELECT win, public_key, enrolled_at FROM workstation_keys
		WHERE office = ? ORDER BY win, enrolled_at, public_key`), office)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	for rows.Next() {
		var k api.WindowKey
		var at int64
		if err := rows.Scan(&k.Window, &k.PublicKey, &at); err != nil {
			return out, err
		}
		k.EnrolledAt = nanos(at)
		out.Windows = append(out.Windows, k)
	}
	return out, rows.Err()
}

// Workstation is an enrolled workstation as the central knows it.
type Workstation struct {
	Login     string
	Office    string
	Window    int
	PublicKey string // base64 Ed25519, for issue 6's signature checks
	Equipment []string
}

// Workstation finds the workstation at an office's window; domain.ErrNotFound if
// none was enrolled.
func (s *Store) Workstation(ctx context.Context, office string, window int) (Workstation, error) {
	w := Workstation{Office: office, Window: window}
	var eq string
	err := s.rdb.QueryRowContext(ctx, s.d.q(`SELECT login, public_key, equipment FROM workstations WHERE office = ? AND win = ?`), office, window).
		Scan(&w.Login, &w.PublicKey, &eq)
	if errors.Is(err, sql.ErrNoRows) {
		return w, domain.ErrNotFound
	}
	if err != nil {
		return w, err
	}
	if eq != "" {
		w.Equipment = strings.Split(eq, ",")
	}
	return w, nil
}
