package link

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// KeyFile is the workstation's Ed25519 private key in the data folder: PEM
// holding the 32-byte seed, mode 0600.
const KeyFile = "workstation.key"

const keyBlock = "OKNO ED25519 PRIVATE KEY"

// ErrNoKey says the data folder has no workstation key.
var ErrNoKey = errors.New("this data folder has no workstation key (" + KeyFile + "): its events cannot be checked")

// LoadOrCreateKey returns the workstation's signing key, making it on first
// start.
func LoadOrCreateKey(dir string) (ed25519.PrivateKey, error) {
	return LoadOrCreateKeyFile(filepath.Join(dir, KeyFile))
}

// LoadKey reads the workstation's signing key without making one (for
// checks such as okno audit verify, which must not invent a key).
func LoadKey(dir string) (ed25519.PrivateKey, error) {
	k, err := readKey(filepath.Join(dir, KeyFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNoKey
	}
	return k, err
}

// LoadOrCreateKeyFile returns the Ed25519 key kept in path, making it when
// the file does not exist: the workstation's key, and the central's own
// signing key (okno serve --signing-key).
func LoadOrCreateKeyFile(path string) (ed25519.PrivateKey, error) {
	k, err := readKey(path)
	if !errors.Is(err, os.ErrNotExist) {
		return k, err
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	if err := writePrivate(path, pem.EncodeToMemory(&pem.Block{Type: keyBlock, Bytes: priv.Seed()})); err != nil {
		return nil, fmt.Errorf("keep the key: %w", err)
	}
	return priv, nil
}

func readKey(path string) (ed25519.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	blk, _ := pem.Decode(b)
	if blk == nil || len(blk.Bytes) != ed25519.SeedSize {
		return nil, fmt.Errorf("%s is not an okno key: restore it from a backup (a new key starts a new chain of signatures)", path)
	}
	return ed25519.NewKeyFromSeed(blk.Bytes), nil
}
