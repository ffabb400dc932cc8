package public

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/domain"
)

//go:embed pages/*.html
var pageFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Backend is what the pages need of the central; package httpapi provides
// it over its store.
type Backend interface {
	// Office is an office's profile; an error wrapping domain.ErrNotFound
	// when the central has none.
	Office(ctx context.Context, code string) (*domain.Office, error)
	// Catalog is the current catalogue.
	Catalog() *domain.Catalog
	// Snapshot is the office's queue now.
	Snapshot(ctx context.Context, office string) (api.QueueSnapshot, error)
	// Subscribe signals the office's changes until cancel; Done is closed
	// when the server shuts down (streams end).
	Subscribe(office string) (changes <-chan struct{}, cancel func())
	Done() <-chan struct{}
	// Generation counts the office's changes: data computed at one
	// generation is current until the next.
	Generation(office string) uint64
	// Calls are the office's latest calls since since, newest first.
	Calls(ctx context.Context, office string, since time.Time, limit int) ([]store.Call, error)
	// IssuedToday counts the office's tickets of its day so far, by service.
	IssuedToday(ctx context.Context, o *domain.Office) (map[string]int, error)
	// IssueTicket records a kiosk ticket (store.Tx.IssueKioskTicket) with
	// the office's daily limit of the service.
	IssueTicket(ctx context.Context, o *domain.Office, service, category string) (store.KioskTicket, error)
	// CheckIn turns a booking's code into its ticket (store.Store.CheckIn).
	CheckIn(ctx context.Context, o *domain.Office, code string) (api.CheckInResponse, error)
	// AllowTicket takes a token of the caller's address for a ticket.
	AllowTicket(r *http.Request) (bool, time.Duration)
	// Now is the central's clock.
	Now() time.Time
}

// Server serves the public pages.
type Server struct {
	b     Backend
	log   *slog.Logger
	pages map[string]*template.Template
	cfg   Config

	mu    sync.Mutex
	views map[string]*viewEntry // per office: the board's view (board.go)
}

// Config tunes the server; the zero value is the production setting.
type Config struct {
	Heartbeat time.Duration // ": ping" on the streams; default 15 s
	Coalesce  time.Duration // least time between two updates of a stream; default 100 ms
	// OfflineAfter is how long a board hears nothing before it says it
	// has no connection and connects again; default 10 s. Keep it above
	// Heartbeat.
	OfflineAfter time.Duration
}

// New parses the embedded pages.
func New(b Backend, log *slog.Logger, cfg Config) (*Server, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.Heartbeat <= 0 {
		cfg.Heartbeat = 15 * time.Second
	}
	if cfg.OfflineAfter <= 0 {
		cfg.OfflineAfter = 10 * time.Second
	}
	if cfg.Coalesce <= 0 {
		cfg.Coalesce = 100 * time.Millisecond
	}
	s := &Server{b: b, log: log, cfg: cfg, pages: map[string]*template.Template{}, views: map[string]*viewEntry{}}
	names, err := fs.Glob(pageFiles, "pages/*.html")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		name := strings.TrimSuffix(path.Base(n), ".html")
		if name == "layout" {
			continue
		}
		t, err := template.New(name).Funcs(funcs).ParseFS(pageFiles, "pages/layout.html", n)
		if err != nil {
			return nil, fmt.Errorf("public page %s: %w", name, err)
		}
		s.pages[name] = t
	}
	return s, nil
}

var funcs = template.FuncMap{
	// texts are the texts of lang whose keys start with prefix, for a
	// page's script.
	"texts": func(lang, prefix string) map[string]string {
		out := map[string]string{}
		for k := range texts["en"] {
			if strings.HasPrefix(k, prefix) {
				out[strings.TrimPrefix(k, prefix)] = text(lang, k)
			}
		}
		return out
	},
	"json": func(v any) (template.JS, error) {
		b, err := json.Marshal(v)
		return template.JS(b), err
	},
}

// Route is one public endpoint. API routes answer JSON (errors as the
// API's error body); the others are pages and their streams.
type Route struct {
	Pattern string
	Handler http.HandlerFunc
	API     bool
}

