package client_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/okno-mfc/okno/client"
)

func TestPlainHTTPOnlyToLoopback(t *testing.T) {
	t.Parallel()
	cases := []struct {
		url     string
		allowed bool // without AllowInsecureHTTP
	}{
		{"http://127.0.0.1:8420", true},
		{"http://127.5.4.3:8420", true},
		{"http://[::1]:8420", true},
		{"http://localhost:8420", true},
		{"http://LOCALHOST.:8420", true},
		{"https://okno.example", true},
		{"https://10.0.0.5:8443", true},
		{"http://10.0.0.5:8420", false},
		{"http://okno.example", false},
		{"http://0.0.0.0:8420", false},
		{"http://[::ffff:10.0.0.5]:8420", false},
		{"http://[fe80::1]:8420", false},
		{"http://127.0.0.1.example.org", false},
	}
	for _, c := range cases {
		_, err := client.New(c.url)
		if c.allowed {
			if err != nil {
				t.Errorf("%s: %v", c.url, err)
			}
			continue
		}
		var ie *client.InsecureHTTPError
		if !errors.Is(err, client.ErrInsecureHTTP) || !errors.As(err, &ie) {
			t.Errorf("%s: not refused: %v", c.url, err)
			continue
		}
		if !strings.Contains(err.Error(), "https://") || !strings.Contains(err.Error(), "not this machine") {
			t.Errorf("%s: the message does not say what to do: %v", c.url, err)
		}
		if _, err := client.New(c.url, client.AllowInsecureHTTP()); err != nil {
			t.Errorf("%s allowed knowingly: %v", c.url, err)
		}
	}
	for _, bad := range []string{"okno.example:8420", "ftp://okno.example", "http://"} {
		if _, err := client.New(bad); err == nil || errors.Is(err, client.ErrInsecureHTTP) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

// Allowed knowingly, a plain http central of another host is used: here a
// name that the transport resolves to a loopback test server.
func TestInsecureHTTPAllowedKnowingly(t *testing.T) {
	t.Parallel()
	f := newFake(t, func(n int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"status":"ok"}`))
	})
	addr := f.srv.Listener.Addr().String()
	tr := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}}
	c, err := client.New("http://central.office.lan:8420", client.AllowInsecureHTTP(), client.WithTransport(tr))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Health(context.Background()); err != nil {
		t.Fatal(err)
	}
	if f.n() != 1 || f.calls[0].Host != "central.office.lan:8420" {
		t.Errorf("calls: %d", f.n())
	}
}

// FuzzCheckTransport: any address either passes or is refused with an
// error, never a panic; a plain http address passes only for loopback.
func FuzzCheckTransport(f *testing.F) {
	for _, s := range []string{"http://127.0.0.1:8420", "http://10.0.0.5", "https://x", "http://[::1]:1", "http://localhost", "http://%zz", "http://[fe80::1%25eth0]:80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, addr string) {
		err := client.CheckTransport(addr, false)
		if err != nil {
			return
		}
		u, perr := url.Parse(addr)
		if perr != nil {
			t.Fatalf("%q passed but does not parse: %v", addr, perr)
		}
		if u.Scheme == "http" && !client.IsLoopback(u.Hostname()) {
			t.Fatalf("%q: plain http to %q passed", addr, u.Hostname())
		}
		if u.Scheme != "http" && u.Scheme != "https" {
			t.Fatalf("%q: scheme %q passed", addr, u.Scheme)
		}
	})
}
