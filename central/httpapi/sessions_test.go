package httpapi_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/central/httpapi"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/client"
	"github.com/okno-mfc/okno/domain"
)

// clock is a settable test clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func TestSessions(t *testing.T) {
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		clk := &clock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
		srv := centraltest.Start(t, opt, centraltest.Clock(clk.Now), centraltest.StoreOptions(func(o *store.Options) {
			o.SessionIdle, o.SessionMax = time.Hour, 3*time.Hour
		}))
		ctx := context.Background()
		srv.AddUser(t, "anna", domain.RoleClerk, "IRK")
		c := srv.Client(t, "")

		if _, err := c.SignIn(ctx, "anna", "wrong password", 3); !errors.Is(err, client.ErrUnauthorized) {
			t.Fatalf("wrong password: %v", err)
		}
		if _, err := c.SignIn(ctx, "nobody", "whatever-long", 3); !errors.Is(err, client.ErrUnauthorized) {
			t.Fatalf("unknown login: %v", err)
		}
		in, err := c.SignIn(ctx, "anna", centraltest.Password("anna"), 3)
		if err != nil || in.Operator.Role != domain.RoleClerk || in.Operator.Window != 3 || in.Operator.Name != "Anna" || len(in.Token) != 43 {
			t.Fatalf("sign in: %+v %v", in, err)
		}
		if n := srv.Count(t, "SELECT COUNT(*) FROM sessions WHERE token_hash = '"+in.Token+"'"); n != 0 {
			t.Fatal("the token is stored in the clear")
		}

		// Idle expiry slides with use.
		clk.Add(50 * time.Minute)
		if _, err := c.Catalog(ctx, ""); err != nil {
			t.Fatalf("after 50 min: %v", err)
		}
		clk.Add(50 * time.Minute)
		if _, err := c.Catalog(ctx, ""); err != nil {
			t.Fatalf("50 min after the last use: %v", err)
		}
		clk.Add(61 * time.Minute)
		if _, err := c.Catalog(ctx, ""); !errors.Is(err, client.ErrUnauthorized) {
			t.Fatalf("idle for 61 min: %v", err)
		}

		// Absolute expiry, however busy.
		if _, err := c.SignIn(ctx, "anna", centraltest.Password("anna"), 3); err != nil {
			t.Fatal(err)
		}
		for range 6 {
			clk.Add(30 * time.Minute)
			_, err = c.Catalog(ctx, "")
		}
		if !errors.Is(err, client.ErrUnauthorized) {
			t.Fatalf("after the absolute expiry: %v", err)
		}

		// Sign-out revokes.
		if _, err := c.SignIn(ctx, "anna", centraltest.Password("anna"), 3); err != nil {
			t.Fatal(err)
		}
		tok := c.Token()
		if err := c.SignOut(ctx); err != nil {
			t.Fatal(err)
		}
		if st, _, _ := call(t, srv, http.MethodGet, "/v1/catalog", tok, nil); st != http.StatusUnauthorized {
			t.Fatalf("after sign-out: %d", st)
		}

		// A workstation signs in with its secret; re-enrolling ends its sessions.
		ws := srv.Enrol(t, "IRK", 5)
		wc := srv.Client(t, "")
		in, err = wc.SignIn(ctx, ws.Login, ws.Secret, 0)
		if err != nil || in.Operator.Role != domain.RoleWorkstation || in.Operator.Window != 5 || in.Operator.Office != "IRK" {
			t.Fatalf("workstation sign-in: %+v %v", in, err)
		}
		srv.Enrol(t, "IRK", 5)
		if _, err := wc.Catalog(ctx, ""); !errors.Is(err, client.ErrUnauthorized) {
			t.Fatalf("after re-enrolment: %v", err)
		}
		if _, err := wc.SignIn(ctx, ws.Login, ws.Secret, 0); !errors.Is(err, client.ErrUnauthorized) {
			t.Fatalf("old secret after re-enrolment: %v", err)
		}
	})
}

// TestSignInRateLimit: more than 10 attempts a minute for one login (or
// from one address) are answered 429 with Retry-After.
func TestSignInRateLimit(t *testing.T) {
	t.Parallel()
	clk := &clock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	srv := centraltest.Start(t, centraltest.Clock(clk.Now))
	srv.AddUser(t, "anna", domain.RoleClerk, "IRK")
	body := mustJSON(t, api.SignInRequest{Login: "anna", Password: "guess-guess"})
	for i := range 10 {
		if st, b, _ := call(t, srv, http.MethodPost, "/v1/sessions", "", body); st != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d %s", i+1, st, b)
		}
	}
	st, b, h := call(t, srv, http.MethodPost, "/v1/sessions", "", mustJSON(t, api.SignInRequest{Login: "anna", Password: centraltest.Password("anna")}))
	if st != http.StatusTooManyRequests || h.Get("Retry-After") == "" || errCode(t, b) != api.CodeRateLimited {
		t.Fatalf("11th attempt: %d %s %v", st, b, h)
	}
	clk.Add(time.Minute)
	if st, b, _ := call(t, srv, http.MethodPost, "/v1/sessions", "", mustJSON(t, api.SignInRequest{Login: "anna", Password: centraltest.Password("anna")})); st != http.StatusCreated {
		t.Fatalf("a minute later: %d %s", st, b)
	}
}

// TestRequestRateLimit: a session's requests beyond its rate are 429s.
func TestRequestRateLimit(t *testing.T) {
	t.Parallel()
	srv := centraltest.Start(t, centraltest.Config(func(c *httpapi.Config) { c.RequestsPerSecond, c.RequestBurst = 1, 3 }))
	tok := srv.Session(t, "anna", domain.RoleClerk, "IRK", 1)
	var last int
	var h http.Header
	for range 5 {
		last, _, h = call(t, srv, http.MethodGet, "/v1/catalog?hash=x", tok, nil)
	}
	if last != http.StatusTooManyRequests || h.Get("Retry-After") != "1" {
		t.Fatalf("status %d, Retry-After %q", last, h.Get("Retry-After"))
	}
}

// TestRealArgon2 checks the production cost verifies, once.
func TestRealArgon2(t *testing.T) {
	t.Parallel()
	srv := centraltest.Start(t, centraltest.StoreOptions(func(o *store.Options) { o.Argon2 = store.DefaultArgon2 }))
	srv.AddUser(t, "anna", domain.RoleClerk, "IRK")
	var hash string
	if err := srv.SQL(t).QueryRow("SELECT pass_hash FROM users WHERE login = 'anna'").Scan(&hash); err != nil {
		t.Fatal(err)
	}
	if want := "$argon2id$v=19$m=19456,t=2,p=1$"; len(hash) < len(want) || hash[:len(want)] != want {
		t.Fatalf("hash %q", hash)
	}
	if _, err := srv.Client(t, "").SignIn(context.Background(), "anna", centraltest.Password("anna"), 0); err != nil {
		t.Fatal(err)
	}
}
