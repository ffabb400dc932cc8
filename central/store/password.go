package store

import (
	"context"

	"github.com/okno-mfc/okno/internal/passwd"
)

// Passwords are argon2id hashes in the PHC string format, made and checked
// by internal/passwd: the one implementation the central and the
// workstation's offline sign-in share.

// Argon2Params is the cost of an argon2id password hash.
type Argon2Params = passwd.Params

// DefaultArgon2 is the OWASP minimum for argon2id: 19 MiB, 2 passes, 1 lane.
var DefaultArgon2 = passwd.Default

// MinPasswordLen is the shortest password `okno user add` accepts.
const MinPasswordLen = 8

// hashPassword returns the PHC string of an argon2id hash of password:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>.
func hashPassword(p Argon2Params, password string) (string, error) {
	return passwd.Hash(password, p)
}

// checkPassword reports whether password matches the PHC string phc, with
// the cost written in phc, comparing in constant time.
func checkPassword(phc, password string) (bool, error) { return passwd.Verify(phc, password) }

// withHashSlot runs fn while holding one of the store's hashing slots, so a
// burst of sign-ins cannot take 19 MiB each all at once.
func (s *Store) withHashSlot(ctx context.Context, fn func()) error {
	select {
	case s.hashSlots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-s.hashSlots }()
	fn()
	return nil
}

// dummyHash is checked against when the login does not exist, so the
// answer takes as long as for a wrong password.
func (s *Store) dummyHash() string {
	s.dummyOnce.Do(func() {
		s.dummy, _ = hashPassword(s.argon, "okno: no such user")
	})
	return s.dummy
}
