package client

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// Plain http is for this machine only. Names, document numbers, passwords
// and session tokens cross the line to the central, so a client refuses an
// http:// address whose host is not loopback (127.0.0.0/8, ::1, localhost)
// unless the caller says, with AllowInsecureHTTP, that it knows.

// ErrInsecureHTTP matches every *InsecureHTTPError with errors.Is.
var ErrInsecureHTTP = errors.New("plain http:// to a host that is not this machine")

// InsecureHTTPError refuses a plain http:// address of another host.
type InsecureHTTPError struct {
	URL  string
	Host string
}

func (e *InsecureHTTPError) Error() string {
	return fmt.Sprintf("the central's address %s is plain http:// to %s, which is not this machine: "+
		"passwords and personal data would cross the network unencrypted. Use https:// (with a CA file for "+
		"the centre's own certificate authority), or allow plain http knowingly", e.URL, e.Host)
}

// Is lets errors.Is(err, ErrInsecureHTTP) match.
func (e *InsecureHTTPError) Is(target error) bool { return target == ErrInsecureHTTP }

// AllowInsecureHTTP lets the client use a plain http:// address of another
// host (a private line the office trusts). Loopback needs no permission.
func AllowInsecureHTTP() Option {
	return func(c *config) error { c.insecureHTTP = true; return nil }
}

// CheckTransport refuses a plain http:// address whose host is not
// loopback (unless insecureOK): an *InsecureHTTPError. https:// and
// loopback pass. It is what New checks; commands call it early to say so
// before anything else happens.
func CheckTransport(baseURL string, insecureOK bool) error {
	u, err := url.Parse(baseURL)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return fmt.Errorf("client: server address %q: give it as http://host:port or https://host:port", baseURL)
	}
	if u.Scheme == "https" || insecureOK || IsLoopback(u.Hostname()) {
		return nil
	}
	return &InsecureHTTPError{URL: baseURL, Host: u.Hostname()}
}

// IsLoopback reports whether host names this machine: localhost, an
// address of 127.0.0.0/8, or ::1.
func IsLoopback(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
