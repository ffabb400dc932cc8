package client

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/okno-mfc/okno/api"
)

// streamIdle is how long a stream may stay silent (the server pings every
// 15 s) before the client takes the link for lost.
const streamIdle = 45 * time.Second

// QueueStream follows an office's queue over one Server-Sent Events
// connection, calling fn with every snapshot (the first at once; the
// server sends what changed, the client applies it: fn always gets the
// whole queue, in lists of its own). It
// returns when ctx ends (ctx.Err()), when fn returns an error (that error),
// or when the link is lost (ErrOffline) or refused (*APIError). WatchQueue
// reconnects.
func (c *Client) QueueStream(ctx context.Context, office string, fn func(api.QueueSnapshot) error) error {
	token := c.Token()
	if token == "" {
		return errNoToken
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	path := "/v1/offices/" + url.PathEscape(office) + "/queue/stream"
	// deltas=1: after the first snapshot the server sends what changed
	// (a central without deltas sends snapshots only, and is followed
	// the same).
	resp, err := c.r.R().SetContext(ctx).SetAuthToken(token).SetHeader("Accept", "text/event-stream").
		SetQueryParam("deltas", "1").SetDoNotParseResponse(true).Get(path)
	if err != nil {
		if parent.Err() != nil {
			return parent.Err()
		}
		if isTLSTrust(err) {
			return fmt.Errorf("client: TLS with %s: %w", c.base, err)
		}
		return fmt.Errorf("%w: GET %s: %w", ErrOffline, path, err)
	}
	body := resp.RawBody()
	defer body.Close()
	if resp.StatusCode() != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(body, 1<<20))
		return apiError(resp.StatusCode(), resp.Header(), b)
	}

	// A watchdog ends the stream when nothing came for streamIdle.
	alive := make(chan struct{}, 1)
	go func() {
		t := time.NewTimer(streamIdle)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-alive:
				t.Reset(streamIdle)
			case <-t.C:
				cancel()
				return
			}
		}
	}()
	sc := bufio.NewScanner(body)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	var event string
	var data strings.Builder
	var last *api.QueueSnapshot // the snapshot the next delta applies to
	for sc.Scan() {
		select {
		case alive <- struct{}{}:
		default:
		}
		line := sc.Text()
		switch {
		case line == "":
			if event == "snapshot" && data.Len() > 0 {
				var snap api.QueueSnapshot
				if err := decodeAnswer([]byte(data.String()), &snap); err != nil {
					return fmt.Errorf("client: queue stream: a snapshot does not decode: %w", err)
				}
				last = &snap
				if err := fn(snap); err != nil {
					return err
				}
			}
			if event == "delta" && data.Len() > 0 {
				var d api.QueueDelta
				if err := decodeAnswer([]byte(data.String()), &d); err != nil {
					return fmt.Errorf("client: queue stream: a delta does not decode: %w", err)
				}
				if last == nil {
					return fmt.Errorf("%w: queue stream of %s: a delta came before any snapshot", ErrOffline, office)
				}
				snap, err := last.Apply(d)
				if err != nil {
					// Read the stream again from a snapshot (WatchQueue
					// reconnects).
					return fmt.Errorf("%w: queue stream of %s: %w", ErrOffline, office, err)
				}
				last = &snap
				if err := fn(snap); err != nil {
					return err
				}
			}
			event = ""
			data.Reset()
		case strings.HasPrefix(line, ":"): // a comment: the server's ping
		case strings.HasPrefix(line, "event:"):
			event = strings.TrimSpace(strings.TrimPrefix(line, "event:"))
		case strings.HasPrefix(line, "data:"):
			if data.Len() > 0 {
				data.WriteByte('\n')
			}
			data.WriteString(strings.TrimPrefix(strings.TrimPrefix(line, "data:"), " "))
		}
	}
	if err := parent.Err(); err != nil {
		return err
	}
	if ctx.Err() != nil {
		return fmt.Errorf("%w: queue stream of %s: no data for %s", ErrOffline, office, streamIdle)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%w: queue stream of %s: %w", ErrOffline, office, err)
	}
	return fmt.Errorf("%w: queue stream of %s: the server closed it", ErrOffline, office)
}

// WatchQueue follows an office's queue like QueueStream, reconnecting
// after a lost link or a server error, with the client's backoff. onLink,
// if not nil, hears of each connection's end (nil: connected again). It
// returns only when ctx ends, when fn fails, or on an error a reconnect
// cannot cure (ErrUnauthorized, ErrForbidden …).
func (c *Client) WatchQueue(ctx context.Context, office string, fn func(api.QueueSnapshot) error, onLink func(error)) error {
	failures := 0
	for {
		connected := false
		err := c.QueueStream(ctx, office, func(s api.QueueSnapshot) error {
			if !connected {
				connected, failures = true, 0
				if onLink != nil {
					onLink(nil)
				}
			}
			return fn(s)
		})
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if !errors.Is(err, ErrOffline) && !errors.Is(err, ErrServer) && !errors.Is(err, ErrRateLimited) {
			return err
		}
		if onLink != nil {
			onLink(err)
		}
		failures++
		if err := c.sleep(ctx, c.backoff(min(failures, 6))); err != nil {
			return err
		}
	}
}
