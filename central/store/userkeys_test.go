package store_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/domain"
)

func authorizedLine(t *testing.T, pub any, comment string) string {
	t.Helper()
	k, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(k))) + " " + comment
}

func TestParseUserKey(t *testing.T) {
	t.Parallel()
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	good := authorizedLine(t, pub, "anna@laptop")
	k, err := store.ParseUserKey(good + "\n")
	if err != nil {
		t.Fatal(err)
	}
	want, _ := ssh.NewPublicKey(pub)
	if k.Type != ssh.KeyAlgoED25519 || k.Fingerprint != ssh.FingerprintSHA256(want) || k.Comment != "anna@laptop" || strings.Contains(k.PublicKey, "anna") {
		t.Fatalf("parsed %+v", k)
	}
	weak, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	for in, words := range map[string]string{
		"":                                     "no key",
		"ssh-ed25519 notbase64":                "not a public SSH key",
		`from="10.0.0.1" ` + good:              "key options",
		good + "\n" + good:                     "more than one key",
		authorizedLine(t, &weak.PublicKey, ""): "1024 bits",
	} {
		if _, err := store.ParseUserKey(in); err == nil || !strings.Contains(err.Error(), words) {
			t.Errorf("%.40q: %v, want %q", in, err, words)
		}
	}
}

// TestUserKeys: keys are added to a person, found by fingerprint with the
// person's role and office, listed and removed; a key names one person.
func TestUserKeys(t *testing.T) {
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		srv := centraltest.Start(t, opt)
		ctx := context.Background()
		st := srv.Store
		srv.AddUser(t, "boss", domain.RoleSupervisor, "IRK")
		srv.AddUser(t, "anna", domain.RoleClerk, "IRK")
		key := func() store.UserKey {
			pub, _, _ := ed25519.GenerateKey(rand.Reader)
			k, err := store.ParseUserKey(authorizedLine(t, pub, "x"))
			if err != nil {
				t.Fatal(err)
			}
			return k
		}
		k1, k2 := key(), key()
		if err := st.AddUserKey(ctx, "boss", k1); err != nil {
			t.Fatal(err)
		}
		if err := st.AddUserKey(ctx, "boss", k2); err != nil {
			t.Fatal(err)
		}
		if err := st.AddUserKey(ctx, "anna", k1); !errors.Is(err, store.ErrExists) {
			t.Fatalf("the same key for another person: %v", err)
		}
		if err := st.AddUserKey(ctx, "nobody", key()); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("a key of nobody: %v", err)
		}
		u, err := st.UserByKey(ctx, k2.Fingerprint)
		if err != nil || u.Login != "boss" || u.Role != domain.RoleSupervisor || u.Office != "IRK" {
			t.Fatalf("by key: %+v %v", u, err)
		}
		if _, err := st.UserByKey(ctx, key().Fingerprint); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("an unknown key: %v", err)
		}
		list, err := st.UserKeys(ctx, "boss")
		if err != nil || len(list) != 2 || list[0].Login != "boss" || list[0].CreatedAt.IsZero() {
			t.Fatalf("list: %+v %v", list, err)
		}
		if all, _ := st.UserKeys(ctx, ""); len(all) != 2 {
			t.Fatalf("everyone's keys: %d", len(all))
		}
		if err := st.RemoveUserKey(ctx, "anna", k1.Fingerprint); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("removing another's key: %v", err)
		}
		if err := st.RemoveUserKey(ctx, "boss", k1.Fingerprint); err != nil {
			t.Fatal(err)
		}
		if _, err := st.UserByKey(ctx, k1.Fingerprint); !errors.Is(err, domain.ErrNotFound) {
			t.Fatalf("a removed key: %v", err)
		}
	})
}
