// Package notifytest runs the receiving side of notices inside a test: a
// real SMTP server (github.com/emersion/go-smtp) on 127.0.0.1 that offers
// STARTTLS with a certificate of its own CA, and a fake SMS gateway; both
// keep what they took.
package notifytest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// A real SMTP server (emersion/go-smtp) on 127.0.0.1 that offers STARTTLS
// with a certificate of its own CA, and keeps what it receives.

type Mailbox struct {
	mu       sync.Mutex
	Mails    []Mail
	reject   map[string]*smtp.SMTPError // by recipient: 4xx or 5xx
	PlainTry bool                       // a message came without TLS
}

type Mail struct {
	From string
	To   []string
	Data string // the message as the server took it
}

// All is what the server took.
func (b *Mailbox) All() []Mail {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]Mail(nil), b.Mails...)
}

// SetReject makes the server answer RCPT TO for to with e (nil: take it).
func (b *Mailbox) SetReject(to string, e *smtp.SMTPError) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if e == nil {
		delete(b.reject, to)
		return
	}
	b.reject[to] = e
}

type session struct {
	b    *Mailbox
	c    *smtp.Conn
	from string
	to   []string
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }
func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if _, ok := s.c.TLSConnectionState(); !ok {
		s.b.mu.Lock()
		s.b.PlainTry = true
		s.b.mu.Unlock()
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "STARTTLS first"}
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	if e := s.b.reject[to]; e != nil {
		return e
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.b.mu.Lock()
	defer s.b.mu.Unlock()
	s.b.Mails = append(s.b.Mails, Mail{From: s.from, To: s.to, Data: string(data)})
	return nil
}

// StartSMTP starts the server and returns its address, a CA file that
// trusts it, and its mailbox.
func StartSMTP(t *testing.T) (addr, caFile string, box *Mailbox) {
	t.Helper()
	cert, caPEM := selfSigned(t)
	box = &Mailbox{reject: map[string]*smtp.SMTPError{}}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &session{b: box, c: c}, nil }))
	srv.Domain = "localhost"
	srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, smtp.ErrServerClosed) {
			t.Logf("smtp server: %v", err)
		}
	}()
	t.Cleanup(func() { srv.Close() })
	caFile = filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, caPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	return ln.Addr().String(), caFile, box
}

func selfSigned(t *testing.T) (tls.Certificate, []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "okno test smtp"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA: true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	pair, err := tls.X509KeyPair(certPEM, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}))
	if err != nil {
		t.Fatal(err)
	}
	return pair, certPEM
}

// A fake SMS gateway on 127.0.0.1: it keeps the bodies it took and can
// answer 503 to the next few requests.
type GatewayLog struct {
	mu     sync.Mutex
	bodies []string
	tries  int
	Fail   int // answer 503 to this many more requests
	Auth   []string
}

// Taken are the bodies the gateway took.
func (g *GatewayLog) Taken() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.bodies...)
}

// StartGateway starts the fake gateway and returns its URL.
func StartGateway(t *testing.T) (string, *GatewayLog) {
	t.Helper()
	g := &GatewayLog{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		g.mu.Lock()
		defer g.mu.Unlock()
		g.tries++
		g.Auth = append(g.Auth, r.Header.Get("Authorization"))
		if g.Fail > 0 {
			g.Fail--
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			http.Error(w, "json please", http.StatusUnsupportedMediaType)
			return
		}
		g.bodies = append(g.bodies, string(b))
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/send", g
}
