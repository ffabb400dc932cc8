package common

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Width is the number of terminal cells s takes. Plain text of Latin,
// Cyrillic and the few symbols the screens draw is counted a cell a rune,
// without the grapheme machinery (it is on every key press's path); text
// with escape sequences, combining marks, wide or emoji characters goes to
// ansi.StringWidth.
func Width(s string) int {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return ansi.StringWidth(s)
			}
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !narrow(r) {
			return ansi.StringWidth(s)
		}
		n++
		i += size
	}
	return n
}

// narrow reports whether r surely takes one cell.
func narrow(r rune) bool {
	switch {
	case r >= 0xA0 && r <= 0x2FF:
		return r != 0xAD // soft hyphen
	case r >= 0x370 && r <= 0x482, r >= 0x48A && r <= 0x52F: // Greek, Cyrillic
		return true
	case r >= 0x2010 && r <= 0x2027, r >= 0x2030 && r <= 0x205E: // dashes, quotes, … ‹ ›
		return true
	case r >= 0x20A0 && r <= 0x20C0, r >= 0x2100 && r <= 0x214F: // ₽ ₴, №
		return true
	case r >= 0x2190 && r <= 0x21FF, r >= 0x2500 && r <= 0x25FF: // arrows, box drawing, shapes
		return true
	}
	switch r {
	case '★', '⚙', '✓', '✗', '⚠':
		return true
	}
	return false
}

// Fit cuts s to width w (with … when cut) and pads it with spaces to w.
func Fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	n := Width(s)
	if n > w {
		s = ansi.Truncate(s, w, "…")
		n = Width(s)
	}
	if n < w {
		s += strings.Repeat(" ", w-n)
	}
	return s
}

// Cut cuts s to width w, with … when cut, without padding.
func Cut(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if Width(s) > w {
		return ansi.Truncate(s, w, "…")
	}
	return s
}

// Wrap wraps s to width w (at spaces when it can).
func Wrap(s string, w int) string {
	if w <= 0 {
		return s
	}
	return ansi.Wrap(s, w, " ")
}

// Lines pads or cuts a block of text to exactly h lines.
func Lines(s string, h int) string {
	if h <= 0 {
		return ""
	}
	ls := strings.Split(s, "\n")
	if len(ls) > h {
		ls = ls[:h]
	}
	for len(ls) < h {
		ls = append(ls, "")
	}
	return strings.Join(ls, "\n")
}

// Frame pads or cuts a block of text to exactly h lines of at most w
// cells: the guard that keeps a screen inside the terminal. Lines short in
// bytes are taken as they are.
func Frame(s string, w, h int) string {
	if h <= 0 {
		return ""
	}
	ls := strings.SplitN(s, "\n", h+1)
	if len(ls) > h {
		ls = ls[:h]
	}
	for i, l := range ls {
		if len(l) > w && Width(l) > w {
			ls[i] = ansi.Truncate(l, w, "")
		}
	}
	for len(ls) < h {
		ls = append(ls, "")
	}
	return strings.Join(ls, "\n")
}

// Columns lays out cells of the given widths, one space apart, each fitted.
func Columns(widths []int, cells ...string) string {
	var b strings.Builder
	for i, c := range cells {
		if i > 0 {
			b.WriteByte(' ')
		}
		if i < len(widths) {
			b.WriteString(Fit(c, widths[i]))
		} else {
			b.WriteString(c)
		}
	}
	return b.String()
}
