package domain

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func testKey(name string) ed25519.PrivateKey {
	seed := sha256.Sum256([]byte(name))
	return ed25519.NewKeyFromSeed(seed[:])
}

// testChain makes n signed, chained events of IRK window 3.
func testChain(n int, key ed25519.PrivateKey) []Event {
	var out []Event
	prev := ""
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for i := 1; i <= n; i++ {
		e := Event{ID: fmt.Sprintf("01900000-0000-7000-8000-%012d", i), Office: "IRK", Window: 3, Seq: int64(i),
			At: at.Add(time.Duration(i) * time.Minute), Kind: EvTicketIssued, TicketID: fmt.Sprintf("01900000-0000-7000-9000-%012d", i),
			Payload: json.RawMessage(fmt.Sprintf(`{"number":"A-%03d","service":"advertising_permit"}`, i))}
		e.Seal(prev)
		SignEvent(&e, key)
		prev = e.Hash
		out = append(out, e)
	}
	return out
}

// reseal re-chains events from i on (hashes and links recomputed) without
// re-signing them: what someone without the key can do.
func reseal(evs []Event, from int) {
	prev := ""
	if from > 0 {
		prev = evs[from-1].Hash
	}
	for i := from; i < len(evs); i++ {
		evs[i].Seal(prev)
		prev = evs[i].Hash
	}
}

func TestVerifyChainTampering(t *testing.T) {
	t.Parallel()
	key := testKey("window 3")
	pub := key.Public().(ed25519.PublicKey)
	other := testKey("window 4")
	cases := []struct {
		name    string
		tamper  func([]Event) []Event
		seq     int64
		problem ChainProblem
	}{
		{"intact", func(e []Event) []Event { return e }, 0, ""},
		{"payload edited", func(e []Event) []Event {
			e[2].Payload = json.RawMessage(`{"number":"A-999","service":"advertising_permit"}`)
			return e
		}, 3, ChainHash},
		{"payload edited and re-hashed", func(e []Event) []Event {
			e[2].Payload = json.RawMessage(`{"number":"A-999","service":"advertising_permit"}`)
			reseal(e, 2)
			return e
		}, 3, ChainSignature},
		{"event deleted", func(e []Event) []Event { return append(e[:2], e[3:]...) }, 4, ChainSeq},
		{"event deleted, renumbered and re-chained", func(e []Event) []Event {
			e = append(e[:2], e[3:]...)
			for i := range e {
				e[i].Seq = int64(i + 1)
			}
			reseal(e, 2)
			return e
		}, 3, ChainSignature},
		{"two events swapped", func(e []Event) []Event { e[2], e[3] = e[3], e[2]; return e }, 4, ChainSeq},
		{"two events swapped and renumbered", func(e []Event) []Event {
			e[2], e[3] = e[3], e[2]
			e[2].Seq, e[3].Seq = 3, 4
			return e
		}, 3, ChainHash},
		{"two events swapped, renumbered and re-chained", func(e []Event) []Event {
			e[2], e[3] = e[3], e[2]
			e[2].Seq, e[3].Seq = 3, 4
			reseal(e, 2)
			return e
		}, 3, ChainSignature},
		{"an event replaced by a validly signed one of a fork", func(e []Event) []Event {
			e[2].Payload = json.RawMessage(`{"number":"A-999","service":"advertising_permit"}`)
			e[2].Seal("0000")
			SignEvent(&e[2], key)
			return e
		}, 3, ChainLink},
		{"signed by another workstation", func(e []Event) []Event { SignEvent(&e[1], other); return e }, 2, ChainSignature},
		{"unsigned", func(e []Event) []Event { e[4].Sig = ""; return e }, 5, ChainUnsigned},
		{"garbage signature", func(e []Event) []Event { e[4].Sig = "!!"; return e }, 5, ChainSignature},
		{"replayed from another window", func(e []Event) []Event {
			w4 := testChain(3, other)
			for i := range w4 {
				w4[i].Window = 4
				w4[i].Seal(w4[i].PrevHash)
			}
			e[2] = w4[2]
			return e
		}, 3, ChainWindow},
		{"does not start at 1", func(e []Event) []Event { return e[1:] }, 2, ChainSeq},
		{"truncated (the local copy alone cannot tell)", func(e []Event) []Event { return e[:4] }, 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			evs := c.tamper(testChain(6, key))
			err := VerifyChain(evs, pub)
			if c.problem == "" {
				if err != nil {
					t.Fatalf("intact chain: %v", err)
				}
				return
			}
			var ce *ChainError
			if !errors.As(err, &ce) || !errors.Is(err, ErrChainBroken) {
				t.Fatalf("got %v, want a *ChainError", err)
			}
			if ce.Seq != c.seq || ce.Problem != c.problem {
				t.Fatalf("got seq %d %s (%v), want seq %d %s", ce.Seq, ce.Problem, err, c.seq, c.problem)
			}
		})
	}
}

