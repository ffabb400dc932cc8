package store

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/okno-mfc/okno/domain"
)

// User is a person who signs in: a clerk, a supervisor, a department's
// officer or an administrator. Office "*" (supervisor, department, admin)
// means every office.
type User struct {
	Login  string
	Name   string
	Role   domain.Role
	Office string
	// Department: a department's officer's department (the catalogue's
	// Service.Department, or domain.AllDepartments); empty for the others.
	Department string
	CreatedAt  time.Time
}

// AllOffices is the office of a user who sees every office.
const AllOffices = "*"

// ErrExists says a thing to create is there already. What is not found
// is domain.ErrNotFound, as everywhere.
var ErrExists = errors.New("already exists")

var loginRe = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,63}$`)

// CheckUser says what is wrong with u as a new user, in words an
// administrator can act on.
func CheckUser(u User) error {
	switch {
	case !loginRe.MatchString(u.Login):
		return fmt.Errorf("login %q: use 2–64 lower-case Latin letters, digits, dots, dashes or underscores", u.Login)
	case strings.HasPrefix(u.Login, "ws-"):
		return fmt.Errorf("login %q: logins starting with ws- belong to workstations", u.Login)
	}
	known := false
	for _, r := range domain.Roles {
		known = known || r == u.Role
	}
	if !known {
		return fmt.Errorf("role %q: must be one of clerk, supervisor, department, admin", u.Role)
	}
	if u.Office == AllOffices {
		if u.Role == domain.RoleClerk {
			return errors.New("office *: a clerk works at one office; give its code")
		}
	} else if !domain.ValidOffice(u.Office) {
		return fmt.Errorf("office %q: must be 2–8 capital Latin letters or digits (or * for every office)", u.Office)
	}
	if err := checkDepartment(u.Role, u.Department); err != nil {
		return err
	}
	if len([]rune(u.Name)) > 200 {
		return errors.New("name: at most 200 characters")
	}
	return nil
}

// checkDepartment says what is wrong with the department of a user of a
// role: an officer needs one, the others have none.
func checkDepartment(role domain.Role, dept string) error {
	switch {
	case role == domain.RoleDepartment && strings.TrimSpace(dept) == "":
		return errors.New("department: a department's officer works for one department: give its name as the catalogue has it (okno catalog show), or * for every department")
	case role != domain.RoleDepartment && dept != "":
		return fmt.Errorf("department: only a department's officer has one, not a %s", role)
	case len([]rune(dept)) > 200 || strings.TrimSpace(dept) != dept:
		return errors.New("department: at most 200 characters, without spaces around")
	}
	return nil
}

// CheckPassword says what is wrong with a new password.
func CheckPassword(p string) error {
	switch {
	case p == "":
		return errors.New("the password is empty: type one line on standard input")
	case len([]rune(p)) < MinPasswordLen:
		return fmt.Errorf("the password is too short: use at least %d characters", MinPasswordLen)
	case len(p) > 1024:
		return errors.New("the password is too long: use at most 1024 bytes")
	}
	return nil
}

// AddUser adds a user with an argon2id hash of password. ErrExists if the
// login is taken.
func (s *Store) AddUser(ctx context.Context, u User, password string) error {
	if err := CheckUser(u); err != nil {
		return err
	}
	if err := CheckPassword(password); err != nil {
		return err
	}
	hash, err := hashPassword(s.argon, password)
	if err != nil {
		return err
	}
	return s.WithTx(ctx, func(t *Tx) error {
		var n int
		if _, err := t.scan(`SELECT COUNT(*) FROM users WHERE login = ?`, []any{u.Login}, &n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("user %s: %w", u.Login, ErrExists)
		}
		return t.exec(`INSERT INTO users (login, name, role, office, department, pass_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			u.Login, u.Name, string(u.Role), u.Office, u.Department, hash, t.now)
	})
}

// SetPassword replaces a user's password and ends the user's sessions.
func (s *Store) SetPassword(ctx context.Context, login, password string) error {
	if err := CheckPassword(password); err != nil {
		return err
	}
	hash, err := hashPassword(s.argon, password)
	if err != nil {
		return err
	}
	return s.WithTx(ctx, func(t *Tx) error {
		n, err := t.execResult(`UPDATE users SET pass_hash = ? WHERE login = ?`, hash, login)
		if err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("user %s: %w", login, domain.ErrNotFound)
		}
		return t.exec(`DELETE FROM sessions WHERE login = ?`, login)
	})
}

// SetDepartment moves a department's officer to another department (or
// domain.AllDepartments) and ends the officer's sessions, which carry the
// old one. Another role's user is refused: only officers have one.
func (s *Store) SetDepartment(ctx context.Context, login, department string) error {
	return s.WithTx(ctx, func(t *Tx) error {
		var role string
		found, err := t.scan(`SELECT role FROM users WHERE login = ?`, []any{login}, &role)
		if err != nil {
			return err
		}
		if !found {
			return fmt.Errorf("user %s: %w", login, domain.ErrNotFound)
		}
		if err := checkDepartment(domain.Role(role), department); err != nil {
			return err
		}
		if err := t.exec(`UPDATE users SET department = ? WHERE login = ?`, department, login); err != nil {
			return err
		}
		return t.exec(`DELETE FROM sessions WHERE login = ?`, login)
	})
}

// Users lists the users by login (never their hashes).
func (s *Store) Users(ctx context.Context) ([]User, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT login, name, role, office, department, created_at FROM users ORDER BY login`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []User
	for rows.Next() {
		var u User
		var role string
		var created int64
		if err := rows.Scan(&u.Login, &u.Name, &role, &u.Office, &u.Department, &created); err != nil {
			return nil, err
		}
		u.Role, u.CreatedAt = domain.Role(role), nanos(created)
		out = append(out, u)
	}
	return out, rows.Err()
}