// Routes lists the public endpoints for httpapi to mount.
func (s *Server) Routes() []Route {
	return []Route{
		{Pattern: "GET /public/static/{file}", Handler: s.static},
		{Pattern: "GET /hall/{office}", Handler: s.hall},
		{Pattern: "GET /hall/{office}/events", Handler: s.hallEvents},
		{Pattern: "GET /status", Handler: s.statusPage},
		{Pattern: "GET /hall/{office}/t/{number}", Handler: s.follow},
		{Pattern: "GET /hall/{office}/t/{number}/events", Handler: s.followEvents},
		{Pattern: "GET /hall/{office}/t/{number}/qr.png", Handler: s.followQR},
		{Pattern: "GET /kiosk/{office}", Handler: s.kiosk},
		{Pattern: "GET /book/{office}", Handler: s.book},
		{Pattern: "GET /rate", Handler: s.rateLookup},
		{Pattern: "GET /rate/{code}", Handler: s.ratePage},
		{Pattern: "POST /rate/{code}", Handler: s.ratePage},
		{Pattern: "GET /v1/public/offices/{office}/services", Handler: s.services, API: true},
		{Pattern: "POST /v1/public/offices/{office}/tickets", Handler: s.issue, API: true},
	}
}

// Page is what a page template gets as dot.
type Page struct {
	Lang   string
	Office *domain.Office
	Data   any
	Now    time.Time
	cfg    *Config
}

// OfflineMS is how long a live page may hear nothing before it says it
// lost the server, in milliseconds.
func (p *Page) OfflineMS() int64 { return p.cfg.OfflineAfter.Milliseconds() }

// T is the text of key in the page's language; the key itself when it
// has none (TestTextsComplete keeps that from happening).
func (p *Page) T(key string) string { return text(p.Lang, key) }

// TF is T with fmt.Sprintf's arguments.
func (p *Page) TF(key string, args ...any) string { return fmt.Sprintf(text(p.Lang, key), args...) }

// securityHeaders go with every public answer: scripts and styles from
// this server only, no framing but by ourselves, no referrer (the tracking
// page's address holds a ticket number).
func securityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; media-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
}

// render writes page name for office.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, o *domain.Office, data any) {
	t := s.pages[name]
	lang := "ru"
	if o != nil {
		lang = o.LangCode()
	}
	var b bytes.Buffer
	if t == nil {
		s.log.Error("no such public page", "page", name)
		status, t = http.StatusInternalServerError, s.pages["error"]
		data = errorData{Key: "error.internal"}
	}
	if err := t.ExecuteTemplate(&b, "layout", &Page{Lang: lang, Office: o, Data: data, Now: s.b.Now(), cfg: &s.cfg}); err != nil {
		s.log.Error("public page", "page", name, "err", err)
		http.Error(w, "internal error; try again later", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	securityHeaders(h)
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

type errorData struct {
	Key  string // the text to show
	Code string // the office code asked for, if any
}

// errorPage answers a page request that failed, in o's language (ru
// without an office).
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, o *domain.Office, key, code string) {
	s.render(w, r, status, "error", o, errorData{Key: key, Code: code})
}

// office finds the {office} of the path; when there is none it answered
// with a page (404 or 503) and returns nil.
func (s *Server) office(w http.ResponseWriter, r *http.Request) *domain.Office {
	code := r.PathValue("office")
	if !domain.ValidOffice(code) {
		s.errorPage(w, r, http.StatusNotFound, nil, "error.office_code", "")
		return nil
	}
	o, err := s.b.Office(r.Context(), code)
	switch {
	case errors.Is(err, domain.ErrNotFound):
		s.errorPage(w, r, http.StatusNotFound, nil, "error.no_office", code)
		return nil
	case err != nil:
		s.log.Warn("public: office profile", "office", code, "err", err)
		w.Header().Set("Retry-After", "5")
		s.errorPage(w, r, http.StatusServiceUnavailable, nil, "error.unavailable", code)
		return nil
	}
	return o
}

// static serves the embedded static files.
func (s *Server) static(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	b, err := staticFiles.ReadFile("static/" + name)
	if err != nil || strings.Contains(name, "/") {
		http.Error(w, "no such file", http.StatusNotFound)
		return
	}
	h := w.Header()
	securityHeaders(h)
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = "application/octet-stream"
	}
	h.Set("Content-Type", ct)
	h.Set("Cache-Control", "public, max-age=300")
	w.Write(b)
}

// writeJSON writes v with status (the API's shape).
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":{"code":"internal","message":"internal error: the answer did not encode"}}`)
	}
	h := w.Header()
	securityHeaders(h)
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(b)
	w.Write([]byte("\n"))
}

// apiError writes the API's error body.
func apiError(w http.ResponseWriter, status int, code, format string, args ...any) {
	writeJSON(w, status, api.ErrorBody{Error: api.ErrorDetail{Code: code, Message: fmt.Sprintf(format, args...)}})
}
