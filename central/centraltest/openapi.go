package centraltest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/okno-mfc/okno/central/httpapi"
)

// Every server Start makes answers through a checker that holds each
// response against central/httpapi/openapi.yaml (kin-openapi's
// openapi3filter): its status must be documented for the operation, its
// Content-Type among the documented ones and its body must match the
// schema. A response the document does not describe fails the test that
// received it, so the server and the document cannot drift apart. A
// request for a path or method the document does not have must be
// answered with the documented 404 or 405 (components.responses NotFound,
// MethodNotAllowed).

// Spec is the OpenAPI document loaded and validated once, with a router
// that finds an operation for a request. The servers are dropped, so any
// host matches (test servers listen on random ports).
type Spec struct {
	Doc    *openapi3.T
	router routers.Router
}

var (
	specOnce sync.Once
	spec     *Spec
	specErr  error
)

// LoadSpec loads and validates httpapi.OpenAPI() with kin-openapi.
func LoadSpec() (*Spec, error) {
	specOnce.Do(func() {
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromData(httpapi.OpenAPI())
		if err != nil {
			specErr = fmt.Errorf("openapi.yaml does not load: %w", err)
			return
		}
		if err := doc.Validate(loader.Context); err != nil {
			specErr = fmt.Errorf("openapi.yaml is not a valid OpenAPI document: %w", err)
			return
		}
		doc.Servers = nil
		router, err := gorillamux.NewRouter(doc)
		if err != nil {
			specErr = fmt.Errorf("openapi.yaml: routes: %w", err)
			return
		}
		spec = &Spec{Doc: doc, router: router}
	})
	return spec, specErr
}

// Check holds one response against the document: req is the request the
// server read, status, header and body what it answered (body may be nil
// when it was not kept: a stream or a file).
func (s *Spec) Check(req *http.Request, status int, header http.Header, body []byte) error {
	route, params, err := s.router.FindRoute(req)
	switch {
	case errors.Is(err, routers.ErrPathNotFound):
		return s.checkComponent("NotFound", http.StatusNotFound, req, status, header, body)
	case errors.Is(err, routers.ErrMethodNotAllowed):
		return s.checkComponent("MethodNotAllowed", http.StatusMethodNotAllowed, req, status, header, body)
	case err != nil:
		return fmt.Errorf("no operation for the request: %w", err)
	}
	if route.Operation.Responses.Status(status) == nil && route.Operation.Responses.Default() == nil {
		// ValidateResponse lets HEAD and 304 through unchecked: the
		// status must be documented all the same.
		return fmt.Errorf("status %d is not documented for %s %s", status, req.Method, route.Path)
	}
	opts := &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}
	if body == nil {
		opts.ExcludeResponseBody = true
		if err := s.checkContentType(route.Operation.Responses.Status(status), header); err != nil {
			return err
		}
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 status,
		Header:                 header,
		Options:                opts,
	}
	in.SetBodyBytes(body)
	return openapi3filter.ValidateResponse(context.Background(), in)
}

// checkComponent checks an answer to a request the document has no
// operation for against a response of components.
func (s *Spec) checkComponent(name string, want int, req *http.Request, status int, header http.Header, body []byte) error {
	if status != want {
		return fmt.Errorf("%s %s is not in the document, so the answer must be the documented %d (components.responses.%s), not %d", req.Method, req.URL.Path, want, name, status)
	}
	ref := s.Doc.Components.Responses[name]
	if ref == nil || ref.Value == nil {
		return fmt.Errorf("components.responses.%s is missing from the document", name)
	}
	for h, hr := range ref.Value.Headers {
		if hr.Value != nil && hr.Value.Required && header.Get(h) == "" {
			return fmt.Errorf("%d to %s %s: no %s header (components.responses.%s)", status, req.Method, req.URL.Path, h, name)
		}
	}
	if req.Method == http.MethodHead {
		return nil
	}
	if err := s.checkContentType(ref, header); err != nil {
		return err
	}
	mt := ref.Value.Content.Get(header.Get("Content-Type"))
	if mt == nil || mt.Schema == nil || body == nil {
		return nil
	}
	v, err := decodeJSON(body)
	if err != nil {
		return fmt.Errorf("%d to %s %s: %w", status, req.Method, req.URL.Path, err)
	}
	if err := mt.Schema.Value.VisitJSON(v, openapi3.VisitAsResponse()); err != nil {
		return fmt.Errorf("%d to %s %s does not match components.responses.%s: %w", status, req.Method, req.URL.Path, name, err)
	}
	return nil
}

func (s *Spec) checkContentType(ref *openapi3.ResponseRef, header http.Header) error {
	if ref == nil || ref.Value == nil || len(ref.Value.Content) == 0 {
		return nil
	}
	ct := header.Get("Content-Type")
	if ref.Value.Content.Get(ct) == nil {
		return fmt.Errorf("Content-Type %q is not documented for this response (documented: %s)", ct, strings.Join(slices.Sorted(maps.Keys(ref.Value.Content)), ", "))
	}
	return nil
}

func decodeJSON(b []byte) (any, error) {
	return openapi3filter.JSONBodyDecoder(bytes.NewReader(b), nil, nil, nil)
}

// Checked wraps h so that every response it writes is checked against the
// document; a mismatch fails t (from the server's goroutine, as t.Errorf
// allows). Bodies of streams and files are not kept: their status,
// headers and content type are checked.
func Checked(t testing.TB, h http.Handler) http.Handler {
	s, err := LoadSpec()
	if err != nil {
		t.Fatalf("centraltest: %v", err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cw := &capture{ResponseWriter: w}
		h.ServeHTTP(cw, r)
		if cw.status == 0 {
			cw.status = http.StatusOK
		}
		if r.Context().Err() != nil && cw.wrote == 0 {
			return // the client hung up before the answer: nothing was sent
		}
		var body []byte
		if !cw.skip {
			body = cw.body.Bytes()
		}
		if err := s.Check(r, cw.status, w.Header(), body); err != nil {
			t.Errorf("centraltest: the answer to %s %s breaks openapi.yaml: %v\n  status %d, Content-Type %q, body: %s",
				r.Method, clipBytes([]byte(r.URL.RequestURI()), 120), err, cw.status, w.Header().Get("Content-Type"), clipBytes(cw.body.Bytes(), 400))
		}
	})
}

func clipBytes(b []byte, n int) string {
	if len(b) <= n {
		return string(b)
	}
	return string(b[:n]) + "…"
}

// capture passes a response through and keeps its status and, for the
// kinds of content the document has schemas for, its body.
type capture struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
	wrote  int
	skip   bool // a stream or a file: the body is not kept
	typed  bool
}

func (c *capture) WriteHeader(code int) {
	if c.status == 0 && code >= 200 {
		c.status = code
		c.decide()
	}
	c.ResponseWriter.WriteHeader(code)
}

func (c *capture) decide() {
	if c.typed {
		return
	}
	c.typed = true
	mt, _, _ := mime.ParseMediaType(c.Header().Get("Content-Type"))
	switch mt {
	case "text/event-stream", "application/octet-stream", "text/html", "text/css", "text/javascript", "text/plain", "image/png":
		c.skip = true // no schema to hold them against: the status and the type are checked
	}
}

func (c *capture) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
		c.decide()
	}
	c.wrote += len(b)
	if !c.skip {
		c.body.Write(b)
	}
	return c.ResponseWriter.Write(b)
}

func (c *capture) Unwrap() http.ResponseWriter { return c.ResponseWriter }

var _ io.Writer = (*capture)(nil)
