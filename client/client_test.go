package client_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/client"
	"github.com/okno-mfc/okno/domain"
)

// fake is a tiny server that answers from a script and records the calls.
type fake struct {
	mu    sync.Mutex
	calls []*http.Request
	times []time.Time
	reply func(n int, w http.ResponseWriter, r *http.Request) // n from 1
	srv   *httptest.Server
}

func newFake(t *testing.T, reply func(n int, w http.ResponseWriter, r *http.Request)) *fake {
	f := &fake{reply: reply}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.calls = append(f.calls, r)
		f.times = append(f.times, time.Now())
		n := len(f.calls)
		f.mu.Unlock()
		f.reply(n, w, r)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fake) n() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

func errorReply(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"error":{"code":%q,"message":%q}}`, code, msg)
}

func fastClient(t *testing.T, url string, opts ...client.Option) *client.Client {
	t.Helper()
	c, err := client.New(url, append([]client.Option{client.WithToken("tok"), client.WithTimeout(2 * time.Second),
		client.WithRetry(client.RetryPolicy{Attempts: 4, Base: 5 * time.Millisecond, Max: 20 * time.Millisecond})}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestRetry503KeepsIdempotencyKey(t *testing.T) {
	t.Parallel()
	f := newFake(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if n < 3 {
			errorReply(w, http.StatusServiceUnavailable, "unavailable", "restarting")
			return
		}
		w.Write([]byte(`{"results":[{"id":"a","status":"accepted"}]}`))
	})
	c := fastClient(t, f.srv.URL)
	res, err := c.PushEvents(context.Background(), []domain.Event{{ID: "a"}})
	if err != nil || len(res.Results) != 1 {
		t.Fatalf("%+v %v", res, err)
	}
	if f.n() != 3 {
		t.Fatalf("%d calls, want 3", f.n())
	}
	key := f.calls[0].Header.Get("Idempotency-Key")
	if key == "" {
		t.Fatal("no Idempotency-Key on a POST")
	}
	for i, r := range f.calls {
		if r.Header.Get("Idempotency-Key") != key {
			t.Errorf("call %d: key %q, want %q", i+1, r.Header.Get("Idempotency-Key"), key)
		}
		if r.Header.Get("Authorization") != "Bearer tok" {
			t.Errorf("call %d: no token", i+1)
		}
	}
	// The next logical call has a new key.
	c.PushEvents(context.Background(), nil)
	if k := f.calls[len(f.calls)-1].Header.Get("Idempotency-Key"); k == key || k == "" {
		t.Fatalf("a new call reused the key %q", k)
	}
}

func TestRetry429HonoursRetryAfter(t *testing.T) {
	t.Parallel()
	f := newFake(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			w.Header().Set("Retry-After", "1")
			errorReply(w, http.StatusTooManyRequests, "rate_limited", "slow down")
			return
		}
		w.Write([]byte(`{"status":"ok","store":"sqlite"}`))
	})
	c := fastClient(t, f.srv.URL)
	if _, err := c.Health(context.Background()); err != nil {
		t.Fatal(err)
	}
	if f.n() != 2 {
		t.Fatalf("%d calls, want 2", f.n())
	}
	if gap := f.times[1].Sub(f.times[0]); gap < 900*time.Millisecond {
		t.Fatalf("retried after %v, the server asked for 1 s", gap)
	}
}

func TestRetryAfterTooLongIsReturned(t *testing.T) {
	t.Parallel()
	f := newFake(t, func(n int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		errorReply(w, http.StatusTooManyRequests, "rate_limited", "come back in an hour")
	})
	_, err := fastClient(t, f.srv.URL).Health(context.Background())
	var ae *client.APIError
	if !errors.Is(err, client.ErrRateLimited) || !errors.As(err, &ae) || ae.RetryAfter != time.Hour || f.n() != 1 {
		t.Fatalf("%v (%d calls)", err, f.n())
	}
}

func TestNoRetryOn4xx(t *testing.T) {
	t.Parallel()
	cases := []struct {
		status int
		code   string
		is     error
	}{
		{400, "bad_request", nil},
		{401, "unauthorized", client.ErrUnauthorized},
		{403, "forbidden", client.ErrForbidden},
		{404, "empty", domain.ErrQueueEmpty},
		{409, "conflict", client.ErrRejected},
		{413, "too_large", client.ErrTooLarge},
		{422, "invalid", client.ErrRejected},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.status), func(t *testing.T) {
			t.Parallel()
			f := newFake(t, func(int, http.ResponseWriter, *http.Request) {})
			f.reply = func(_ int, w http.ResponseWriter, _ *http.Request) { errorReply(w, tc.status, tc.code, "what to do") }
			_, err := fastClient(t, f.srv.URL).CallNext(context.Background(), "IRK", api.CallNextRequest{Window: 1})
			var ae *client.APIError
			if !errors.As(err, &ae) || ae.Status != tc.status || ae.Code != tc.code || ae.Message != "what to do" {
				t.Fatalf("%v", err)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Fatalf("%v is not %v", err, tc.is)
			}
			if errors.Is(err, client.ErrServer) || errors.Is(err, client.ErrOffline) {
				t.Fatalf("%v matches a retryable error", err)
			}
			var rej *client.RejectedError
			if (tc.status == 409 || tc.status == 422) != errors.As(err, &rej) {
				t.Fatalf("RejectedError for %d: %v", tc.status, err)
			}
			if f.n() != 1 {
				t.Fatalf("%d calls, want 1", f.n())
			}
		})
	}
}

func TestServerErrorAfterRetries(t *testing.T) {
	t.Parallel()
	f := newFake(t, func(_ int, w http.ResponseWriter, _ *http.Request) { errorReply(w, 500, "internal", "oops") })
	_, err := fastClient(t, f.srv.URL).Feed(context.Background(), 0, 0)
	if !errors.Is(err, client.ErrServer) || f.n() != 4 {
		t.Fatalf("%v after %d calls", err, f.n())
	}
}

func TestOffline(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, err = fastClient(t, "http://"+addr).Feed(context.Background(), 0, 0)
	if !errors.Is(err, client.ErrOffline) {
		t.Fatalf("closed port: %v", err)
	}

	// A server that does not answer in time is offline too.
	f := newFake(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	c := fastClient(t, f.srv.URL, client.WithTimeout(50*time.Millisecond))
	if _, err := c.Queue(context.Background(), "IRK"); !errors.Is(err, client.ErrOffline) {
		t.Fatalf("timeout: %v", err)
	}
	// The caller's own end is not "offline".
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Queue(ctx, "IRK"); !errors.Is(err, context.Canceled) || errors.Is(err, client.ErrOffline) {
		t.Fatalf("cancelled: %v", err)
	}
}

func TestTLSWithCAFile(t *testing.T) {
	t.Parallel()
	srv := centraltest.Start(t, centraltest.TLS())
	c, err := client.New(srv.URL, client.WithCAFile(srv.CAFile))
	if err != nil {
		t.Fatal(err)
	}
	h, err := c.Health(context.Background())
	if err != nil || h.Status != "ok" {
		t.Fatalf("%+v %v", h, err)
	}
	// Without the CA the server is not trusted, and that is not "offline".
	plain, _ := client.New(srv.URL)
	_, err = plain.Health(context.Background())
	if err == nil || errors.Is(err, client.ErrOffline) {
		t.Fatalf("untrusted server: %v", err)
	}
}

func TestWatchQueueReconnects(t *testing.T) {
	t.Parallel()
	f := newFake(t, func(n int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprintf(w, ": ping\n\nevent: snapshot\ndata: {\"office\":\"IRK\",\"waiting\":[],\n")
		fmt.Fprintf(w, "data: \"windows\":[],\"today\":{\"visitors\":%d}}\n\n", n)
		// and the connection ends: the client reconnects
	})
	c := fastClient(t, f.srv.URL)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var got []int
	var links []error
	err := c.WatchQueue(ctx, "IRK", func(s api.QueueSnapshot) error {
		got = append(got, s.Today.Visitors)
		if len(got) == 3 {
			return errors.New("enough")
		}
		return nil
	}, func(err error) { links = append(links, err) })
	if err == nil || err.Error() != "enough" {
		t.Fatalf("watch ended with %v", err)
	}
	if len(got) != 3 || got[0] != 1 || got[2] != 3 {
		t.Fatalf("snapshots %v", got)
	}
	if len(links) < 4 || links[0] != nil || !errors.Is(links[1], client.ErrOffline) {
		t.Fatalf("link reports %v", links)
	}
}
