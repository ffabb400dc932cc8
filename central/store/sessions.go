package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
)

// Session is a signed-in caller.
type Session struct {
	domain.Operator
	TokenHash string    // hex SHA-256 of the bearer token
	ExpiresAt time.Time // absolute end
}

// AllOffices reports whether the caller sees every office.
func (s *Session) AllOffices() bool { return s.Office == AllOffices }

// SeesOffice reports whether the caller may see office's data.
func (s *Session) SeesOffice(office string) bool { return s.AllOffices() || s.Office == office }

// ErrNoSession says a session token is unknown, expired or revoked. A
// wrong login or password is domain.ErrBadCredentials, as at a window.
var ErrNoSession = errors.New("no such session, or it expired or was revoked")

// slideEvery is how stale last_used may get before a use writes it again.
const slideEvery = time.Minute

// newToken returns a 256-bit random token (base64url) and its hash.
func newToken() (token, hash string, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", "", fmt.Errorf("token: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token), nil
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// SignIn checks a login and password (a person's argon2id hash, or a
// workstation's secret) and opens a session. window is the window a person
// works at (0 for none); a workstation's window is its own.
func (s *Store) SignIn(ctx context.Context, login, password string, window int) (api.SignInResponse, error) {
	var op domain.Operator
	var err error
	if strings.HasPrefix(login, "ws-") {
		op, err = s.checkWorkstation(ctx, login, password)
	} else {
		op, err = s.checkUser(ctx, login, password)
		op.Window = window
	}
	if err != nil {
		return api.SignInResponse{}, err
	}
	token, exp, err := s.CreateSession(ctx, op)
	if err != nil {
		return api.SignInResponse{}, err
	}
	return api.SignInResponse{Token: token, ExpiresAt: exp, Operator: op}, nil
}

func (s *Store) checkUser(ctx context.Context, login, password string) (domain.Operator, error) {
	var op domain.Operator
	var role, hash string
	err := s.rdb.QueryRowContext(ctx, s.d.q(`SELECT login, name, role, office, department, pass_hash FROM users WHERE login = ?`), login).
		Scan(&op.Login, &op.Name, &role, &op.Office, &op.Department, &hash)
	found := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return op, err
	}
	if !found {
		hash = s.dummyHash()
	}
	ok := false
	var cerr error
	if err := s.withHashSlot(ctx, func() { ok, cerr = checkPassword(hash, password) }); err != nil {
		return op, err
	}
	if cerr != nil {
		return op, fmt.Errorf("user %s: stored hash: %w", login, cerr)
	}
	if !found || !ok {
		return op, domain.ErrBadCredentials
	}
	op.Role = domain.Role(role)
	return op, nil
}

func (s *Store) checkWorkstation(ctx context.Context, login, secret string) (domain.Operator, error) {
	op := domain.Operator{Login: login, Role: domain.RoleWorkstation}
	var want string
	err := s.rdb.QueryRowContext(ctx, s.d.q(`SELECT office, win, token_hash FROM workstations WHERE login = ?`), login).
		Scan(&op.Office, &op.Window, &want)
	if errors.Is(err, sql.ErrNoRows) {
		return op, domain.ErrBadCredentials
	}
	if err != nil {
		return op, err
	}
	if subtle.ConstantTimeCompare([]byte(hashToken(secret)), []byte(want)) != 1 {
		return op, domain.ErrBadCredentials
	}
	_, err = s.db.ExecContext(ctx, s.d.q(`UPDATE workstations SET last_seen = ? WHERE login = ?`), s.now().UnixNano(), login)
	return op, err
}

// CreateSession opens a session for op without a password (sign-in after
// the check, and tests) and returns its bearer token and absolute expiry.
func (s *Store) CreateSession(ctx context.Context, op domain.Operator) (string, time.Time, error) {
	token, hash, err := newToken()
	if err != nil {
		return "", time.Time{}, err
	}
	now := s.now()
	exp := now.Add(s.sessionMax)
	_, err = s.db.ExecContext(ctx, s.d.q(`INSERT INTO sessions (token_hash, login, name, role, office, win, department, created_at, expires_at, last_used)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		hash, op.Login, op.Name, string(op.Role), op.Office, op.Window, op.Department, now.UnixNano(), exp.UnixNano(), now.UnixNano())
	if err != nil {
		return "", time.Time{}, fmt.Errorf("store the session: %w", err)
	}
	return token, exp.UTC(), nil
}

// Authenticate finds the live session of a bearer token, sliding its idle
// expiry. ErrNoSession if there is none.
func (s *Store) Authenticate(ctx context.Context, token string) (*Session, error) {
	if token == "" || len(token) > 128 {
		return nil, ErrNoSession
	}
	ss := &Session{TokenHash: hashToken(token)}
	var role string
	var exp, last int64
	err := s.rdb.QueryRowContext(ctx, s.d.q(`SELECT login, name, role, office, win, department, expires_at, last_used FROM sessions WHERE token_hash = ?`), ss.TokenHash).
		Scan(&ss.Login, &ss.Name, &role, &ss.Office, &ss.Window, &ss.Department, &exp, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNoSession
	}
	if err != nil {
		return nil, err
	}
	ss.Role, ss.ExpiresAt = domain.Role(role), nanos(exp)
	now := s.now()
	if now.UnixNano() >= exp || now.Sub(nanos(last)) >= s.sessionIdle {
		_, _ = s.db.ExecContext(ctx, s.d.q(`DELETE FROM sessions WHERE token_hash = ?`), ss.TokenHash)
		return nil, ErrNoSession
	}
	if now.Sub(nanos(last)) >= slideEvery {
		if _, err := s.db.ExecContext(ctx, s.d.q(`UPDATE sessions SET last_used = ? WHERE token_hash = ?`), now.UnixNano(), ss.TokenHash); err != nil {
			return nil, fmt.Errorf("slide the session: %w", err)
		}
	}
	return ss, nil
}

// Revoke ends the session with this token hash.
func (s *Store) Revoke(ctx context.Context, tokenHash string) error {
	_, err := s.db.ExecContext(ctx, s.d.q(`DELETE FROM sessions WHERE token_hash = ?`), tokenHash)
	return err
}

// PruneSessions deletes sessions past their idle or absolute expiry.
func (s *Store) PruneSessions(ctx context.Context) error {
	now := s.now()
	_, err := s.db.ExecContext(ctx, s.d.q(`DELETE FROM sessions WHERE expires_at <= ? OR last_used <= ?`),
		now.UnixNano(), now.Add(-s.sessionIdle).UnixNano())
	return err
}
