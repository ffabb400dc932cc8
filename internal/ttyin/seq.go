// Package ttyin reads a terminal's input for the TUI so that no read ends
// inside a UTF-8 character or an escape sequence.
//
// bubbletea v1 (v1.3.10, the newest v1) reads its input 256 bytes at a time
// and parses each read on its own: a multi-byte character cut by the end of
// a full read is reported as invalid bytes and dropped (readAnsiInputs and
// detectOneMsg in key.go hold back only a run of characters that reaches the
// very end of the buffer, not one that stops at a partial character). Fast
// input — a keyboard-wedge scanner, a paste without bracketed paste, a fast
// typist — lost one Cyrillic letter at every 256-byte boundary. Reader hands
// bubbletea whole characters and whole sequences, and never fills its buffer.
package ttyin

import "unicode/utf8"

const (
	esc = 0x1b
	bel = 0x07
	// maxSeq bounds an escape sequence that never ends (OSC, DCS …): past
	// it the bytes are handed on as they are rather than held.
	maxSeq = 512
)

// tokenEnd says how long the first input token of b is: an escape sequence,
// a UTF-8 character or a single byte. complete is false when b ends before
// the token does.
func tokenEnd(b []byte) (n int, complete bool) {
	if len(b) == 0 {
		return 0, false
	}
	if b[0] != esc {
		if !utf8.FullRune(b) {
			return 0, false
		}
		_, w := utf8.DecodeRune(b)
		return w, true
	}
	if len(b) == 1 {
		return 0, false
	}
	switch b[1] {
	case '[':
		return csiEnd(b)
	case 'O': // SS3: one more byte (F1–F4, cursor keys in application mode)
		if len(b) < 3 {
			return 0, false
		}
		return 3, true
	case ']', 'P', 'X', '^', '_': // OSC, DCS, SOS, PM, APC: until BEL or ST
		return stringEnd(b, b[1] == ']')
	case esc: // ESC before a sequence: the Alt modifier on it
		n, ok := tokenEnd(b[1:])
		if !ok {
			return 0, false
		}
		return 1 + n, true
	}
	// Alt with a character.
	n, ok := tokenEnd(b[1:])
	if !ok {
		return 0, false
	}
	return 1 + n, true
}

// csiEnd finds the final byte of a control sequence ESC [ params
// intermediates final. An X10 mouse report (ESC [ M and three bytes) is
// taken whole. A byte that cannot be in a CSI ends it where it stands.
func csiEnd(b []byte) (int, bool) {
	for i := 2; i < len(b); i++ {
		c := b[i]
		switch {
		case c >= 0x20 && c <= 0x3f: // parameters and intermediates
			if i >= maxSeq {
				return i, true
			}
		case c >= 0x40 && c <= 0x7e: // final byte
			if c == 'M' && i == 2 {
				if len(b) < 6 {
					return 0, false
				}
				return 6, true
			}
			return i + 1, true
		default:
			return i, true
		}
	}
	return 0, false
}

// stringEnd finds the end of a control string: BEL (OSC only) or ESC \.
func stringEnd(b []byte, osc bool) (int, bool) {
	for i := 2; i < len(b); i++ {
		switch {
		case osc && b[i] == bel:
			return i + 1, true
		case b[i] == esc:
			if i+1 == len(b) {
				return 0, false
			}
			if b[i+1] == '\\' {
				return i + 2, true
			}
			return i, true // a new sequence starts: this one was cut short
		case i >= maxSeq:
			return i, true
		}
	}
	return 0, false
}

// Boundary is the length of the longest prefix of b made of whole tokens;
// b must start at a token boundary.
func Boundary(b []byte) int {
	cut := 0
	for cut < len(b) {
		n, ok := tokenEnd(b[cut:])
		if !ok {
			break
		}
		cut += n
	}
	return cut
}
