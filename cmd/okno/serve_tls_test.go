package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/okno-mfc/okno/client"
)

// selfSigned writes a certificate for 127.0.0.1 and its key, PEM.
func selfSigned(t *testing.T) (certFile, keyFile string) {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "okno test central"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, IsCA: true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kb}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}

// serveFor runs okno serve with args until stop is called; it returns the
// port and the log.
func serveFor(t *testing.T, args ...string) (port string, logs *lockedBuffer, stop func()) {
	t.Helper()
	logs = &lockedBuffer{}
	done := make(chan int, 1)
	go func() {
		_, code := runWith(t, nil, logs, append([]string{"serve"}, args...)...)
		done <- code
	}()
	addrRe := regexp.MustCompile(`okno serve started" addr=\S*:(\d+)`)
	for deadline := time.Now().Add(10 * time.Second); port == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := addrRe.FindStringSubmatch(logs.String()); m != nil {
			port = m[1]
		}
	}
	if port == "" {
		t.Fatalf("the server did not start:\n%s", logs.String())
	}
	return port, logs, func() {
		syscall.Kill(os.Getpid(), syscall.SIGTERM)
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("exit %d:\n%s", code, logs.String())
			}
		case <-time.After(30 * time.Second):
			t.Fatal("the server did not stop on SIGTERM")
		}
	}
}

// TestServeTLS: with --tls-cert and --tls-key the central speaks TLS 1.2
// and 1.3 only, a client trusts it with --ca's file, and there is no
// plain-HTTP warning; the central's signing key is made beside the
// database, mode 0600.
func TestServeTLS(t *testing.T) {
	cert, key := selfSigned(t)
	db := filepath.Join(t.TempDir(), "central.db")
	port, logs, stop := serveFor(t, "--addr", "127.0.0.1:0", "--db", db, "--tls-cert", cert, "--tls-key", key)
	defer stop()
	addr := "127.0.0.1:" + port

	for _, v := range []uint16{tls.VersionTLS10, tls.VersionTLS11} {
		conn, err := tls.Dial("tcp", addr, &tls.Config{MinVersion: v, MaxVersion: v, InsecureSkipVerify: true})
		if err == nil {
			conn.Close()
			t.Errorf("a %s handshake succeeded", tls.VersionName(v))
		}
	}
	for _, v := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
		conn, err := tls.Dial("tcp", addr, &tls.Config{MinVersion: v, MaxVersion: v, InsecureSkipVerify: true})
		if err != nil {
			t.Errorf("%s refused: %v", tls.VersionName(v), err)
			continue
		}
		if got := conn.ConnectionState().Version; got != v {
			t.Errorf("asked for %s, got %s", tls.VersionName(v), tls.VersionName(got))
		}
		conn.Close()
	}
	ctx := context.Background()
	c, err := client.New("https://"+addr, client.WithCAFile(cert), client.WithRetry(client.RetryPolicy{Attempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	if h, err := c.Health(ctx); err != nil || h.Status != "ok" {
		t.Fatalf("health over TLS with the CA file: %+v %v", h, err)
	}
	untrusting, _ := client.New("https://"+addr, client.WithRetry(client.RetryPolicy{Attempts: 1}))
	if _, err := untrusting.Health(ctx); err == nil || !strings.Contains(err.Error(), "TLS") {
		t.Fatalf("a client without the CA file trusted the central: %v", err)
	}
	if strings.Contains(logs.String(), "plain HTTP") {
		t.Errorf("a plain-HTTP warning with TLS on:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), "the central signs its own events") {
		t.Errorf("no word of the signing key:\n%s", logs.String())
	}
	if fi, err := os.Stat(filepath.Join(filepath.Dir(db), "central-signing.key")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("signing key file: %v %v", fi, err)
	}
}

// A plain-HTTP central on loopback does not warn (it is the demo's and a
// single machine's setup); on every address it does (TestServe).
func TestServeLoopbackNoWarning(t *testing.T) {
	_, logs, stop := serveFor(t, "--addr", "127.0.0.1:0", "--db", filepath.Join(t.TempDir(), "central.db"))
	stop()
	if strings.Contains(logs.String(), "plain HTTP") {
		t.Errorf("a warning on loopback:\n%s", logs.String())
	}
}
