package link

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Credential is the workstation's own identity at the central, made by
// `okno enrol` and kept in the data folder (mode 0600): the link signs in
// with it, not as a person, so a nightly sync needs nobody at the keyboard.
type Credential struct {
	Central string `json:"central"`      // base URL, https://… or http://127.0.0.1:…
	CAFile  string `json:"ca,omitempty"` // a CA file to trust for the central's certificate
	// InsecureHTTP: an administrator allowed a plain http:// Central on
	// another host (okno enrol or okno sync --central with --insecure-http).
	InsecureHTTP bool   `json:"insecure_http,omitempty"`
	Office       string `json:"office"`
	Window       int    `json:"window"`
	Login        string `json:"login"`  // ws-IRK-03
	Secret       string `json:"secret"` // the token the central gave at enrolment
}

// CredentialFile is the credential's file name in the data folder.
const CredentialFile = "workstation.json"

// ErrNotEnrolled says the data folder has no credential.
var ErrNotEnrolled = errors.New("this workstation is not enrolled with a central: run 'okno enrol' (it works offline until then)")

// LoadCredential reads the data folder's credential.
func LoadCredential(dir string) (Credential, error) {
	var c Credential
	b, err := os.ReadFile(filepath.Join(dir, CredentialFile))
	if errors.Is(err, os.ErrNotExist) {
		return c, ErrNotEnrolled
	}
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("%s is unreadable: %w (enrol again)", CredentialFile, err)
	}
	if c.Central == "" || c.Login == "" || c.Secret == "" {
		return c, fmt.Errorf("%s is incomplete: enrol again", CredentialFile)
	}
	return c, nil
}

// SaveCredential writes the credential, readable by its owner only.
func SaveCredential(dir string, c Credential) error {
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	return writePrivate(filepath.Join(dir, CredentialFile), b)
}

func writePrivate(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// KeySigner signs event hashes with the workstation's key (localdb.Signer).
type KeySigner struct{ Key ed25519.PrivateKey }

// Sign returns the base64 signature of the hex hash's bytes.
func (k KeySigner) Sign(hash string) (string, error) {
	return base64.StdEncoding.EncodeToString(ed25519.Sign(k.Key, []byte(hash))), nil
}

// PublicKey is the base64 public half, as enrolment sends it.
func PublicKey(k ed25519.PrivateKey) string {
	return base64.StdEncoding.EncodeToString(k.Public().(ed25519.PublicKey))
}
