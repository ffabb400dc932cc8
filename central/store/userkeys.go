package store

import (
	"context"
	"crypto/rsa"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"

	"github.com/okno-mfc/okno/domain"
)

// UserKey is a person's public SSH key: with it they open the supervisor's
// board over SSH (okno serve --ssh-addr), if their role allows.
type UserKey struct {
	Login       string
	Fingerprint string // SHA256:… as ssh-keygen -l prints it
	Type        string // ssh-ed25519, ecdsa-sha2-nistp256, ssh-rsa, …
	PublicKey   string // the authorized_keys form, without the comment
	Comment     string
	CreatedAt   time.Time
}

// MinRSABits is the least RSA modulus a registered key may have.
const MinRSABits = 2048

// ParseUserKey reads one line of an authorized_keys file (or a .pub
// file) into a key to register, refusing what a board must not take: key
// options (from=, command=…), certificates, DSA keys and RSA keys under
// MinRSABits.
func ParseUserKey(line string) (UserKey, error) {
	line = strings.TrimSpace(line)
	if line == "" {
		return UserKey{}, errors.New("no key: give one line of the form `ssh-ed25519 AAAA… comment` (the contents of a .pub file)")
	}
	pub, comment, options, rest, err := ssh.ParseAuthorizedKey([]byte(line))
	if err != nil {
		return UserKey{}, fmt.Errorf("not a public SSH key (%w): give the contents of a .pub file, e.g. ~/.ssh/id_ed25519.pub", err)
	}
	if len(strings.TrimSpace(string(rest))) > 0 {
		return UserKey{}, errors.New("more than one key on the line: give one key per line")
	}
	if len(options) > 0 {
		return UserKey{}, fmt.Errorf("key options (%s) are not taken here: give the key alone, `type base64 comment`", strings.Join(options, ","))
	}
	switch pub.Type() {
	case "ssh-dss": // ssh.KeyAlgoDSA, deprecated with DSA itself
		return UserKey{}, errors.New("a DSA key (ssh-dss) is no longer safe: make an ed25519 key with ssh-keygen -t ed25519")
	case ssh.KeyAlgoRSA:
		if ck, ok := pub.(ssh.CryptoPublicKey); ok {
			if rk, ok := ck.CryptoPublicKey().(*rsa.PublicKey); ok && rk.N.BitLen() < MinRSABits {
				return UserKey{}, fmt.Errorf("an RSA key of %d bits is too weak: use at least %d bits, or ssh-keygen -t ed25519", rk.N.BitLen(), MinRSABits)
			}
		}
	}
	if _, ok := pub.(*ssh.Certificate); ok {
		return UserKey{}, errors.New("an SSH certificate is not taken: give the plain public key")
	}
	comment = strings.TrimSpace(comment)
	if err := domain.CheckText(comment); err != nil || len(comment) > 200 {
		comment = ""
	}
	return UserKey{
		Fingerprint: ssh.FingerprintSHA256(pub),
		Type:        pub.Type(),
		PublicKey:   strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pub))),
		Comment:     comment,
	}, nil
}

// AddUserKey registers k for the person login. domain.ErrNotFound if
// there is no such person; ErrExists if the key is registered already
// (to anyone: a key names one person).
func (s *Store) AddUserKey(ctx context.Context, login string, k UserKey) error {
	if k.Fingerprint == "" || k.PublicKey == "" {
		return errors.New("the key is empty: read it with ParseUserKey")
	}
	return s.WithTx(ctx, func(t *Tx) error {
		var n int
		if _, err := t.scan(`SELECT COUNT(*) FROM users WHERE login = ?`, []any{login}, &n); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("user %s: %w", login, domain.ErrNotFound)
		}
		var owner string
		found, err := t.scan(`SELECT login FROM user_keys WHERE fingerprint = ?`, []any{k.Fingerprint}, &owner)
		if err != nil {
			return err
		}
		if found {
			return fmt.Errorf("the key %s is registered to %s already: %w", k.Fingerprint, owner, ErrExists)
		}
		return t.exec(`INSERT INTO user_keys (fingerprint, login, key_type, public_key, comment, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			k.Fingerprint, login, k.Type, k.PublicKey, k.Comment, t.now)
	})
}

// UserKeys lists the keys of login ("" for everyone's), by login and date.
func (s *Store) UserKeys(ctx context.Context, login string) ([]UserKey, error) {
	q := `SELECT login, fingerprint, key_type, public_key, comment, created_at FROM user_keys`
	var args []any
	if login != "" {
		q += ` WHERE login = ?`
		args = append(args, login)
	}
	rows, err := s.rdb.QueryContext(ctx, s.d.q(q+` ORDER BY login, created_at, fingerprint`), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []UserKey
	for rows.Next() {
		var k UserKey
		var created int64
		if err := rows.Scan(&k.Login, &k.Fingerprint, &k.Type, &k.PublicKey, &k.Comment, &created); err != nil {
			return nil, err
		}
		k.CreatedAt = nanos(created)
		out = append(out, k)
	}
	return out, rows.Err()
}

// RemoveUserKey removes login's key with the fingerprint; domain.ErrNotFound
// if login has no such key.
func (s *Store) RemoveUserKey(ctx context.Context, login, fingerprint string) error {
	return s.WithTx(ctx, func(t *Tx) error {
		n, err := t.execResult(`DELETE FROM user_keys WHERE login = ? AND fingerprint = ?`, login, fingerprint)
		if err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("%s has no key %s (okno user key list shows the fingerprints): %w", login, fingerprint, domain.ErrNotFound)
		}
		return nil
	})
}

// UserByKey is the person whose key has the fingerprint, with their role
// and office as they are now; domain.ErrNotFound for a key nobody
// registered.
func (s *Store) UserByKey(ctx context.Context, fingerprint string) (User, error) {
	var u User
	var role string
	var created int64
	err := s.rdb.QueryRowContext(ctx, s.d.q(`SELECT u.login, u.name, u.role, u.office, u.created_at
		FROM user_keys k JOIN users u ON u.login = k.login WHERE k.fingerprint = ?`), fingerprint).
		Scan(&u.Login, &u.Name, &role, &u.Office, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, fmt.Errorf("key %s: %w", fingerprint, domain.ErrNotFound)
	}
	if err != nil {
		return User{}, err
	}
	u.Role, u.CreatedAt = domain.Role(role), nanos(created)
	return u, nil
}
