package api

import (
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/okno-mfc/okno/domain"
)

func testKey(name string) ed25519.PrivateKey {
	seed := sha256.Sum256([]byte(name))
	return ed25519.NewKeyFromSeed(seed[:])
}

// TestHeadReceipt: a signed receipt verifies; changing any field, or
// another key, breaks it; the message is the same whatever the time zone.
func TestHeadReceipt(t *testing.T) {
	key := testKey("central")
	pub := key.Public().(ed25519.PublicKey)
	at := time.Date(2026, 3, 2, 9, 0, 0, 123456789, time.UTC)
	r := HeadReceipt{Office: "IRK", Window: 3, Seq: 42, Hash: strings.Repeat("ab", 32), At: at}
	if err := r.Verify(pub); !errors.Is(err, domain.ErrUnsigned) {
		t.Fatalf("unsigned: %v", err)
	}
	SignHead(&r, key)
	if err := r.Verify(pub); err != nil {
		t.Fatal(err)
	}
	local := r
	local.At = at.In(time.FixedZone("IRKT", 8*3600))
	if err := local.Verify(pub); err != nil {
		t.Errorf("the same instant in another zone: %v", err)
	}
	for name, change := range map[string]func(*HeadReceipt){
		"office": func(r *HeadReceipt) { r.Office = "MSK" },
		"window": func(r *HeadReceipt) { r.Window = 4 },
		"seq":    func(r *HeadReceipt) { r.Seq = 41 },
		"hash":   func(r *HeadReceipt) { r.Hash = strings.Repeat("cd", 32) },
		"at":     func(r *HeadReceipt) { r.At = r.At.Add(time.Nanosecond) },
		"sig":    func(r *HeadReceipt) { r.Sig = r.Sig[:10] },
		// "IRK"+window 13 must not read as "IRK1"+window 3.
		"shifted": func(r *HeadReceipt) { r.Office, r.Window = "IRK1", 3 },
	} {
		x := r
		if name == "shifted" {
			x = HeadReceipt{Office: "IRK", Window: 13, Seq: 42, Hash: r.Hash, At: at}
			SignHead(&x, key)
		}
		change(&x)
		if err := x.Verify(pub); !errors.Is(err, domain.ErrBadSignature) {
			t.Errorf("%s changed: %v", name, err)
		}
	}
	if err := r.Verify(testKey("another").Public().(ed25519.PublicKey)); !errors.Is(err, domain.ErrBadSignature) {
		t.Errorf("another key: %v", err)
	}
}
