package sshboard

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"

	gossh "golang.org/x/crypto/ssh"
)

// LoadOrCreateHostKey returns the server's SSH host key kept in path,
// making an Ed25519 key there (OpenSSH's private key format, mode 0600,
// so `ssh-keygen -l -f PATH` prints its fingerprint) when the file does
// not exist; created says it was made now. A key file that others may read
// is refused, as OpenSSH refuses it.
func LoadOrCreateHostKey(path string) (signer gossh.Signer, created bool, err error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		signer, err = createHostKey(path)
		return signer, err == nil, err
	}
	if err != nil {
		return nil, false, fmt.Errorf("read the SSH host key: %w", err)
	}
	if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
		return nil, false, fmt.Errorf("the SSH host key %s may be read by others (mode %04o): chmod 600 %s", path, fi.Mode().Perm(), path)
	}
	signer, err = gossh.ParsePrivateKey(b)
	if err != nil {
		return nil, false, fmt.Errorf("the SSH host key %s: %w (a private key in OpenSSH or PEM form without a passphrase; move the file away to make a new one, and tell the supervisors its new fingerprint)", path, err)
	}
	return signer, false, nil
}

func createHostKey(path string) (gossh.Signer, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	blk, err := gossh.MarshalPrivateKey(priv, "okno ssh board host key")
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("make the SSH host key: %w", err)
	}
	if _, err := f.Write(pem.EncodeToMemory(blk)); err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("make the SSH host key: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("make the SSH host key: %w", err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("make the SSH host key: %w", err)
	}
	return gossh.NewSignerFromKey(priv)
}

// Fingerprint is the host key's SHA256 fingerprint as ssh prints it on a
// first connection (SHA256:…).
func Fingerprint(signer gossh.Signer) string { return gossh.FingerprintSHA256(signer.PublicKey()) }
