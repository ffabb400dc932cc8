// Package statuscode makes and checks a case's status code: the six
// digits printed on the receipt beside the case number, with which the
// visitor (and nobody else) reads the case's status on the central's
// public pages.
//
// The workstation makes the code at hand-off (offline too), prints it,
// keeps it in its own file for a reprint, and sends only its hash in the
// case.handed_off event. The hash is argon2id over the case number and the
// code, with a random salt, in the PHC string format: a million codes are
// few, so the hash is slow on purpose (about 10 ms each), which makes
// trying them all from a copy of the event cost hours of CPU per case,
// while the central checks one try in the same 10 ms.
package statuscode

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"

	"github.com/okno-mfc/okno/internal/passwd"
)

// Digits is the code's length.
const Digits = 6

// Params are the hash's costs: 8 MiB and 1 pass.
var Params = passwd.Params{MemoryKiB: 8 * 1024, Time: 1, Threads: 1}

// New makes a random code from r (crypto/rand.Reader when nil): six
// digits, leading zeros kept, every value equally likely.
func New(r io.Reader) (string, error) {
	if r == nil {
		r = rand.Reader
	}
	n, err := rand.Int(r, big.NewInt(1_000_000))
	if err != nil {
		return "", fmt.Errorf("make a status code: %w", err)
	}
	return fmt.Sprintf("%06d", n.Int64()), nil
}

// Valid reports whether s has the shape of a code: six ASCII digits.
func Valid(s string) bool {
	if len(s) != Digits {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// Normalize strips the spaces and dashes a person may type into a code
// ("123 456", "123-456") and reports whether what is left is one.
func Normalize(s string) (string, bool) {
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\u00a0' {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	return s, Valid(s)
}

func input(number, code string) string { return "okno-status-v1\x00" + number + "\x00" + code }

// Hash hashes code for the case number (its canonical spelling).
func Hash(number, code string) (string, error) {
	if !Valid(code) {
		return "", errors.New("a status code is six digits")
	}
	return passwd.Hash(input(number, code), Params)
}

// Verify reports whether code is the one hashed in phc for number.
func Verify(phc, number, code string) bool {
	ok, err := passwd.Verify(phc, input(number, code))
	return err == nil && ok
}

// LooksHashed reports whether s has the shape of a hash this package
// makes (what a handed_off payload may carry).
func LooksHashed(s string) bool {
	return strings.HasPrefix(s, "$argon2id$") && len(s) <= 200 && strings.Count(s, "$") == 5
}
