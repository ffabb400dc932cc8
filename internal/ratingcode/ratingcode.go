// Package ratingcode makes and reads the rating codes of issue 15's
// rating (Government Decree 1284): the code printed on a kiosk ticket or a
// case's receipt, with which the visitor rates the service once at
// /rate/{code} or at the kiosk.
//
// A code is 12 characters of Crockford's base32 (digits and capital
// letters without I, L, O, U), 60 random bits, printed in three groups of
// four (K7M2-9QXA-3FHD). It stands alone (no case number beside it), so it
// is long enough that guessing one is hopeless: with a million codes
// outstanding a try hits one with a chance of 1 in 10^12, and the central
// limits tries per address. The central keeps only the code's SHA-256
// (Hash); a case's code travels in its case.handed_off event as that hash,
// and 60 bits make trying every code against a copy of the event cost
// years of a GPU. It is not the status code, which shows a case's history;
// the rating code only rates.
package ratingcode

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
)

// Len is the code's length without its dashes.
const Len = 12

// alphabet is Crockford's base32.
const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// New makes a random code from r (crypto/rand.Reader when nil), in its
// canonical form (Len characters, no dashes).
func New(r io.Reader) (string, error) {
	if r == nil {
		r = rand.Reader
	}
	var b [8]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return "", fmt.Errorf("make a rating code: %w", err)
	}
	var v uint64
	for _, x := range b {
		v = v<<8 | uint64(x)
	}
	out := make([]byte, Len)
	for i := range out {
		out[i] = alphabet[v&31]
		v >>= 5
	}
	return string(out), nil
}

// Normalize reads a code as a person may type or a scanner may read it:
// any case, with spaces or dashes, O for 0 and I or L for 1 (Crockford's
// rule). It reports whether what is left is a code, in canonical form.
func Normalize(s string) (string, bool) {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r == ' ' || r == '-' || r == '\u00a0':
			continue
		case r >= 'a' && r <= 'z':
			r -= 'a' - 'A'
		}
		switch r {
		case 'O':
			r = '0'
		case 'I', 'L':
			r = '1'
		}
		if r > 127 || !strings.ContainsRune(alphabet, r) {
			return "", false
		}
		b.WriteRune(r)
		if b.Len() > Len {
			return "", false
		}
	}
	if b.Len() != Len {
		return "", false
	}
	return b.String(), true
}

// Format prints a canonical code in groups of four: K7M2-9QXA-3FHD.
func Format(code string) string {
	if len(code) != Len {
		return code
	}
	return code[:4] + "-" + code[4:8] + "-" + code[8:]
}

// Hash is what the central keeps of a canonical code: 64 hex digits.
func Hash(code string) string {
	sum := sha256.Sum256([]byte("okno-rating-v1\x00" + code))
	return hex.EncodeToString(sum[:])
}

// LooksHashed reports whether s has the shape of a Hash.
func LooksHashed(s string) bool {
	return len(s) == 64 && strings.Trim(s, "0123456789abcdef") == ""
}
