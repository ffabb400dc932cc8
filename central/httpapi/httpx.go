package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/ingest"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/domain"
)

// DefaultMaxBody is the largest JSON body of an event batch or a
// catalogue the server reads: 8 MiB.
const DefaultMaxBody = 8 << 20

// smallBody is the largest body of every other JSON request (sign-in,
// enrolment, a case's status, call-next): 64 KiB.
const smallBody = 64 << 10

// sizeText writes a byte count as people read limits: 64 KiB, 8 MiB.
func sizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// httpError is an error answer: a status, a stable code and a message that
// says what to do.
type httpError struct {
	status     int
	code       string
	msg        string
	retryAfter int // seconds, for 429 and 503
}

func (e *httpError) Error() string { return fmt.Sprintf("%d %s: %s", e.status, e.code, e.msg) }

func errorf(status int, code, format string, args ...any) *httpError {
	return &httpError{status: status, code: code, msg: fmt.Sprintf(format, args...)}
}

// asHTTP maps an error of a handler to its answer. Anything it does not
// know is a 500 whose message tells nothing of the inside.
func asHTTP(err error) *httpError {
	var he *httpError
	var se *store.StatusError
	var kr *store.KeyReusedError
	var mb *http.MaxBytesError
	switch {
	case errors.As(err, &he):
		return he
	case errors.As(err, &mb):
		return errorf(http.StatusRequestEntityTooLarge, api.CodeTooLarge, "the body is larger than %s, this endpoint's limit; send less at a time", sizeText(mb.Limit))
	case errors.As(err, &se):
		if se.Invalid {
			return errorf(http.StatusUnprocessableEntity, api.CodeInvalid, "%s", se.Err)
		}
		return errorf(http.StatusConflict, api.CodeConflict, "%s", se.Err)
	case errors.As(err, &kr):
		return errorf(http.StatusUnprocessableEntity, api.CodeInvalid, "%s", kr)
	case errors.Is(err, domain.ErrQueueEmpty):
		return errorf(http.StatusNotFound, api.CodeEmpty, "%s", err)
	case errors.Is(err, domain.ErrNotFound):
		return errorf(http.StatusNotFound, api.CodeNotFound, "%s", err)
	case errors.Is(err, store.ErrVersionTaken):
		return errorf(http.StatusConflict, api.CodeConflict, "%s", err)
	case errors.Is(err, domain.ErrInvalid):
		return errorf(http.StatusUnprocessableEntity, api.CodeInvalid, "%s", err)
	case errors.Is(err, ingest.ErrClosed):
		return &httpError{status: http.StatusServiceUnavailable, code: api.CodeUnavailable, msg: err.Error(), retryAfter: 1}
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return errorf(http.StatusServiceUnavailable, api.CodeUnavailable, "the request was cut short; send it again")
	}
	return errorf(http.StatusInternalServerError, api.CodeInternal, "internal error; try again later, and tell the administrator if it persists")
}

// writeError writes e as {"error": {"code", "message"}}.
func writeError(w http.ResponseWriter, e *httpError) {
	if e.retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(e.retryAfter))
	}
	writeJSON(w, e.status, api.ErrorBody{Error: api.ErrorDetail{Code: e.code, Message: e.msg}})
}

// writeJSON writes v with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		status = http.StatusInternalServerError
		b.Reset()
		b.WriteString(`{"error":{"code":"internal","message":"internal error: the answer did not encode"}}`)
	}
	writeRaw(w, status, bytes.TrimRight(b.Bytes(), "\n"))
}

func writeRaw(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(body)
	w.Write([]byte("\n"))
}

// decodeJSON reads one JSON value of at most limit bytes into v, strictly:
// a Content-Type other than JSON is a 415, unknown fields, wrong types and
// trailing data are 400s, a longer body a 413, a body that is not UTF-8
// text or holds a NUL a 400.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any, limit int64) error {
	if err := checkJSONType(r); err != nil {
		return err
	}
	body, err := readBody(w, r, limit)
	if err != nil {
		return err
	}
	return decodeBytes(body, v)
}

// checkJSONType refuses a body labelled as anything but JSON in UTF-8
// (application/json or a +json type); a body without a Content-Type is
// read as JSON.
func checkJSONType(r *http.Request) error {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		return nil
	}
	mt, params, err := mime.ParseMediaType(ct)
	if err == nil && (mt == "application/json" || strings.HasSuffix(mt, "+json")) {
		if cs, ok := params["charset"]; !ok || strings.EqualFold(cs, "utf-8") {
			return nil
		}
	}
	return errorf(http.StatusUnsupportedMediaType, api.CodeMediaType, "the body must be JSON in UTF-8: send Content-Type: application/json (not %q)", domain.SafeText(ct, 60))
}

// readBody reads a body of at most limit bytes.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return nil, err
		}
		return nil, errorf(http.StatusBadRequest, api.CodeBadRequest, "the body could not be read: %v", err)
	}
	return body, nil
}

// decodeBytes is decodeJSON's decoder, apart for fuzzing.
func decodeBytes(body []byte, v any) error {
	if err := domain.CheckJSONText(body); err != nil {
		return errorf(http.StatusBadRequest, api.CodeBadRequest, "the body %v: send UTF-8 text without NUL characters (also not as \\u0000)", err)
	}
	return decodeStrict(body, v)
}

