package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
)

func TestUserKey(t *testing.T) {
	db := filepath.Join(t.TempDir(), "central.db")
	var errOut bytes.Buffer
	runWith(t, strings.NewReader("long enough 1\n"), &errOut, "user", "add", "--db", db, "--login", "boss", "--role", "supervisor", "--office", "IRK")
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	k, _ := ssh.NewPublicKey(pub)
	line := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(k))) + " boss@laptop"
	fp := ssh.FingerprintSHA256(k)

	errOut.Reset()
	if _, code := runWith(t, strings.NewReader("ssh-ed25519 garbage\n"), &errOut, "user", "key", "add", "--db", db, "--login", "boss"); code != 1 ||
		!strings.Contains(errOut.String(), "line 1: not a public SSH key") {
		t.Fatalf("a bad key: code %d, %s", code, errOut.String())
	}
	errOut.Reset()
	if _, code := runWith(t, strings.NewReader("# nothing\n\n"), &errOut, "user", "key", "add", "--db", db, "--login", "boss"); code != 1 ||
		!strings.Contains(errOut.String(), "no key on standard input") {
		t.Fatalf("no key: code %d, %s", code, errOut.String())
	}
	errOut.Reset()
	if _, code := runWith(t, strings.NewReader(line), &errOut, "user", "key", "add", "--db", db, "--login", "ghost"); code != 1 ||
		!strings.Contains(errOut.String(), "no person ghost") {
		t.Fatalf("nobody: code %d, %s", code, errOut.String())
	}
	out, code := runWith(t, strings.NewReader("# mine\n"+line+"\n"), &errOut, "user", "key", "add", "--db", db, "--login", "boss")
	if code != 0 || !strings.Contains(out, fp) {
		t.Fatalf("add: code %d, %s %s", code, out, errOut.String())
	}
	errOut.Reset()
	if _, code := runWith(t, strings.NewReader(line), &errOut, "user", "key", "add", "--db", db, "--login", "boss"); code != 1 ||
		!strings.Contains(errOut.String(), "registered to boss already") {
		t.Fatalf("twice: code %d, %s", code, errOut.String())
	}
	out, code = runWith(t, nil, &errOut, "user", "key", "list", "--db", db)
	if l := lineWith(t, out, "boss"); code != 0 || !strings.Contains(l, fp) || !strings.Contains(l, "ssh-ed25519") || !strings.Contains(l, "boss@laptop") {
		t.Fatalf("list: code %d\n%s", code, out)
	}
	errOut.Reset()
	if _, code := runWith(t, nil, &errOut, "user", "key", "remove", "--db", db, "--login", "boss"); code != 2 {
		t.Fatalf("remove without a fingerprint: code %d", code)
	}
	if out, code := runWith(t, nil, &errOut, "user", "key", "remove", "--db", db, "--login", "boss", "--fingerprint", fp); code != 0 || !strings.Contains(out, "removed") {
		t.Fatalf("remove: code %d %s %s", code, out, errOut.String())
	}
	errOut.Reset()
	if _, code := runWith(t, nil, &errOut, "user", "key", "remove", "--db", db, "--login", "boss", "--fingerprint", fp); code != 1 || !strings.Contains(errOut.String(), "has no key") {
		t.Fatalf("remove twice: code %d %s", code, errOut.String())
	}
	if out, _ := runWith(t, nil, &errOut, "user", "key", "list", "--db", db, "--login", "boss"); strings.Contains(out, fp) {
		t.Fatalf("still listed:\n%s", out)
	}
}
