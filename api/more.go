package api

import "github.com/okno-mfc/okno/domain"

// More wire types of the central REST API (/v1), beside api.go.

// IngestRetry answers an event that came before an earlier event of its
// window reached the central (a gap in the window's sequence): it is not
// stored, and the workstation sends it again after the missing one.
const IngestRetry IngestStatus = "retry"

// Error codes of ErrorBody (ErrorDetail.Code), stable words a client acts on.
const (
	CodeBadRequest   = "bad_request"            // 400: malformed JSON, unknown fields, wrong types, bad parameters
	CodeUnauthorized = "unauthorized"           // 401: no session, or it expired or was revoked: sign in again
	CodeForbidden    = "forbidden"              // 403: the role or office may not do this
	CodeNotFound     = "not_found"              // 404
	CodeEmpty        = "empty"                  // 404 of POST …/queue/next: nobody waits for this window
	CodeMethod       = "method_not_allowed"     // 405: Allow lists the methods of the path
	CodeMediaType    = "unsupported_media_type" // 415: the body is not JSON
	CodeConflict     = "conflict"               // 409: the state of the thing does not allow it (e.g. a case transition)
	CodeTooLarge     = "too_large"              // 413
	CodeInvalid      = "invalid"                // 422: well-formed, but a value is not acceptable
	CodeRateLimited  = "rate_limited"           // 429: wait Retry-After seconds
	CodeInternal     = "internal"               // 500
	CodeUnavailable  = "unavailable"            // 503: shutting down or the store is down; try again
)

// StatusResponse answers POST /v1/cases/{id}/status: the case after the
// change and the central's event that recorded it (it also reaches the
// office's feed).
type StatusResponse struct {
	Case  domain.CaseView `json:"case"`
	Event domain.Event    `json:"event"`
}

// HealthResponse answers GET /healthz.
type HealthResponse struct {
	Status  string `json:"status"` // "ok"
	Store   string `json:"store"`  // sqlite or postgres
	Version string `json:"version,omitempty"`
}
