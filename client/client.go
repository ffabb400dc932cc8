// Package client is the typed REST client of the okno central server
// (/v1): one method per endpoint, contexts and timeouts, TLS with a custom
// CA, the session token, and retries with exponential backoff and full
// jitter on network errors, 5xx and 429 (honouring Retry-After), never on
// other 4xx — resty's own retry loop, with okno's condition, wait and
// Retry-After rules plugged in (do.go). Every POST carries an
// Idempotency-Key that stays the same across the retries of one call.
//
// Errors are typed for the caller to act on: ErrOffline (no link),
// ErrUnauthorized (sign in again), *RejectedError (the server refused the
// request's content, with its reason), ErrServer (the server failed after
// the retries), and *APIError for every error answer; match them with
// errors.Is and errors.As.
package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/go-resty/resty/v2"
)

// Client talks to one central server. It is safe for concurrent use.
type Client struct {
	r       *resty.Client // the queue stream: no retry, no timeout (WatchQueue reconnects)
	calls   *resty.Client // every other call: resty's retry, each try bounded by the timeout
	blobs   *resty.Client // attachments: as calls, each try bounded by blobTimeout
	base    string
	timeout time.Duration
	retry   RetryPolicy
	log     *slog.Logger
	sleep   func(ctx context.Context, d time.Duration) error

	mu    sync.RWMutex
	token string
}

// RetryPolicy says how a call is retried after a network error, a 5xx or a
// 429. The wait before retry n (from 1) is a random time in
// [Base, min(Max, Base·2^(n-1))] ("full jitter", at least Base), or the
// server's Retry-After.
type RetryPolicy struct {
	Attempts      int           // tries in all, first included; 1 means no retry. Default 4.
	Base          time.Duration // default 200 ms
	Max           time.Duration // longest computed wait; default 5 s
	MaxRetryAfter time.Duration // a longer Retry-After is not waited for: the error is returned. Default 30 s.
}

// DefaultRetry is the policy of a new client.
var DefaultRetry = RetryPolicy{Attempts: 4, Base: 200 * time.Millisecond, Max: 5 * time.Second, MaxRetryAfter: 30 * time.Second}

// Option configures New.
type Option func(*config) error

type config struct {
	timeout time.Duration
	caFile  string
	token   string
	log     *slog.Logger
	retry   RetryPolicy
	rt      http.RoundTripper

	insecureHTTP bool // see AllowInsecureHTTP
}

// WithTimeout bounds each try of a call (default 30 s). The queue stream is
// bounded by its heartbeats instead.
func WithTimeout(d time.Duration) Option {
	return func(c *config) error { c.timeout = d; return nil }
}

// WithCAFile trusts the PEM certificates in path (and not the system's) for
// an https:// server with its own CA.
func WithCAFile(path string) Option {
	return func(c *config) error { c.caFile = path; return nil }
}

// WithToken starts the client signed in with a session token.
func WithToken(token string) Option {
	return func(c *config) error { c.token = token; return nil }
}

// WithLogger logs retries at debug level (method, path, attempt, wait,
// status or error: never bodies).
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error { c.log = l; return nil }
}

// WithRetry sets the retry policy; zero fields take DefaultRetry's.
func WithRetry(p RetryPolicy) Option {
	return func(c *config) error { c.retry = p; return nil }
}

// WithTransport replaces the HTTP transport (tests, proxies).
func WithTransport(rt http.RoundTripper) Option {
	return func(c *config) error { c.rt = rt; return nil }
}

// New makes a client of the server at baseURL (https://host:port, or
// http://host:port on loopback or with AllowInsecureHTTP; without /v1). A
// plain http:// address of another host is an *InsecureHTTPError.
func New(baseURL string, opts ...Option) (*Client, error) {
	cfg := config{timeout: 30 * time.Second, retry: DefaultRetry}
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	if err := CheckTransport(baseURL, cfg.insecureHTTP); err != nil {
		return nil, err
	}
	cfg.retry = fillRetry(cfg.retry)
	if cfg.log == nil {
		cfg.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	tr := cfg.rt
	if tr == nil {
		tc, err := tlsConfig(cfg)
		if err != nil {
			return nil, err
		}
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.TLSClientConfig = tc
		t.MaxIdleConnsPerHost = 16
		t.ResponseHeaderTimeout = cfg.timeout
		tr = t
	}
	mk := func() *resty.Client {
		return resty.New().
			SetBaseURL(strings.TrimRight(baseURL, "/")).
			SetTransport(tr).
			SetHeader("User-Agent", "okno").
			SetLogger(quietLogger{})
	}
	c := &Client{r: mk(), base: baseURL, timeout: cfg.timeout, retry: cfg.retry, log: cfg.log, sleep: sleepCtx, token: cfg.token}
	c.calls = c.withRetry(mk().SetTimeout(cfg.timeout))
	c.blobs = c.withRetry(mk().SetTimeout(max(cfg.timeout, blobTimeout)))
	return c, nil
}

func fillRetry(p RetryPolicy) RetryPolicy {
	if p.Attempts <= 0 {
		p.Attempts = DefaultRetry.Attempts
	}
	if p.Base <= 0 {
		p.Base = DefaultRetry.Base
	}
	if p.Max <= 0 {
		p.Max = DefaultRetry.Max
	}
	if p.MaxRetryAfter <= 0 {
		p.MaxRetryAfter = DefaultRetry.MaxRetryAfter
	}
	return p
}

func tlsConfig(cfg config) (*tls.Config, error) {
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	if cfg.caFile != "" {
		pem, err := os.ReadFile(cfg.caFile)
		if err != nil {
			return nil, fmt.Errorf("client: CA file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("client: CA file %s holds no PEM certificate", cfg.caFile)
		}
		tc.RootCAs = pool
	}
	return tc, nil
}

// Token is the current session token ("" when signed out).
func (c *Client) Token() string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.token
}

// SetToken sets the session token (e.g. one kept from an earlier run).
func (c *Client) SetToken(t string) {
	c.mu.Lock()
	c.token = t
	c.mu.Unlock()
}

// BaseURL is the server's address.
func (c *Client) BaseURL() string { return c.base }

// quietLogger drops resty's own messages: they name the request's URL
// with its query, which may hold what was searched for. The retry hook
// (do.go) logs each failed try without it.
type quietLogger struct{}

func (quietLogger) Errorf(string, ...any) {}
func (quietLogger) Warnf(string, ...any)  {}
func (quietLogger) Debugf(string, ...any) {}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

var errNoToken = errors.New("client: not signed in: call SignIn first")
