package statuscode

import (
	"bytes"
	"testing"
	"time"
)

func TestNewIsSixDigits(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 200 {
		c, err := New(nil)
		if err != nil {
			t.Fatal(err)
		}
		if !Valid(c) {
			t.Fatalf("New made %q", c)
		}
		seen[c] = true
	}
	if len(seen) < 190 {
		t.Fatalf("200 codes, only %d different: not random", len(seen))
	}
	// A fixed source gives a fixed code (tests rely on it).
	a, _ := New(bytes.NewReader(bytes.Repeat([]byte{7}, 64)))
	b, _ := New(bytes.NewReader(bytes.Repeat([]byte{7}, 64)))
	if a != b {
		t.Fatalf("the same source gave %q and %q", a, b)
	}
}

func TestHashVerify(t *testing.T) {
	t.Parallel()
	const n = "IRK-03-261122-0007-8"
	start := time.Now()
	h, err := Hash(n, "012345")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("one hash: %v", time.Since(start))
	if !LooksHashed(h) {
		t.Fatalf("hash %q does not look hashed", h)
	}
	if !Verify(h, n, "012345") {
		t.Fatal("the right code is refused")
	}
	for _, bad := range [][2]string{{n, "012346"}, {"IRK-03-261122-0008-6", "012345"}, {n, "12345"}} {
		if Verify(h, bad[0], bad[1]) {
			t.Errorf("Verify accepted %v", bad)
		}
	}
	if Verify("not a hash", n, "012345") {
		t.Error("a malformed hash verifies")
	}
	if _, err := Hash(n, "12a456"); err == nil {
		t.Error("Hash took a code that is not six digits")
	}
}

func TestNormalize(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]bool{"123456": true, " 123 456 ": true, "123-456": true, "12345": false, "1234567": false, "12345a": false, "١٢٣٤٥٦": false} {
		if _, ok := Normalize(in); ok != want {
			t.Errorf("Normalize(%q) = %v, want %v", in, ok, want)
		}
	}
}
