package api

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"strconv"
	"time"

	"github.com/okno-mfc/okno/domain"
)

// Wire types of the trust between a window and the central (issue 11):
// the keys a workstation re-verifies the feed with, and the central's
// signed statement of a window's head after a push.

// OfficeKeys answers GET /v1/offices/{office}/keys: the public keys that
// sign the events of an office's feed.
type OfficeKeys struct {
	Office string `json:"office"`
	// CentralKey signs the central's own events (window 0) and the head
	// receipts (base64 Ed25519); "" when the central has no signing key.
	CentralKey string `json:"central_key"`
	// Windows lists every key enrolled for a window of the office, by
	// window, oldest first: a window enrolled again with a new key appears
	// once per key, the last being its current one. An event of a window
	// verifies when its signature verifies with one of that window's keys.
	Windows []WindowKey `json:"windows"`
}

// WindowKey is one key enrolled for a window.
type WindowKey struct {
	Window     int       `json:"window"`
	PublicKey  string    `json:"public_key"` // base64 Ed25519
	EnrolledAt time.Time `json:"enrolled_at"`
}

// HeadReceipt is the central's signed statement that a window's chain, as
// the central holds it, ended at Seq with Hash at At (the central's clock).
// A workstation keeps the newest: events up to Seq reached the central, so
// a local chain shorter than a receipt was cut after it was synced.
type HeadReceipt struct {
	Office string    `json:"office"`
	Window int       `json:"window"`
	Seq    int64     `json:"seq"`
	Hash   string    `json:"hash"`
	At     time.Time `json:"at"`
	Sig    string    `json:"sig"` // base64 Ed25519 by the central's key over Message()
}

// headReceiptTag versions the encoding Message signs.
const headReceiptTag = "okno-head-v1"

// Message is the canonical encoding a receipt's signature covers: a
// version tag and every field but Sig, each length-prefixed (8 bytes, big
// endian), the time as At.UTC() in RFC 3339 with nanoseconds.
func (r HeadReceipt) Message() []byte {
	var b []byte
	put := func(s string) {
		b = binary.BigEndian.AppendUint64(b, uint64(len(s)))
		b = append(b, s...)
	}
	put(headReceiptTag)
	put(r.Office)
	put(strconv.Itoa(r.Window))
	put(strconv.FormatInt(r.Seq, 10))
	put(r.Hash)
	put(r.At.UTC().Format(time.RFC3339Nano))
	return b
}

// SignHead sets r.Sig with the central's key.
func SignHead(r *HeadReceipt, key ed25519.PrivateKey) {
	r.Sig = base64.StdEncoding.EncodeToString(ed25519.Sign(key, r.Message()))
}

// Verify checks the receipt's signature with the central's public key:
// ErrUnsigned or ErrBadSignature (wrapped, naming the window).
func (r HeadReceipt) Verify(pub ed25519.PublicKey) error {
	if r.Sig == "" {
		return fmt.Errorf("head receipt of %s window %d: %w", r.Office, r.Window, domain.ErrUnsigned)
	}
	sig, err := base64.StdEncoding.DecodeString(r.Sig)
	if err != nil || len(sig) != ed25519.SignatureSize || len(pub) != ed25519.PublicKeySize ||
		!ed25519.Verify(pub, r.Message(), sig) {
		return fmt.Errorf("head receipt of %s window %d seq %d: %w", r.Office, r.Window, r.Seq, domain.ErrBadSignature)
	}
	return nil
}
