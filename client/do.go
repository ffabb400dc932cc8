package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/go-resty/resty/v2"
	"github.com/google/uuid"
)

// call is one logical request, tried as often as the policy allows.
type call struct {
	method string
	path   string
	query  url.Values
	body   any    // JSON-encoded once, or raw with contentType
	raw    []byte // a raw body (blobs)
	ctype  string
	out    any  // decoded from a 2xx JSON answer
	noAuth bool // sign-in, health
	long   bool // an attachment: each try may take blobTimeout
	// onContinue, when set, sends the request with "Expect: 100-continue"
	// and is called when the server asks for the body (each try).
	onContinue func()
}

// errWaitTooLong stops resty's retry loop when the server's Retry-After
// is longer than the policy waits: the answer goes back to the caller.
var errWaitTooLong = errors.New("client: Retry-After longer than the retry policy waits")

// withRetry sets resty's retry on rc by the client's policy: resty runs the
// loop (the same request, Idempotency-Key and body on every try; it stops
// when the context ends), retryable says what is tried again, waitFor how
// long to wait. resty's own jitter and cap are not used as they stand: it
// clamps a Retry-After to its maximum wait, so a server's "come back in
// 10 s" would be retried after Max; waitFor returns the Retry-After itself
// (up to MaxRetryAfter) and the full-jitter backoff otherwise, and the
// maximum given to resty is the larger of the two limits.
func (cl *Client) withRetry(rc *resty.Client) *resty.Client {
	return rc.
		SetRetryCount(cl.retry.Attempts - 1).
		SetRetryWaitTime(cl.retry.Base).
		SetRetryMaxWaitTime(max(cl.retry.Max, cl.retry.MaxRetryAfter)).
		AddRetryCondition(cl.retryable).
		SetRetryAfter(cl.waitFor).
		AddRetryHook(func(resp *resty.Response, err error) {
			if resp != nil && resp.Request != nil {
				cl.log.Debug("retrying", "method", resp.Request.Method, "attempt", resp.Request.Attempt, "status", resp.StatusCode(), "err", bareNetError(err))
			}
		})
}

// retryable: network errors (but a certificate the client does not trust,
// which is a configuration to fix), 5xx and 429 are tried again; any
// other answer is final.
func (cl *Client) retryable(resp *resty.Response, err error) bool {
	if err != nil {
		return !isTLSTrust(err)
	}
	st := resp.StatusCode()
	return st == http.StatusTooManyRequests || st >= 500
}

// waitFor is the wait before the next try: the server's Retry-After, or
// the policy's backoff. A Retry-After over MaxRetryAfter ends the retries.
func (cl *Client) waitFor(_ *resty.Client, resp *resty.Response) (time.Duration, error) {
	if resp.RawResponse != nil {
		var ae *APIError
		if errors.As(apiError(resp.StatusCode(), resp.Header(), nil), &ae) && ae.RetryAfter > 0 {
			if ae.RetryAfter > cl.retry.MaxRetryAfter {
				return 0, errWaitTooLong
			}
			return ae.RetryAfter, nil
		}
	}
	attempt := 1
	if resp.Request != nil {
		attempt = resp.Request.Attempt
	}
	return cl.backoff(attempt), nil
}

// do runs c through resty (retrying network errors, 5xx and 429 as
// withRetry says) and returns the last answer or a typed error.
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
	rc := cl.calls
	if c.long {
		rc = cl.blobs
	}
	if c.onContinue != nil {
		ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{Got100Continue: c.onContinue})
	}
	req := rc.R().SetContext(ctx).SetHeader("Accept", "application/json")
	if c.onContinue != nil {
		req.SetHeader("Expect", "100-continue")
	}
	if token != "" {
		req.SetAuthToken(token)
	}
	if c.method == http.MethodPost {
		req.SetHeader("Idempotency-Key", uuid.NewString()) // one per logical call: its retries repeat it
	}
	if body != nil {
		req.SetHeader("Content-Type", ctype).SetBody(body)
	}
	if c.query != nil {
		req.SetQueryParamsFromValues(c.query)
	}
	resp, err := req.Execute(c.method, c.path)
	switch {
	case errors.Is(err, errWaitTooLong) && resp != nil && resp.RawResponse != nil:
		// the answer below is the error
	case err != nil:
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if isTLSTrust(err) {
			return nil, fmt.Errorf("client: TLS with %s: %w (check the CA file and the server's name)", cl.base, err)
		}
		return nil, fmt.Errorf("%w: %s %s: %w", ErrOffline, c.method, c.path, bareNetError(err))
	case resp.StatusCode() < 300:
		if c.out != nil && len(resp.Body()) > 0 {
			if err := decodeAnswer(resp.Body(), c.out); err != nil {
				return resp, fmt.Errorf("client: %s %s: the answer does not decode: %w", c.method, c.path, err)
			}
		}
		return resp, nil
	}
	return resp, apiError(resp.StatusCode(), resp.Header(), resp.Body())
}

// decodeAnswer decodes a central's answer with go-json-experiment/json
// (encoding/json/v2 to be): a feed page of 500 events, or a queue stream's
// delta, decodes 3-4 times faster than with encoding/json, and a
// workstation pulls its office's whole feed. As liberal as encoding/json
// was: members the client does not know are skipped (a newer central),
// bytes that are not UTF-8 become U+FFFD, a name given twice keeps the
// last value.
func decodeAnswer(b []byte, v any) error { return jsonv2.Unmarshal(b, v, answerJSON) }

var answerJSON = jsonv2.JoinOptions(jsontext.AllowInvalidUTF8(true), jsontext.AllowDuplicateNames(true))

// backoff is the full-jitter wait before retry n (from 1): at least Base
// (resty waits at least its wait time), at most min(Max, Base·2^(n-1)).
// WatchQueue waits by it between reconnects too.
func (cl *Client) backoff(n int) time.Duration {
	ceil := cl.retry.Base << min(max(n, 1)-1, 20)
	if ceil <= 0 || ceil > cl.retry.Max {
		ceil = cl.retry.Max
	}
	return max(cl.retry.Base, time.Duration(rand.Int64N(int64(ceil)+1)))
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
