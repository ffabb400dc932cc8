package httpapi_test

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

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/central/httpapi"
	"github.com/okno-mfc/okno/domain"
)

// fromAddr is an HTTP client whose connections come from another loopback
// address (127.0.0.0/8 is all loopback on Linux).
func fromAddr(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	return &http.Client{Transport: &http.Transport{DialContext: d.DialContext, DisableKeepAlives: true}, Timeout: 10 * time.Second}
}

func signInFrom(t *testing.T, srv *centraltest.Server, c *http.Client, login, password string, header ...string) int {
	t.Helper()
	st, _ := signInAnswer(t, srv, c, login, password, header...)
	return st
}

// signInAnswer signs in through c (header: name, value, …) and returns the
// status and the Retry-After header.
func signInAnswer(t *testing.T, srv *centraltest.Server, c *http.Client, login, password string, header ...string) (int, string) {
	t.Helper()
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, srv.URL+"/v1/sessions",
		bytes.NewReader(mustJSON(t, api.SignInRequest{Login: login, Password: password})))
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Skipf("cannot connect from another loopback address here: %v", err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Retry-After")
}

// TestSignInSlowsGuessingPerLoginAndAddress: failures are counted per
// login and address. Ten wrong passwords from one address slow that
// address for that login (growing waits), never the owner elsewhere; a
// success ends the wait; successes never count. The same for a
// workstation's secret.
func TestSignInSlowsGuessingPerLoginAndAddress(t *testing.T) {
	t.Parallel()
	clk := &clock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	srv := centraltest.Start(t, centraltest.Clock(clk.Now))
	srv.AddUser(t, "anna", domain.RoleClerk, "IRK")
	ws := srv.Enrol(t, "IRK", 3)
	a, b := fromAddr("127.0.1.1"), fromAddr("127.0.1.2")

	for _, who := range []struct{ login, secret string }{{"anna", centraltest.Password("anna")}, {ws.Login, ws.Secret}} {
		for i := range 10 {
			if st := signInFrom(t, srv, a, who.login, "guess-guess"); st != http.StatusUnauthorized {
				t.Fatalf("%s: guess %d from A: %d", who.login, i+1, st)
			}
		}
		if st, after := signInAnswer(t, srv, a, who.login, who.secret); st != http.StatusTooManyRequests || after != "1" {
			t.Fatalf("%s: an eleventh try from A: %d (Retry-After %q), want 429 and 1 s", who.login, st, after)
		}
		if st := signInFrom(t, srv, b, who.login, who.secret); st != http.StatusCreated {
			t.Fatalf("%s: the right secret from B after ten wrong ones from A: %d, want 201", who.login, st)
		}
	}

	// The waits at A grow: 1 s, 2 s, 4 s …
	for i, want := range []string{"2", "4", "8"} {
		clk.Add(time.Duration(1<<i) * time.Second)
		if st := signInFrom(t, srv, a, "anna", "guess-guess"); st != http.StatusUnauthorized {
			t.Fatalf("a guess after the wait: %d", st)
		}
		if st, after := signInAnswer(t, srv, a, "anna", "guess-guess"); st != http.StatusTooManyRequests || after != want {
			t.Fatalf("the next guess at once: %d, Retry-After %q, want %s", st, after, want)
		}
	}
	// The owner at A, after the wait, signs in; that ends the count.
	clk.Add(8 * time.Second)
	if st := signInFrom(t, srv, a, "anna", centraltest.Password("anna")); st != http.StatusCreated {
		t.Fatalf("the right password at A after the wait: %d", st)
	}
	if st := signInFrom(t, srv, a, "anna", "typo"); st != http.StatusUnauthorized {
		t.Fatalf("a typo after a success: %d, want 401 (the count starts again)", st)
	}
	// Successes never count.
	for i := range 50 {
		if st := signInFrom(t, srv, a, "anna", centraltest.Password("anna")); st != http.StatusCreated {
			t.Fatalf("success %d: %d", i+1, st)
		}
	}
}

// TestSignInLimitPerAddress: one address guessing many logins is slowed
// after 30 failures a minute, whatever the logins; another address is not.
func TestSignInLimitPerAddress(t *testing.T) {
	t.Parallel()
	clk := &clock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	srv := centraltest.Start(t, centraltest.Clock(clk.Now))
	srv.AddUser(t, "boris", domain.RoleClerk, "IRK")
	one := fromAddr("127.0.2.1")
	for i := range 30 {
		if st := signInFrom(t, srv, one, "nobody"+strconv.Itoa(i), "guess-guess"); st != http.StatusUnauthorized {
			t.Fatalf("login %d: %d", i, st)
		}
	}
	if st := signInFrom(t, srv, one, "boris", centraltest.Password("boris")); st != http.StatusTooManyRequests {
		t.Fatalf("a 31st login from the same address: %d, want 429 (per address)", st)
	}
	if st := signInFrom(t, srv, fromAddr("127.0.2.2"), "boris", centraltest.Password("boris")); st != http.StatusCreated {
		t.Fatalf("boris from another address: %d", st)
	}
	clk.Add(time.Minute)
	if st := signInFrom(t, srv, one, "boris", centraltest.Password("boris")); st != http.StatusCreated {
		t.Fatalf("a minute later: %d", st)
	}
}

// TestSignInBehindTrustedProxy: behind a trusted proxy two clients are
// counted apart by X-Forwarded-For; an untrusted peer's X-Forwarded-For is
// ignored.
func TestSignInBehindTrustedProxy(t *testing.T) {
	t.Parallel()
	clk := &clock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	proxies, err := httpapi.ParseTrustedProxies("127.0.3.1, 10.9.0.0/16")
	if err != nil {
		t.Fatal(err)
	}
	srv := centraltest.Start(t, centraltest.Clock(clk.Now), centraltest.Config(func(c *httpapi.Config) { c.TrustedProxies = proxies }))
	srv.AddUser(t, "anna", domain.RoleClerk, "IRK")
	proxy, stranger := fromAddr("127.0.3.1"), fromAddr("127.0.3.2")

	for i := range 10 { // client 192.0.2.1, through the proxy (and an inner proxy of 10.9/16)
		if st := signInFrom(t, srv, proxy, "anna", "guess-guess", "X-Forwarded-For", "203.0.113.7, 192.0.2.1, 10.9.1.1"); st != http.StatusUnauthorized {
			t.Fatalf("guess %d: %d", i+1, st)
		}
	}
	if st := signInFrom(t, srv, proxy, "anna", "guess-guess", "X-Forwarded-For", "192.0.2.1"); st != http.StatusTooManyRequests {
		t.Fatalf("an eleventh guess of client 192.0.2.1: %d, want 429", st)
	}
	if st := signInFrom(t, srv, proxy, "anna", centraltest.Password("anna"), "X-Forwarded-For", "192.0.2.2"); st != http.StatusCreated {
		t.Fatalf("client 192.0.2.2 through the same proxy: %d, want 201 (counted apart)", st)
	}
	for i := range 10 { // a stranger writing a new X-Forwarded-For each time
		if st := signInFrom(t, srv, stranger, "anna", "guess-guess", "X-Forwarded-For", "198.51.100."+strconv.Itoa(i+1)); st != http.StatusUnauthorized {
			t.Fatalf("stranger's guess %d: %d", i+1, st)
		}
	}
	if st := signInFrom(t, srv, stranger, "anna", "guess-guess", "X-Forwarded-For", "198.51.100.99"); st != http.StatusTooManyRequests {
		t.Fatalf("the stranger's X-Forwarded-For was believed: %d, want 429", st)
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
