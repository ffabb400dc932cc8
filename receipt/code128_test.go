package receipt

import (
	"strings"
	"testing"
)

// TestCode128: the symbols of a known encoding ("Wikipedia" in code set B:
// start B 104, the letters, check 88 = 3281 mod 103, stop), and the module count of a case
// number: 11 per symbol and 13 for the stop.
func TestCode128(t *testing.T) {
	t.Parallel()
	w, err := Code128("Wikipedia")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, x := range w {
		b.WriteByte(byte('0' + x))
	}
	want := code128Patterns[104] + code128Patterns['W'-32] + code128Patterns['i'-32] + code128Patterns['k'-32] +
		code128Patterns['i'-32] + code128Patterns['p'-32] + code128Patterns['e'-32] + code128Patterns['d'-32] +
		code128Patterns['i'-32] + code128Patterns['a'-32] + code128Patterns[88] + code128Patterns[106]
	if b.String() != want {
		t.Errorf("Code128(Wikipedia) = %s, want %s", b.String(), want)
	}
	for i, p := range code128Patterns {
		n := 0
		for _, c := range p {
			n += int(c - '0')
		}
		if want := map[bool]int{true: 13, false: 11}[i == 106]; n != want {
			t.Errorf("pattern %d has %d modules", i, n)
		}
	}
	if _, err := Code128("ДЕЛО-1"); err == nil {
		t.Error("Cyrillic accepted in code set B")
	}
}