// decodeStrict decodes one JSON value strictly, without the text check:
// the ingest checks each event's texts on its own, so one bad event does
// not fail its batch. It decodes with go-json-experiment/json (the
// encoding/json/v2 of the Go team, not yet in the standard library): an
// event batch decodes 4 times faster than with encoding/json, with 2.6
// times less garbage (issue 17). Its rules are v2's: member names match
// exactly, a name twice in one object is refused, nothing may follow the
// value, and unknown members are refused (as before); bytes that are not
// UTF-8 become U+FFFD, as encoding/json made them, for the texts' own
// checks to find.
func decodeStrict(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return errorf(http.StatusBadRequest, api.CodeBadRequest, "the body is empty; send a JSON object")
	}
	if err := jsonv2.Unmarshal(body, v, strictJSON); err != nil {
		return badJSON(err)
	}
	return nil
}

// strictJSON are decodeStrict's options.
var strictJSON = jsonv2.JoinOptions(jsonv2.RejectUnknownMembers(true), jsontext.AllowInvalidUTF8(true))

// Limits of a request's head, answered 431 in the API's error shape. Go's
// http.Server refuses a head over its MaxHeaderBytes before okno sees it,
// with a plain-text 431 (okno serve sets 1 MiB).
const (
	maxRequestTarget = 8 << 10  // the path and query
	maxRequestHead   = 64 << 10 // the path, query and headers together
)

// headersChecked are the request headers the server reads; their values
// must be text like every other input.
var headersChecked = []string{"Authorization", "Idempotency-Key", "X-Forwarded-For"}

// checkRequest refuses a request whose head is too large, or whose path,
// query or the headers the server reads are not UTF-8 text or hold a NUL:
// such bytes reach no handler and no store.
func checkRequest(r *http.Request) *httpError {
	if len(r.RequestURI) > maxRequestTarget {
		return errorf(http.StatusRequestHeaderFieldsTooLarge, api.CodeTooLarge, "the request's path and query are longer than %d bytes", maxRequestTarget)
	}
	size := len(r.RequestURI)
	for k, vs := range r.Header {
		for _, v := range vs {
			size += len(k) + len(v) + 4
		}
	}
	if size > maxRequestHead {
		return errorf(http.StatusRequestHeaderFieldsTooLarge, api.CodeTooLarge, "the request's headers are larger than %d bytes", maxRequestHead)
	}
	if err := domain.CheckText(r.URL.Path); err != nil {
		return errorf(http.StatusBadRequest, api.CodeBadRequest, "the path %v: paths are UTF-8 text without NUL", err)
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return errorf(http.StatusBadRequest, api.CodeBadRequest, "the query string is malformed (a %% not followed by two hex digits?)")
	}
	for k, vs := range q {
		if err := domain.CheckText(k); err != nil {
			return errorf(http.StatusBadRequest, api.CodeBadRequest, "a query parameter's name %v", err)
		}
		for _, v := range vs {
			if err := domain.CheckText(v); err != nil {
				return errorf(http.StatusBadRequest, api.CodeBadRequest, "query parameter %q %v: parameters are UTF-8 text without NUL", domain.SafeText(k, 40), err)
			}
		}
	}
	for _, h := range headersChecked {
		for _, v := range r.Header.Values(h) {
			if err := domain.CheckText(v); err != nil {
				return errorf(http.StatusBadRequest, api.CodeBadRequest, "header %s %v", h, err)
			}
		}
	}
	return nil
}

func badJSON(err error) *httpError {
	var syn *jsontext.SyntacticError
	var sem *jsonv2.SemanticError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errorf(http.StatusBadRequest, api.CodeBadRequest, "malformed JSON: the body ends too early")
	case errors.As(err, &syn) && strings.HasSuffix(syn.Err.Error(), "after top-level value"):
		return errorf(http.StatusBadRequest, api.CodeBadRequest, "the body must hold one JSON value and nothing after it (byte %d)", syn.ByteOffset)
	case errors.As(err, &syn) && errors.Is(syn.Err, jsontext.ErrDuplicateName):
		return errorf(http.StatusBadRequest, api.CodeBadRequest, "%s: a name given twice in one object; give each field once", jsonField(syn.JSONPointer))
	case errors.As(err, &syn):
		return errorf(http.StatusBadRequest, api.CodeBadRequest, "malformed JSON at byte %d: %v", syn.ByteOffset, strings.TrimPrefix(syn.Err.Error(), "jsontext: "))
	case errors.As(err, &sem) && errors.Is(sem.Err, jsonv2.ErrUnknownName):
		return errorf(http.StatusBadRequest, api.CodeBadRequest, "unknown field %q; check the field names against /v1/openapi.yaml", jsonField(sem.JSONPointer))
	case errors.As(err, &sem) && sem.GoType != nil:
		got := map[jsontext.Kind]string{'n': "null", 'f': "boolean", 't': "boolean", '"': "string", '0': "number", '{': "object", '[': "array"}[sem.JSONKind]
		if got == "" {
			got = "value"
		}
		return errorf(http.StatusBadRequest, api.CodeBadRequest, "%s: expected %s, got JSON %s", jsonField(sem.JSONPointer), sem.GoType, got)
	}
	return errorf(http.StatusBadRequest, api.CodeBadRequest, "the body is not valid: %s", strings.TrimPrefix(err.Error(), "json: "))
}

// jsonField names where in the body a JSON pointer points: events[3].seq,
// or "the body" for the whole of it.
func jsonField(p jsontext.Pointer) string {
	var b strings.Builder
	for tok := range p.Tokens() {
		if _, err := strconv.Atoi(tok); err == nil && b.Len() > 0 {
			b.WriteString("[" + tok + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(domain.SafeText(tok, 40))
	}
	if b.Len() == 0 {
		return "the body"
	}
	return b.String()
}

// clip shortens s to n bytes for an error message.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