// A chain that starts at seq 2 is caught by the verifier set to start at 1.
func TestChainVerifierStartsAtOne(t *testing.T) {
	t.Parallel()
	key := testKey("window 3")
	evs := testChain(3, key)
	v := ChainVerifier{Office: "IRK", Window: 3, Key: key.Public().(ed25519.PublicKey)}
	err := v.Add(&evs[1])
	var ce *ChainError
	if !errors.As(err, &ce) || ce.Problem != ChainSeq || ce.Seq != 2 {
		t.Fatalf("got %v, want seq 2 missing its predecessor", err)
	}
	for i := range evs {
		if err := v.Add(&evs[i]); err != nil {
			t.Fatal(err)
		}
	}
}

func entries(evs []Event) []HeldEvent {
	var out []HeldEvent
	for _, e := range evs {
		out = append(out, HeldEvent{Seq: e.Seq, ID: e.ID, Hash: e.Hash, Sig: e.Sig, Status: "accepted", InChain: true})
	}
	return out
}

func TestCompareChains(t *testing.T) {
	t.Parallel()
	key := testKey("window 3")
	cases := []struct {
		name    string
		change  func(local []Event, held []HeldEvent) ([]Event, []HeldEvent)
		seq     int64
		problem ChainProblem
	}{
		{"same", func(l []Event, h []HeldEvent) ([]Event, []HeldEvent) { return l, h }, 0, ""},
		{"rejected at the central still counts", func(l []Event, h []HeldEvent) ([]Event, []HeldEvent) {
			h[2].Status, h[2].Reason = "rejected", "case number taken"
			return l, h
		}, 0, ""},
		{"local truncated", func(l []Event, h []HeldEvent) ([]Event, []HeldEvent) { return l[:4], h }, 5, ChainExtra},
		{"central shorter (not synced)", func(l []Event, h []HeldEvent) ([]Event, []HeldEvent) { return l, h[:4] }, 5, ChainMissing},
		{"local event edited", func(l []Event, h []HeldEvent) ([]Event, []HeldEvent) {
			l[1].Payload = json.RawMessage(`{}`)
			l[1].Seal(l[1].PrevHash)
			return l, h
		}, 2, ChainDiffers},
		{"another event at the seq", func(l []Event, h []HeldEvent) ([]Event, []HeldEvent) {
			h[3].ID = "01900000-0000-7000-8000-999999999999"
			return l, h
		}, 4, ChainDiffers},
		{"another signature", func(l []Event, h []HeldEvent) ([]Event, []HeldEvent) {
			h[3].Sig = "x"
			return l, h
		}, 4, ChainDiffers},
		{"held twice in the chain", func(l []Event, h []HeldEvent) ([]Event, []HeldEvent) { return l, append(h, h[2]) }, 3, ChainExtra},
		{"a stranger's event rejected at a taken seq", func(l []Event, h []HeldEvent) ([]Event, []HeldEvent) {
			x := h[1]
			x.ID, x.InChain, x.Status = "01900000-0000-7000-8000-888888888888", false, "rejected"
			return l, append(h, x)
		}, 2, ChainExtra},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			local := testChain(6, key)
			l, h := c.change(local, entries(local))
			err := CompareChains(l, h)
			if c.problem == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var ce *ChainError
			if !errors.As(err, &ce) || ce.Seq != c.seq || ce.Problem != c.problem {
				t.Fatalf("got %v, want seq %d %s", err, c.seq, c.problem)
			}
		})
	}
}

// TestHashEncodingIsFixed: every chain in every store was sealed with this
// encoding; a change to ComputeHash that changes one byte of it would make
// every stored event fail its check. The hash below was computed by the
// first implementation (fmt.Sprint, time.Format, hash.Hash writes).
func TestHashEncodingIsFixed(t *testing.T) {
	e := Event{ID: "01900000-0000-7000-8000-000000000001", Office: "IRK", Window: 3, Seq: 42,
		At: time.Date(2026, 3, 2, 9, 0, 0, 123456789, time.FixedZone("IRKT", 8*3600)), Kind: EvTicketIssued, Actor: "anna",
		TicketID: "01900000-0000-7000-8000-000000000002", Payload: []byte(`{"number":"A-301","service":"advertising_permit"}`),
		PrevHash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}
	if got, want := e.ComputeHash(), "dd6e8516b94859c436b0a4899d2763dcaa971e5ff9938202a691fa024b66cf73"; got != want {
		t.Fatalf("hash %s, want %s: the encoding of an event's hash changed", got, want)
	}
	long := e
	long.Payload = []byte(`{"number":"A-301","service":"` + strings.Repeat("я", 1000) + `"}`) // past the stack buffer
	if got, want := long.ComputeHash(), "06641d15cfba1e533a785d0d61296f64c6e0ac31e3d2bf600ac811e5487c7670"; got != want {
		t.Fatalf("a long payload's hash %s, want %s", got, want)
	}
}
