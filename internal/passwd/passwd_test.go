package passwd

import "testing"

func TestHashVerify(t *testing.T) {
	t.Parallel()
	for _, p := range []Params{Fast, Default} {
		h, err := Hash("correct horse", p)
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := Verify(h, "correct horse"); err != nil || !ok {
			t.Fatalf("right password refused: %v %v", ok, err)
		}
		if ok, _ := Verify(h, "correct horsE"); ok {
			t.Fatal("wrong password accepted")
		}
		h2, _ := Hash("correct horse", p)
		if h == h2 {
			t.Fatal("two hashes of one password are equal: salt not random")
		}
	}
	h, _ := Hash("x", Default)
	if want := "$argon2id$v=19$m=19456,t=2,p=1$"; h[:len(want)] != want {
		t.Fatalf("hash %q does not carry the default costs", h)
	}
}

func TestVerifyMalformed(t *testing.T) {
	t.Parallel()
	for _, phc := range []string{"", "plain", "$argon2i$v=19$m=1,t=1,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=1,t=0,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=1,t=1,p=1$!!$aGFzaA",
		"x$argon2id$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=4194304,t=1,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=64,t=65,p=1$c2FsdA$aGFzaA",
		"$argon2id$v=19$m=0,t=1,p=1$c2FsdA$aGFzaA", "$argon2id$v=18$m=64,t=1,p=1$c2FsdA$aGFzaA"} {
		if _, err := Verify(phc, "x"); err == nil {
			t.Errorf("Verify(%q) gave no error", phc)
		}
	}
}
