package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"time"

	"github.com/go-resty/resty/v2"
	"github.com/google/uuid"
)

// call is one logical request, tried as often as the policy allows.
type call struct {
	method  string
	path    string
	query   url.Values
	body    any    // JSON-encoded once, or raw with contentType
	raw     []byte // a raw body (blobs)
	ctype   string
	out     any           // decoded from a 2xx JSON answer
	noAuth  bool          // sign-in, health
	timeout time.Duration // of each try, when longer than the client's (attachments)
}

// do runs c: it retries network errors, 5xx and 429 with backoff, and
// returns the last answer or a typed error.
func (cl *Client) do(ctx context.Context, c call) (*resty.Response, error) {
	var body []byte
	ctype := c.ctype
	switch {
	case c.raw != nil:
		body = c.raw
	case c.body != nil:
		b, err := json.Marshal(c.body)
		if err != nil {
			return nil, fmt.Errorf("client: encode the %s %s body: %w", c.method, c.path, err)
		}
		body, ctype = b, "application/json"
	}
	token := cl.Token()
	if !c.noAuth && token == "" {
		return nil, errNoToken
	}
	var key string
	if c.method == http.MethodPost {
		key = uuid.NewString() // one per logical call: its retries repeat it
	}
	var last error
	for attempt := 1; ; attempt++ {
		resp, err := cl.try(ctx, c, body, ctype, token, key)
		var wait time.Duration
		switch {
		case err != nil:
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if isTLSTrust(err) {
				return nil, fmt.Errorf("client: TLS with %s: %w (check the CA file and the server's name)", cl.base, err)
			}
			last = fmt.Errorf("%w: %s %s: %w", ErrOffline, c.method, c.path, bareNetError(err))
		case resp.StatusCode() < 300:
			if c.out != nil && len(resp.Body()) > 0 {
				if err := json.Unmarshal(resp.Body(), c.out); err != nil {
					return resp, fmt.Errorf("client: %s %s: the answer does not decode: %w", c.method, c.path, err)
				}
			}
			return resp, nil
		default:
			last = apiError(resp.StatusCode(), resp.Header(), resp.Body())
			st := resp.StatusCode()
			if st != http.StatusTooManyRequests && st < 500 {
				return resp, last
			}
			var ae *APIError
			if errors.As(last, &ae) && ae.RetryAfter > 0 {
				if ae.RetryAfter > cl.retry.MaxRetryAfter {
					return resp, last
				}
				wait = ae.RetryAfter
			}
		}
		if attempt >= cl.retry.Attempts {
			return nil, last
		}
		if wait == 0 {
			wait = cl.backoff(attempt)
		}
		cl.log.Debug("retrying", "method", c.method, "path", c.path, "attempt", attempt, "wait", wait, "err", last)
		if err := cl.sleep(ctx, wait); err != nil {
			return nil, err
		}
	}
}

// try sends one attempt, bounded by the client's timeout.
func (cl *Client) try(ctx context.Context, c call, body []byte, ctype, token, key string) (*resty.Response, error) {
	actx, cancel := context.WithTimeout(ctx, max(cl.timeout, c.timeout))
	defer cancel()
	req := cl.r.R().SetContext(actx).SetHeader("Accept", "application/json")
	if !c.noAuth || token != "" {
		if token != "" {
			req.SetAuthToken(token)
		}
	}
	if key != "" {
		req.SetHeader("Idempotency-Key", key)
	}
	if body != nil {
		req.SetHeader("Content-Type", ctype).SetBody(body)
	}
	if c.query != nil {
		req.SetQueryParamsFromValues(c.query)
	}
	return req.Execute(c.method, c.path)
}

// backoff is the full-jitter wait before retry n (from 1).
func (cl *Client) backoff(n int) time.Duration {
	ceil := cl.retry.Base << min(n-1, 20)
	if ceil <= 0 || ceil > cl.retry.Max {
		ceil = cl.retry.Max
	}
	return time.Duration(rand.Int64N(int64(ceil) + 1))
}

// bareNetError drops the URL (with its query, which may hold what was
// searched for) from a transport error: errors end up in logs, and the
// method and path are said beside it.
func bareNetError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return ue.Err
	}
	return err
}
