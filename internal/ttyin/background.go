package ttyin

import (
	"strconv"
	"strings"
)

// isTerminalAnswer is true for the answers of Background's queries — a
// colour report (OSC 10/11) or a device-attributes report (DA1) — which a
// terminal may send after Background stopped waiting. Reader drops them so
// they never reach the screens as typed text.
func isTerminalAnswer(tok []byte) bool {
	s := string(tok)
	switch {
	case strings.HasPrefix(s, "\x1b]10;"), strings.HasPrefix(s, "\x1b]11;"):
		return true
	case strings.HasPrefix(s, "\x1b[?") && strings.HasSuffix(s, "c"):
		return true
	}
	return false
}

// parseColorReport reads an OSC 10/11 answer, "ESC ] 11 ; rgb:RRRR/GGGG/BBBB"
// with 1 to 4 hex digits a channel and a BEL or ST at the end, and says
// whether the colour is dark (HSL lightness under one half, as termenv).
func parseColorReport(tok []byte) (dark, ok bool) {
	s := strings.TrimSuffix(strings.TrimSuffix(string(tok), "\a"), "\x1b\\")
	i := strings.Index(s, "rgb:")
	if i < 0 {
		return false, false
	}
	parts := strings.Split(s[i+4:], "/")
	if len(parts) != 3 {
		return false, false
	}
	var c [3]float64
	for j, p := range parts {
		if len(p) < 1 || len(p) > 4 {
			return false, false
		}
		v, err := strconv.ParseUint(p, 16, 16)
		if err != nil {
			return false, false
		}
		c[j] = float64(v) / float64(uint64(1)<<(4*len(p))-1)
	}
	hi, lo := max(c[0], c[1], c[2]), min(c[0], c[1], c[2])
	return (hi+lo)/2 < 0.5, true
}

// dropAnswers removes the terminal's late answers from b, in place, and
// returns the length left.
func dropAnswers(b []byte) int {
	w, i := 0, 0
	for i < len(b) {
		n, ok := tokenEnd(b[i:])
		if !ok {
			n = len(b) - i
		}
		if !ok || !isTerminalAnswer(b[i:i+n]) {
			w += copy(b[w:], b[i:i+n])
		}
		i += n
	}
	return w
}
