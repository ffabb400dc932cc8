package sigbatch

import (
	"crypto/ed25519"
	"fmt"
	"testing"
	"time"

	"github.com/hdevalence/ed25519consensus"
)

func entries(n, keys int) []Entry {
	var ks []ed25519.PrivateKey
	for i := range keys {
		seed := make([]byte, 32)
		seed[0] = byte(i + 1)
		ks = append(ks, ed25519.NewKeyFromSeed(seed))
	}
	out := make([]Entry, n)
	for i := range out {
		k := ks[i%keys]
		msg := []byte(fmt.Sprintf("%064x", i))
		out[i] = Entry{Key: k.Public().(ed25519.PublicKey), Msg: msg, Sig: ed25519.Sign(k, msg)}
	}
	return out
}

// TestVerifyAgreesWithStdlib: every answer is crypto/ed25519's, for good
// batches, batches with one or many bad signatures, and malformed input.
func TestVerifyAgreesWithStdlib(t *testing.T) {
	t.Parallel()
	spoil := map[string]func(e *Entry){
		"message":       func(e *Entry) { e.Msg = append([]byte("x"), e.Msg...) },
		"S":             func(e *Entry) { e.Sig = append([]byte{}, e.Sig...); e.Sig[40] ^= 1 },
		"R":             func(e *Entry) { e.Sig = append([]byte{}, e.Sig...); e.Sig[3] ^= 1 },
		"other key":     func(e *Entry) { e.Key = entries(1, 7)[0].Key },
		"short sig":     func(e *Entry) { e.Sig = e.Sig[:63] },
		"no sig":        func(e *Entry) { e.Sig = nil },
		"short key":     func(e *Entry) { e.Key = e.Key[:31] },
		"S not reduced": func(e *Entry) { e.Sig = append([]byte{}, e.Sig...); e.Sig[63] |= 0xf0 },
		"R = -0":        func(e *Entry) { e.Sig = append(append([]byte{}, yOne[:]...), e.Sig[32:]...); e.Sig[31] |= 0x80 },
		"R y = p":       func(e *Entry) { p := yMinusOne; p[0]++; e.Sig = append(p[:], e.Sig[32:]...) },
	}
	for _, n := range []int{1, 5, Size + 1} {
		for _, keys := range []int{1, 3} {
			good := entries(n, keys)
			for _, ok := range Verify(good) {
				if !ok {
					t.Fatalf("n=%d keys=%d: a good signature refused", n, keys)
				}
			}
			for name, f := range spoil {
				for _, bad := range [][]int{{0}, {n - 1}, {0, n / 2, n - 1}} {
					es := append([]Entry{}, good...)
					for _, i := range bad {
						f(&es[i])
					}
					got := Verify(es)
					for i, e := range es {
						want := len(e.Key) == 32 && len(e.Sig) == 64 && ed25519.Verify(e.Key, e.Msg, e.Sig)
						if got[i] != want {
							t.Fatalf("n=%d keys=%d %s at %v: entry %d: got %v, crypto/ed25519 says %v", n, keys, name, bad, i, got[i], want)
						}
					}
				}
			}
		}
	}
}

func TestCanonicalPoint(t *testing.T) {
	t.Parallel()
	p := yMinusOne
	p[0]++ // y = p
	for _, c := range []struct {
		b    [32]byte
		want bool
	}{{yOne, true}, {yMinusOne, true}, {p, false}, {[32]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, false}} {
		if got := canonicalPoint(c.b[:]); got != c.want {
			t.Errorf("%x: got %v", c.b, got)
		}
	}
	neg := yOne
	neg[31] |= 0x80
	if canonicalPoint(neg[:]) {
		t.Error("-0 accepted")
	}
}

// BenchmarkVerify: a window's batch of 100 signatures checked by Verify,
// by ed25519consensus's BatchVerifier (one term per signature), and by
// crypto/ed25519 one by one (the baseline), in turn in the same run:
// µs/sig each and the ratio of the baseline to Verify.
func BenchmarkVerify(b *testing.B) {
	for _, keys := range []int{1, 10} {
		es := entries(100, keys)
		b.Run(fmt.Sprintf("keys=%d", keys), func(b *testing.B) {
			var batchT, stdT, consT time.Duration
			for b.Loop() {
				t0 := time.Now()
				for _, ok := range Verify(es) {
					if !ok {
						b.Fatal("refused")
					}
				}
				t1 := time.Now()
				for _, e := range es {
					if !ed25519.Verify(e.Key, e.Msg, e.Sig) {
						b.Fatal("refused")
					}
				}
				t2 := time.Now()
				v := ed25519consensus.NewPreallocatedBatchVerifier(len(es))
				for _, e := range es {
					v.Add(e.Key, e.Msg, e.Sig)
				}
				if !v.Verify() {
					b.Fatal("refused")
				}
				batchT, stdT, consT = batchT+t1.Sub(t0), stdT+t2.Sub(t1), consT+time.Since(t2)
			}
			per := float64(b.N * len(es))
			b.ReportMetric(float64(batchT.Nanoseconds())/per/1000, "batch-µs/sig")
			b.ReportMetric(float64(stdT.Nanoseconds())/per/1000, "stdlib-µs/sig")
			b.ReportMetric(float64(consT.Nanoseconds())/per/1000, "consensus-µs/sig")
			b.ReportMetric(float64(stdT)/float64(batchT), "speedup×")
		})
	}
}
