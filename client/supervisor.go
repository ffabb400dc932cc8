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

// MoveTicket sends a waiting ticket to a window of the office, or (window
// 0) back to the shared queue (a supervisor's or admin's session).
func (c *Client) MoveTicket(ctx context.Context, office, ticketID string, req api.MoveTicketRequest) (api.SuperviseResponse, error) {
	var out api.SuperviseResponse
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/offices/" + url.PathEscape(office) + "/tickets/" + url.PathEscape(ticketID) + "/move", body: req, out: &out})
	return out, err
}

// SetPriority gives a waiting ticket a new queue rank, with the reason.
func (c *Client) SetPriority(ctx context.Context, office, ticketID string, req api.PriorityRequest) (api.SuperviseResponse, error) {
	var out api.SuperviseResponse
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/offices/" + url.PathEscape(office) + "/tickets/" + url.PathEscape(ticketID) + "/priority", body: req, out: &out})
	return out, err
}

// CloseWindow closes a window whose clerk has gone; its tickets go back to
// the shared queue.
func (c *Client) CloseWindow(ctx context.Context, office string, window int, req api.CloseWindowRequest) (api.SuperviseResponse, error) {
	var out api.SuperviseResponse
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/offices/" + url.PathEscape(office) + "/windows/" + strconv.Itoa(window) + "/close", body: req, out: &out})
	return out, err
}

// Heartbeat tells the central the window is there (every 30 s while
// online; a window unheard for 2 minutes shows as offline).
func (c *Client) Heartbeat(ctx context.Context, office string, window int) error {
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/offices/" + url.PathEscape(office) + "/windows/" + strconv.Itoa(window) + "/heartbeat"})
	return err
}

// Unclaimed lists the office's results not collected by their last day at
// the office (a supervisor's or admin's session).
func (c *Client) Unclaimed(ctx context.Context, office string) (api.UnclaimedList, error) {
	var out api.UnclaimedList
	_, err := c.do(ctx, call{method: http.MethodGet, path: "/v1/offices/" + url.PathEscape(office) + "/unclaimed", out: &out})
	return out, err
}

// ReturnResult sends a result not collected in time back to its
// department, with the reason: the case is returned.
func (c *Client) ReturnResult(ctx context.Context, office, caseID string, req api.ReturnResultRequest) (api.StatusResponse, error) {
	var out api.StatusResponse
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/offices/" + url.PathEscape(office) + "/unclaimed/" + url.PathEscape(caseID) + "/return", body: req, out: &out})
	return out, err
}

// ExtendCollect keeps a result at the office req.Days more days, with the
// reason.
func (c *Client) ExtendCollect(ctx context.Context, office, caseID string, req api.ExtendCollectRequest) (api.StatusResponse, error) {
	var out api.StatusResponse
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/offices/" + url.PathEscape(office) + "/unclaimed/" + url.PathEscape(caseID) + "/extend", body: req, out: &out})
	return out, err
}
