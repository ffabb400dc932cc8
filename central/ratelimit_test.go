package central_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/domain"
)

// fromAddr is an HTTP client whose connections come from another loopback
// address (127.0.0.0/8 is all loopback on Linux).
func fromAddr(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	return &http.Client{Transport: &http.Transport{DialContext: d.DialContext, DisableKeepAlives: true}, Timeout: 10 * time.Second}
}

func signInFrom(t *testing.T, srv *centraltest.Server, c *http.Client, login, password string) int {
	t.Helper()
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, srv.URL+"/v1/sessions",
		bytes.NewReader(mustJSON(t, domain.SignInRequest{Login: login, Password: password})))
	resp, err := c.Do(req)
	if err != nil {
		t.Skipf("cannot connect from another loopback address here: %v", err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestSignInRateLimitPerLoginAndAddress: the two limits hold apart. One
// login guessed at from many addresses is stopped (per login); one address
// guessing many logins is stopped (per address); a third party, another
// login from another address, is not.
func TestSignInRateLimitPerLoginAndAddress(t *testing.T) {
	t.Parallel()
	clk := &clock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	srv := centraltest.Start(t, centraltest.Clock(clk.Now))
	srv.AddUser(t, "anna", domain.RoleClerk, "IRK")
	srv.AddUser(t, "boris", domain.RoleClerk, "IRK")

	for i := range 10 { // anna's password, guessed from ten addresses
		if st := signInFrom(t, srv, fromAddr("127.0.1."+strconv.Itoa(i+1)), "anna", "guess-guess"); st != http.StatusUnauthorized {
			t.Fatalf("guess %d: %d", i+1, st)
		}
	}
	if st := signInFrom(t, srv, fromAddr("127.0.1.50"), "anna", centraltest.Password("anna")); st != http.StatusTooManyRequests {
		t.Fatalf("anna from an eleventh address: %d, want 429 (per login)", st)
	}
	if st := signInFrom(t, srv, fromAddr("127.0.1.51"), "boris", centraltest.Password("boris")); st != http.StatusCreated {
		t.Fatalf("boris from a fresh address: %d", st)
	}

	one := fromAddr("127.0.2.1") // one address, ten logins
	for i := range 10 {
		if st := signInFrom(t, srv, one, "nobody"+strconv.Itoa(i), "guess-guess"); st != http.StatusUnauthorized {
			t.Fatalf("login %d: %d", i, st)
		}
	}
	if st := signInFrom(t, srv, one, "boris", centraltest.Password("boris")); st != http.StatusTooManyRequests {
		t.Fatalf("an eleventh login from the same address: %d, want 429 (per address)", st)
	}
	clk.Add(time.Minute)
	if st := signInFrom(t, srv, one, "boris", centraltest.Password("boris")); st != http.StatusCreated {
		t.Fatalf("a minute later: %d", st)
	}
}

// TestSessionTokens: a token carries 256 random bits and only its SHA-256
// is stored.
func TestSessionTokens(t *testing.T) {
	t.Parallel()
	srv := centraltest.Start(t)
	seen := map[string]bool{}
	for range 20 {
		tok := srv.Session(t, "anna", domain.RoleClerk, "IRK", 1)
		if len(tok) != 43 || seen[tok] { // base64url of 32 bytes, never repeated
			t.Fatalf("token %q", tok)
		}
		seen[tok] = true
		sum := sha256.Sum256([]byte(tok))
		if n := srv.Count(t, "SELECT COUNT(*) FROM sessions WHERE token_hash = '"+hex.EncodeToString(sum[:])+"'"); n != 1 {
			t.Fatalf("the session is not stored under the token's hash")
		}
		if n := srv.Count(t, "SELECT COUNT(*) FROM sessions WHERE token_hash = '"+tok+"' OR login = '"+tok+"'"); n != 0 {
			t.Fatalf("the token is stored in the clear")
		}
	}
}
