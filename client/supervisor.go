package client

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/okno-mfc/okno/api"
)

// The supervisor's reads beside the live queue (central/httpapi/report.go, central/figures).

// OfficeReport fetches an office's figures of each day from from to to
// (YYYY-MM-DD, to included; "" for today) and of the whole period.
func (c *Client) OfficeReport(ctx context.Context, office, from, to string) (api.OfficeReport, error) {
	var out api.OfficeReport
	q := url.Values{}
	if from != "" {
		q.Set("from", from)
	}
	if to != "" {
		q.Set("to", to)
	}
	_, err := c.do(ctx, call{method: http.MethodGet, path: "/v1/offices/" + url.PathEscape(office) + "/report", query: q, out: &out})
	return out, err
}

// Attention fetches what a supervisor of office should act on: overdue
// cases, unclaimed results, and the events rejected in the last days (0:
// the server's default, 7).
func (c *Client) Attention(ctx context.Context, office string, days int) (api.Attention, error) {
	var out api.Attention
	q := url.Values{}
	if days > 0 {
		q.Set("days", strconv.Itoa(days))
	}
	_, err := c.do(ctx, call{method: http.MethodGet, path: "/v1/offices/" + url.PathEscape(office) + "/attention", query: q, out: &out})
	return out, err
}

// Offices lists the offices the caller may watch.
func (c *Client) Offices(ctx context.Context) (api.OfficeList, error) {
	var out api.OfficeList
	_, err := c.do(ctx, call{method: http.MethodGet, path: "/v1/offices", out: &out})
	return out, err
}
