package client

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/domain"
)

// Errors to match with errors.Is. An *APIError matches the one of its
// status, and the domain's errors the central's answers stand for (404:
// domain.ErrNotFound, and domain.ErrQueueEmpty when its code is "empty");
// ErrOffline wraps the network error underneath.
var (
	ErrOffline      = errors.New("the central server cannot be reached")     // no link: dial, timeout, reset
	ErrUnauthorized = errors.New("not signed in, or the session ended")      // 401: sign in again
	ErrForbidden    = errors.New("not allowed for this role or office")      // 403
	ErrConflict     = errors.New("the state of the thing does not allow it") // 409
	ErrRejected     = errors.New("the server refused the request")           // 409 and 422: see *RejectedError
	ErrTooLarge     = errors.New("the request is too large")                 // 413
	ErrRateLimited  = errors.New("too many requests")                        // 429 after the retries
	ErrServer       = errors.New("the central server failed")                // 5xx after the retries
)

// APIError is an error answer of the server: its status, its stable code
// (domain.Code…) and its message, which says what to do.
type APIError struct {
	Status     int
	Code       string
	Message    string
	RetryAfter time.Duration // from a Retry-After header, if any
}

func (e *APIError) Error() string {
	return fmt.Sprintf("central: %d %s: %s", e.Status, e.Code, e.Message)
}

// Is matches the sentinel of the answer's status.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.Status == http.StatusUnauthorized
	case ErrForbidden:
		return e.Status == http.StatusForbidden
	case domain.ErrNotFound:
		return e.Status == http.StatusNotFound
	case domain.ErrQueueEmpty:
		return e.Status == http.StatusNotFound && e.Code == api.CodeEmpty
	case ErrConflict:
		return e.Status == http.StatusConflict
	case ErrRejected:
		return e.Status == http.StatusConflict || e.Status == http.StatusUnprocessableEntity
	case ErrTooLarge:
		return e.Status == http.StatusRequestEntityTooLarge
	case ErrRateLimited:
		return e.Status == http.StatusTooManyRequests
	case ErrServer:
		return e.Status >= 500
	}
	return false
}

// RejectedError is a 409 or 422: the request was well-formed but the server
// refused it, for the reason in Message (a case transition the state
// machine does not allow, an invalid value). Sending it again will not
// help; it unwraps to its *APIError.
type RejectedError struct {
	*APIError
}

func (e *RejectedError) Unwrap() error { return e.APIError }

// apiError reads an error answer.
func apiError(status int, h http.Header, body []byte) error {
	e := &APIError{Status: status, Code: http.StatusText(status), Message: "the server gave no reason"}
	var eb api.ErrorBody
	if json.Unmarshal(body, &eb) == nil && eb.Error.Code != "" {
		e.Code, e.Message = eb.Error.Code, eb.Error.Message
	}
	if v := h.Get("Retry-After"); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n >= 0 {
			e.RetryAfter = time.Duration(n) * time.Second
		} else if t, err := http.ParseTime(v); err == nil {
			e.RetryAfter = max(0, time.Until(t))
		}
	}
	if status == http.StatusConflict || status == http.StatusUnprocessableEntity {
		return &RejectedError{e}
	}
	return e
}

// isTLSTrust reports a certificate problem: not a missing link but a
// configuration to fix (a wrong CA file, a wrong host name), so not retried.
func isTLSTrust(err error) bool {
	var ua x509.UnknownAuthorityError
	var hn x509.HostnameError
	var ci x509.CertificateInvalidError
	var cv *tls.CertificateVerificationError
	var rh tls.RecordHeaderError
	return errors.As(err, &ua) || errors.As(err, &hn) || errors.As(err, &ci) || errors.As(err, &cv) || errors.As(err, &rh)
}
