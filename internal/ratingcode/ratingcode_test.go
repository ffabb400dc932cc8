package ratingcode

import (
	"bytes"
	"testing"
)

func TestNewNormalizeFormat(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 500 {
		c, err := New(nil)
		if err != nil {
			t.Fatal(err)
		}
		if n, ok := Normalize(c); !ok || n != c {
			t.Fatalf("New made %q, which does not read back (%q %v)", c, n, ok)
		}
		if n, ok := Normalize(" " + Format(c) + " "); !ok || n != c {
			t.Fatalf("the printed %q reads as %q %v", Format(c), n, ok)
		}
		seen[c] = true
	}
	if len(seen) != 500 {
		t.Fatalf("500 codes, %d different", len(seen))
	}
	a, _ := New(bytes.NewReader(bytes.Repeat([]byte{7}, 8)))
	b, _ := New(bytes.NewReader(bytes.Repeat([]byte{7}, 8)))
	if a != b || len(a) != Len {
		t.Fatalf("a fixed source gave %q and %q", a, b)
	}
	if _, err := New(bytes.NewReader([]byte{1, 2})); err == nil {
		t.Fatal("a short source made a code")
	}
}

func TestNormalizeTyping(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"k7m2-9qxa-3fhd": "K7M2-9QXA-3FHD",
		"K7M2 9QXA 3FHD": "K7M2-9QXA-3FHD",
		"OIL0-0000-0000": "0110-0000-0000",
	} {
		got, ok := Normalize(in)
		if !ok || Format(got) != want {
			t.Errorf("Normalize(%q) = %q %v, want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "K7M2-9QXA-3FH", "K7M2-9QXA-3FHDX", "K7M2-9QXA-3FHU", "К7M2-9QXA-3FHD", "123456"} {
		if got, ok := Normalize(in); ok {
			t.Errorf("Normalize(%q) = %q, want refused", in, got)
		}
	}
	h := Hash("K7M29QXA3FHD")
	if !LooksHashed(h) || h == Hash("K7M29QXA3FHE") || LooksHashed("K7M29QXA3FHD") {
		t.Fatalf("hash %q", h)
	}
}
