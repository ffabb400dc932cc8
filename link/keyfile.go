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

// ErrNoKey says the data folder has no workstation key.
var ErrNoKey = errors.New("this data folder has no workstation key (" + KeyFile + "): its events cannot be checked")

// LoadKey reads the workstation's signing key without making one (for
// checks such as okno audit verify, which must not invent a key).
func LoadKey(dir string) (ed25519.PrivateKey, error) {
	path := filepath.Join(dir, KeyFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNoKey
	}
	if err != nil {
		return nil, err
	}
	blk, _ := pem.Decode(b)
	if blk == nil || len(blk.Bytes) != ed25519.SeedSize {
		return nil, fmt.Errorf("%s is not a workstation key", path)
	}
	return ed25519.NewKeyFromSeed(blk.Bytes), nil
}

// LoadOrCreateKeyFile returns the Ed25519 key kept in path (PEM, mode
// 0600), making it when the file does not exist: the central's own signing
// key (okno serve --signing-key) uses it.
func LoadOrCreateKeyFile(path string) (ed25519.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		_, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return nil, err
		}
		blk := &pem.Block{Type: "OKNO ED25519 PRIVATE KEY", Bytes: priv.Seed()}
		if err := writePrivate(path, pem.EncodeToMemory(blk)); err != nil {
			return nil, fmt.Errorf("keep the key: %w", err)
		}
		return priv, nil
	}
	if err != nil {
		return nil, err
	}
	blk, _ := pem.Decode(b)
	if blk == nil || len(blk.Bytes) != ed25519.SeedSize {
		return nil, fmt.Errorf("%s is not an okno key: restore it from a backup (a new key starts a new signer)", path)
	}
	return ed25519.NewKeyFromSeed(blk.Bytes), nil
}
