// Package sigbatch verifies many Ed25519 signatures at once, the way the
// central checks a pushed batch: the randomised batch equation of
// ed25519consensus (github.com/hdevalence/ed25519consensus), on
// filippo.io/edwards25519's multi-scalar multiplication, with one term per
// distinct public key instead of one per signature. The events of one
// window share the window's key, so a batch of a hundred of them costs
// about a hundred R terms and one A term: measured on the 2-core machine
// of issue 17, 3–5 times less than crypto/ed25519.Verify one by one
// (BenchmarkVerify prints the ratio).
//
// A batch that fails is checked again signature by signature with
// crypto/ed25519, so the answer for each signature is exact, and a bad
// signature costs its batch a second pass, not the others.
//
// What a batch accepts: every signature crypto/ed25519 accepts, and, from
// the key's holder only, signatures whose R carries a small-order
// component (the batch equation is cofactored, as ZIP-215 and
// ed25519consensus are; crypto/ed25519 is not). Nobody without the private
// key can make such a signature verify; a key holder who does gains
// nothing they could not sign plainly. Non-canonical encodings of R and S
// are refused before the batch, as crypto/ed25519 refuses them.
package sigbatch

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha512"

	"filippo.io/edwards25519"
)

// Size is the most signatures checked in one batch equation: larger
// batches gain little per signature on filippo.io/edwards25519's Straus
// multiplication and lose more when one of them is bad.
const Size = 64

// Entry is one signature to check.
type Entry struct {
	Key ed25519.PublicKey
	Msg []byte
	Sig []byte
}

// Verify reports, for each entry, whether its signature verifies: in
// batches of Size, each failed batch again entry by entry.
func Verify(entries []Entry) []bool {
	ok := make([]bool, len(entries))
	for start := 0; start < len(entries); start += Size {
		end := min(start+Size, len(entries))
		if batch(entries[start:end]) {
			for i := start; i < end; i++ {
				ok[i] = true
			}
			continue
		}
		for i := start; i < end; i++ {
			e := entries[i]
			ok[i] = len(e.Key) == ed25519.PublicKeySize && len(e.Sig) == ed25519.SignatureSize && ed25519.Verify(e.Key, e.Msg, e.Sig)
		}
	}
	return ok
}

// batch checks the cofactored batch equation
//
//	[8]( [-Σ zᵢsᵢ]B + Σ [zᵢ]Rᵢ + Σ_keys [Σ_{i of key} zᵢkᵢ]A ) = 0
//
// with random 128-bit zᵢ; false when any entry is malformed or the
// equation does not hold (then some signature is bad).
func batch(entries []Entry) bool {
	if len(entries) == 0 {
		return true
	}
	type keyTerm struct {
		a edwards25519.Point
		c edwards25519.Scalar
	}
	keys := make(map[string]*keyTerm, 2)
	order := make([]*keyTerm, 0, 2)
	n := len(entries)
	zs := make([]edwards25519.Scalar, n)
	rs := make([]edwards25519.Point, n)
	scalars := make([]*edwards25519.Scalar, 0, n+1+len(entries))
	points := make([]*edwards25519.Point, 0, n+1+len(entries))
	var bc edwards25519.Scalar
	var rnd [32]byte
	var digest [64]byte
	var s, k edwards25519.Scalar
	h := sha512.New()
	for i, e := range entries {
		if len(e.Key) != ed25519.PublicKeySize || len(e.Sig) != ed25519.SignatureSize || !canonicalPoint(e.Sig[:32]) {
			return false
		}
		kt, ok := keys[string(e.Key)]
		if !ok {
			kt = &keyTerm{}
			if !canonicalPoint(e.Key) {
				return false
			}
			if _, err := kt.a.SetBytes(e.Key); err != nil {
				return false
			}
			keys[string(e.Key)] = kt
			order = append(order, kt)
		}
		if _, err := rs[i].SetBytes(e.Sig[:32]); err != nil {
			return false
		}
		if _, err := s.SetCanonicalBytes(e.Sig[32:]); err != nil {
			return false
		}
		if _, err := rand.Read(rnd[:16]); err != nil {
			return false
		}
		if _, err := zs[i].SetCanonicalBytes(rnd[:]); err != nil {
			return false
		}
		h.Reset()
		h.Write(e.Sig[:32])
		h.Write(e.Key)
		h.Write(e.Msg)
		if _, err := k.SetUniformBytes(h.Sum(digest[:0])); err != nil {
			return false
		}
		bc.MultiplyAdd(&zs[i], &s, &bc)
		kt.c.MultiplyAdd(&zs[i], &k, &kt.c)
		scalars = append(scalars, &zs[i])
		points = append(points, &rs[i])
	}
	bc.Negate(&bc)
	scalars = append(scalars, &bc)
	points = append(points, edwards25519.NewGeneratorPoint())
	for _, kt := range order {
		scalars = append(scalars, &kt.c)
		points = append(points, &kt.a)
	}
	check := new(edwards25519.Point).VarTimeMultiScalarMult(scalars, points)
	check.MultByCofactor(check)
	return check.Equal(edwards25519.NewIdentityPoint()) == 1
}

// canonicalPoint refuses the encodings crypto/ed25519 refuses by
// re-encoding and filippo.io/edwards25519's SetBytes accepts: a y
// coordinate of p or more, and the sign bit set on x = 0 (y = ±1).
func canonicalPoint(b []byte) bool {
	y := [32]byte(b)
	sign := y[31] >> 7
	y[31] &= 0x7f
	// y ≥ p = 2²⁵⁵ − 19: the top byte 0x7f, the middle 0xff, the low ≥ 0xed.
	high := y[31] == 0x7f
	for i := 1; i < 31 && high; i++ {
		high = y[i] == 0xff
	}
	if high && y[0] >= 0xed {
		return false
	}
	if sign == 1 && (y == yOne || y == yMinusOne) {
		return false
	}
	return true
}

// The encodings of y = 1 and y = p − 1, the points with x = 0.
var (
	yOne      = [32]byte{1}
	yMinusOne = [32]byte{0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}
)
