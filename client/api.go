package client

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
)

// Health asks GET /healthz (no session needed).
func (c *Client) Health(ctx context.Context) (api.HealthResponse, error) {
	var out api.HealthResponse
	_, err := c.do(ctx, call{method: http.MethodGet, path: "/healthz", out: &out, noAuth: true})
	return out, err
}

// SignIn opens a session (a person's login and password, or a
// workstation's login and secret) and keeps its token for the next calls.
// window is the window a person works at; 0 for none.
func (c *Client) SignIn(ctx context.Context, login, password string, window int) (api.SignInResponse, error) {
	var out api.SignInResponse
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/sessions", noAuth: true,
		body: api.SignInRequest{Login: login, Password: password, Window: window}, out: &out})
	if err == nil {
		c.SetToken(out.Token)
	}
	return out, err
}

// SignOut ends the session and forgets its token.
func (c *Client) SignOut(ctx context.Context) error {
	_, err := c.do(ctx, call{method: http.MethodDelete, path: "/v1/sessions/current"})
	if err == nil || errors.Is(err, ErrUnauthorized) {
		c.SetToken("")
		return nil
	}
	return err
}

// Catalog fetches the current catalogue. With the hash of the catalogue the
// caller has, the answer leaves the catalogue out when it did not change.
func (c *Client) Catalog(ctx context.Context, haveHash string) (api.CatalogResponse, error) {
	var out api.CatalogResponse
	q := url.Values{}
	if haveHash != "" {
		q.Set("hash", haveHash)
	}
	_, err := c.do(ctx, call{method: http.MethodGet, path: "/v1/catalog", query: q, out: &out})
	return out, err
}

// PublishCatalog publishes a new catalogue (admin). published is false when
// the same content was current already.
func (c *Client) PublishCatalog(ctx context.Context, cat *domain.Catalog) (resp api.CatalogResponse, published bool, err error) {
	r, err := c.do(ctx, call{method: http.MethodPut, path: "/v1/catalog", body: cat, out: &resp})
	if err != nil {
		return resp, false, err
	}
	return resp, r.StatusCode() == http.StatusCreated, nil
}

// PushEvents sends a batch of events (at most 1000); each is answered in
// the batch's order: accepted, duplicate, rejected (with the reason) or
// retry (an earlier event of the window is missing: send it first). The
// answer's Receipts are the central's signed heads of the caller's window
// after the batch (check them with HeadReceipt.Verify and the central's
// key from OfficeKeys or enrolment).
func (c *Client) PushEvents(ctx context.Context, events []domain.Event) (api.IngestResponse, error) {
	var out api.IngestResponse
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/events", body: api.IngestRequest{Events: events}, out: &out})
	return out, err
}

// PushEventsInTurn is PushEvents for a push that keeps more than one batch
// on the wire: the request asks the server before sending the body
// ("Expect: 100-continue"), and turn is called once the server asked for
// it. The central asks for a batch's body only after the batch took its
// turn among its window's batches (central/ingest: Arrive), so a batch
// sent after turn was called is handed to the writer after this one.
func (c *Client) PushEventsInTurn(ctx context.Context, events []domain.Event, turn func()) (api.IngestResponse, error) {
	var out api.IngestResponse
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/events", body: api.IngestRequest{Events: events}, out: &out, onContinue: turn})
	return out, err
}

// OfficeKeys fetches the public keys that sign an office's events: the
// central's and every key enrolled for each window.
func (c *Client) OfficeKeys(ctx context.Context, office string) (api.OfficeKeys, error) {
	var out api.OfficeKeys
	_, err := c.do(ctx, call{method: http.MethodGet, path: "/v1/offices/" + url.PathEscape(office) + "/keys", out: &out})
	return out, err
}

// Feed fetches the caller's office's events after the cursor (0 from the
// start); limit 0 takes the server's default (500, at most 1000).
func (c *Client) Feed(ctx context.Context, after int64, limit int) (api.FeedPage, error) {
	var out api.FeedPage
	q := url.Values{"after": {strconv.FormatInt(after, 10)}}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	_, err := c.do(ctx, call{method: http.MethodGet, path: "/v1/feed", query: q, out: &out})
	return out, err
}

// CaseQuery filters Cases; empty fields do not filter.
type CaseQuery struct {
	Office    string
	State     domain.CaseState
	Number    string
	VisitorID string
	Service   string
	Overdue   string // YYYY-MM-DD: cases past their deadline on that day
	// Department: the cases of one department (the catalogue's name); a
	// department's officer gets their own department's whatever it says.
	Department string
	Limit      int // default 100, at most 500
}

