// Package passwd hashes and checks passwords with argon2id, in the PHC string
// format ($argon2id$v=19$m=19456,t=2,p=1$salt$hash), for the central's users
// and the workstation's offline sign-in alike.
package passwd

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id's costs.
type Params struct {
	MemoryKiB uint32
	Time      uint32
	Threads   uint8
}

// Default is the OWASP minimum: 19 MiB, 2 passes, 1 lane.
var Default = Params{MemoryKiB: 19 * 1024, Time: 2, Threads: 1}

// Fast is for tests only: a hash that costs microseconds.
var Fast = Params{MemoryKiB: 64, Time: 1, Threads: 1}

const saltLen, keyLen = 16, 32

var b64 = base64.RawStdEncoding

// Hash hashes password with a fresh random salt.
func Hash(password string, p Params) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("make a salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, keyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.MemoryKiB, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// The largest costs Verify computes: 2 GiB and 64 passes.
const (
	MaxMemoryKiB = 1 << 21
	MaxTime      = 64
)

// ErrMalformed says a stored hash is not an argon2id PHC string.
var ErrMalformed = errors.New("stored password hash is not an argon2id PHC string")

// Verify reports whether password matches the PHC string, in constant time.
func Verify(phc, password string) (bool, error) {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return false, ErrMalformed
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return false, ErrMalformed
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Time, &p.Threads); err != nil {
		return false, ErrMalformed
	}
	// Costs beyond these bounds are refused, not computed: a hash planted
	// with m=4 GiB must not take the checker's memory.
	if p.MemoryKiB == 0 || p.MemoryKiB > MaxMemoryKiB || p.Time == 0 || p.Time > MaxTime || p.Threads == 0 {
		return false, ErrMalformed
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, ErrMalformed
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 || len(want) > 1024 {
		return false, ErrMalformed
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}
