package domain

import (
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"testing"
)

// FuzzVerifyChain feeds the audit checks chains as they could arrive from
// outside (a tampered file, a hostile central): they never panic, refuse
// only with a *ChainError, and what they accept is a real chain — every
// hash recomputes, every link holds, every signature verifies.
func FuzzVerifyChain(f *testing.F) {
	key := testKey("window 3")
	pub := key.Public().(ed25519.PublicKey)
	good, _ := json.Marshal(testChain(3, key))
	f.Add(good)
	f.Add([]byte(`[]`))
	f.Add([]byte(`[{"id":"x","office":"IRK","window":3,"seq":1,"hash":"","sig":"AAAA"}]`))
	f.Add([]byte(`[{"seq":1,"sig":"` + string(make([]byte, 88)) + `"}]`))
	tampered := testChain(2, key)
	tampered[1].Sig = tampered[0].Sig
	bad, _ := json.Marshal(tampered)
	f.Add(bad)
	f.Fuzz(func(t *testing.T, data []byte) {
		var evs []Event
		if json.Unmarshal(data, &evs) != nil {
			return
		}
		err := VerifyChain(evs, pub)
		if err != nil {
			var ce *ChainError
			if !errors.As(err, &ce) || ce.Problem == "" || ce.Detail == "" {
				t.Fatalf("refused with %#v", err)
			}
			return
		}
		prev := ""
		for i := range evs {
			e := &evs[i]
			if e.Seq != int64(i+1) || e.PrevHash != prev || e.ComputeHash() != e.Hash || e.VerifySignature(pub) != nil {
				t.Fatalf("accepted a broken event %d: %+v", i, e)
			}
			prev = e.Hash
		}
		if err := CompareChains(evs, nil); len(evs) > 0 && err == nil {
			t.Fatal("an empty central copy compared equal")
		}
	})
}