func (q CaseQuery) values() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("office", q.Office)
	set("state", string(q.State))
	set("number", q.Number)
	set("visitor_id", q.VisitorID)
	set("service", q.Service)
	set("overdue", q.Overdue)
	set("department", q.Department)
	if q.Limit > 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	return v
}

// Cases searches cases, newest first.
func (c *Client) Cases(ctx context.Context, q CaseQuery) (api.CaseList, error) {
	var out api.CaseList
	_, err := c.do(ctx, call{method: http.MethodGet, path: "/v1/cases", query: q.values(), out: &out})
	return out, err
}

// Case fetches a case with its history.
func (c *Client) Case(ctx context.Context, id string) (api.CaseDetail, error) {
	var out api.CaseDetail
	_, err := c.do(ctx, call{method: http.MethodGet, path: "/v1/cases/" + url.PathEscape(id), out: &out})
	return out, err
}

// SetStatus moves a case (department). A transition the state machine does
// not allow is a *RejectedError (409); an unknown status a *RejectedError
// (422).
func (c *Client) SetStatus(ctx context.Context, id string, req api.StatusRequest) (api.StatusResponse, error) {
	var out api.StatusResponse
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/cases/" + url.PathEscape(id) + "/status", body: req, out: &out})
	return out, err
}

// ExtendDeadline moves a case's deadline later with the legal basis
// (department). A case no longer at the department is a *RejectedError
// (409); a day not after the current deadline one (422).
func (c *Client) ExtendDeadline(ctx context.Context, id string, req api.DeadlineRequest) (api.StatusResponse, error) {
	var out api.StatusResponse
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/cases/" + url.PathEscape(id) + "/deadline", body: req, out: &out})
	return out, err
}

// Queue fetches a snapshot of an office's queue.
func (c *Client) Queue(ctx context.Context, office string) (api.QueueSnapshot, error) {
	var out api.QueueSnapshot
	_, err := c.do(ctx, call{method: http.MethodGet, path: "/v1/offices/" + url.PathEscape(office) + "/queue", out: &out})
	return out, err
}

// CallNext reserves the next visitor of the office's shared queue for a
// window. domain.ErrQueueEmpty when nobody waits for it.
func (c *Client) CallNext(ctx context.Context, office string, req api.CallNextRequest) (api.CallNextResponse, error) {
	var out api.CallNextResponse
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/offices/" + url.PathEscape(office) + "/queue/next", body: req, out: &out})
	return out, err
}

// Enrol registers a workstation (admin) and returns its login and secret.
func (c *Client) Enrol(ctx context.Context, req api.EnrolRequest) (api.EnrolResponse, error) {
	var out api.EnrolResponse
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/workstations", body: req, out: &out})
	return out, err
}

// BlobExists asks whether the server holds the attachment with this SHA-256.
func (c *Client) BlobExists(ctx context.Context, sha string) (bool, error) {
	_, err := c.do(ctx, call{method: http.MethodHead, path: "/v1/blobs/" + url.PathEscape(sha)})
	if errors.Is(err, domain.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// blobTimeout bounds each try of an attachment's transfer: 20 MiB over a
// poor link takes minutes.
const blobTimeout = 10 * time.Minute

// PutBlob uploads an attachment under its SHA-256; created is false when
// the server had it already.
func (c *Client) PutBlob(ctx context.Context, sha string, data []byte) (created bool, err error) {
	if data == nil {
		data = []byte{}
	}
	r, err := c.do(ctx, call{method: http.MethodPut, path: "/v1/blobs/" + url.PathEscape(sha), raw: data, ctype: "application/octet-stream", long: true})
	if err != nil {
		return false, err
	}
	return r.StatusCode() == http.StatusCreated, nil
}

// GetBlob downloads an attachment.
func (c *Client) GetBlob(ctx context.Context, sha string) ([]byte, error) {
	r, err := c.do(ctx, call{method: http.MethodGet, path: "/v1/blobs/" + url.PathEscape(sha), long: true})
	if err != nil {
		return nil, err
	}
	return r.Body(), nil
}

// Metrics fetches the Prometheus text of /metrics (supervisor, admin).
func (c *Client) Metrics(ctx context.Context) (string, error) {
	r, err := c.do(ctx, call{method: http.MethodGet, path: "/metrics"})
	if err != nil {
		return "", err
	}
	return string(r.Body()), nil
}
