package domain

import (
	"bytes"
	"errors"
	"strings"
	"unicode/utf8"
)

// Text from outside (an event's fields and payload, a request's
// parameters) must be valid UTF-8 without NUL: PostgreSQL refuses both in
// text columns, SQLite would store them and a JSON answer relaying them
// would not be valid UTF-8.

// Errors of CheckText and CheckJSONText.
var (
	ErrNotUTF8 = errors.New("is not valid UTF-8")
	ErrNUL     = errors.New("contains a NUL character")
)

// CheckText says whether s is valid UTF-8 without NUL: nil, ErrNotUTF8 or
// ErrNUL.
func CheckText(s string) error {
	switch {
	case !utf8.ValidString(s):
		return ErrNotUTF8
	case strings.IndexByte(s, 0) >= 0:
		return ErrNUL
	}
	return nil
}

// CheckJSONText says whether a JSON text is valid UTF-8 and holds no NUL,
// neither raw nor escaped as \u0000 inside a string: nil, ErrNotUTF8 or
// ErrNUL. It does not check the JSON's syntax.
func CheckJSONText(b []byte) error {
	if !utf8.Valid(b) {
		return ErrNotUTF8
	}
	if bytes.IndexByte(b, 0) >= 0 {
		return ErrNUL
	}
	if bytes.Contains(b, []byte(`\u0000`)) && hasEscapedNUL(b) {
		return ErrNUL
	}
	return nil
}

// hasEscapedNUL finds a \u0000 escape that is one, not the text
// `\\u0000` (an escaped backslash followed by "u0000").
func hasEscapedNUL(b []byte) bool {
	for i := 0; i < len(b); i++ {
		if b[i] != '\\' || i+1 >= len(b) {
			continue
		}
		if b[i+1] == 'u' && i+6 <= len(b) && string(b[i+2:i+6]) == "0000" {
			return true
		}
		i++ // skip the escaped character (a backslash among them)
	}
	return false
}

// SafeText makes s storable and printable: invalid UTF-8 becomes U+FFFD,
// NUL is dropped, and it is cut to at most n bytes on a rune boundary. For
// recording what a refused input claimed (a kind, a hash), never for data.
func SafeText(s string, n int) string {
	s = strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
