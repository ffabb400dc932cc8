package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/okno-mfc/okno/api"
)

// WindowEvents fetches a page of a window's chain as the central holds it
// (ids, hashes, signatures, answers; no payloads): events with
// after < seq ≤ after+limit. limit 0 takes the server's default (1000).
func (c *Client) WindowEvents(ctx context.Context, office string, window int, after int64, limit int) (api.WindowEvents, error) {
	var out api.WindowEvents
	q := url.Values{"after": {strconv.FormatInt(after, 10)}}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	path := fmt.Sprintf("/v1/offices/%s/windows/%d/events", url.PathEscape(office), window)
	_, err := c.do(ctx, call{method: http.MethodGet, path: path, query: q, out: &out})
	return out, err
}

// WindowChain fetches a window's whole chain, page by page: every entry
// and the last page's head and key.
func (c *Client) WindowChain(ctx context.Context, office string, window int) (api.WindowEvents, error) {
	var all api.WindowEvents
	var after int64
	for {
		page, err := c.WindowEvents(ctx, office, window, after, 0)
		if err != nil {
			return all, err
		}
		events := append(all.Events, page.Events...)
		all = page
		all.Events = events
		if !page.More || page.Cursor <= after {
			return all, nil
		}
		after = page.Cursor
	}
}
