// Package centraltest starts a real central server (the real store, the
// real handler) inside a test, over SQLite or a throwaway PostgreSQL
// database, and makes users, sessions and workstations quickly.
//
//	srv := centraltest.Start(t)                         // SQLite in t.TempDir()
//	srv := centraltest.Start(t, centraltest.Postgres(t)) // skips without OKNO_TEST_POSTGRES
//	tok := srv.Session(t, "anna", domain.RoleClerk, "IRK", 3)
//	ws := srv.Enrol(t, "IRK", 3)                         // ws.Login, ws.Secret, ws.Token, ws.Key
//	ch := centraltest.NewChain("IRK", 3)                 // events signed with KeyFor("IRK", 3), the key Enrol registers
//	c := srv.Client(t, tok)                              // a *client.Client signed in
package centraltest

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, to make the throwaway database
	_ "modernc.org/sqlite"             // the "sqlite" driver, for SQL

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/httpapi"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/client"
	"github.com/okno-mfc/okno/domain"
)

// EnvPostgres names the variable holding the DSN of a PostgreSQL server to
// test against, e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable.
const EnvPostgres = "OKNO_TEST_POSTGRES"

// TestArgon2 is a cheap password hash cost for tests (the real one takes
// ~40 ms a hash).
var TestArgon2 = store.Argon2Params{MemoryKiB: 64, Time: 1, Threads: 1}

// Server is a running central server.
type Server struct {
	URL    string          // http://127.0.0.1:port (https:// with TLS)
	Store  *store.Store    // the server's store
	API    *httpapi.Server // the handler
	HTTP   *httptest.Server
	Kind   string // "sqlite" or "postgres"
	DSN    string // the store's file or URL
	CAFile string // with TLS: a PEM file of the server's certificate, for client.WithCAFile

	// AdminToken is a session of the user "admin" (role admin, office *),
	// made at start.
	AdminToken string
}

type options struct {
	pg    string
	dsn   string // an existing database (At)
	tls   bool
	store store.Options
	cfg   func(*httpapi.Config)
	log   *slog.Logger
}

// Option configures Start.
type Option func(*options)

// Postgres runs the server over a throwaway database made on the
// PostgreSQL server of OKNO_TEST_POSTGRES (dropped when the test ends); it
// skips the test when the variable is empty.
func Postgres(t testing.TB) Option {
	dsn := os.Getenv(EnvPostgres)
	if dsn == "" {
		t.Skipf("%s is not set: no PostgreSQL to test against", EnvPostgres)
	}
	return func(o *options) { o.pg = dsn }
}

// Kinds are the stores to run a test over: "sqlite", and "postgres" when
// OKNO_TEST_POSTGRES is set.
func Kinds() []string {
	if os.Getenv(EnvPostgres) != "" {
		return []string{"sqlite", "postgres"}
	}
	return []string{"sqlite"}
}

// Kind starts over the named store ("sqlite" or "postgres").
func Kind(t testing.TB, kind string) Option {
	if kind == "postgres" {
		return Postgres(t)
	}
	return func(*options) {}
}

// At starts over an existing database (a SQLite file or a postgres://
// URL, e.g. made by EmptyDB), migrated to the current schema at start;
// the test owns it.
func At(dsn string) Option { return func(o *options) { o.dsn = dsn } }

// EmptyDB makes an empty database of a kind ("sqlite" or "postgres") for
// the test and returns its DSN: a file name in t.TempDir(), or a throwaway
// PostgreSQL database (dropped when the test ends; the test skips without
// OKNO_TEST_POSTGRES).
func EmptyDB(t testing.TB, kind string) string {
	t.Helper()
	if kind != "postgres" {
		return filepath.Join(t.TempDir(), "central.db")
	}
	dsn := os.Getenv(EnvPostgres)
	if dsn == "" {
		t.Skipf("%s is not set: no PostgreSQL to test against", EnvPostgres)
	}
	return throwawayDB(t, dsn)
}

// TLS serves https with a test certificate; CAFile trusts it.
func TLS() Option { return func(o *options) { o.tls = true } }

// Clock sets the store's clock (session expiry, "today").
func Clock(now func() time.Time) Option { return func(o *options) { o.store.Now = now } }

// StoreOptions changes the store's options (the argon2 cost defaults to
// TestArgon2 here, the key to CentralKey).
func StoreOptions(f func(*store.Options)) Option {
	return func(o *options) { f(&o.store) }
}

// Config changes the server's configuration before it starts.
func Config(f func(*httpapi.Config)) Option { return func(o *options) { o.cfg = f } }

// Logger sends the server's logs to l (default: discarded).
func Logger(l *slog.Logger) Option { return func(o *options) { o.log = l } }

// Start starts a server for the test and stops it (and removes its
// database) when the test ends.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	o := options{}
	o.store.Argon2, o.store.Key = TestArgon2, CentralKey
	for _, f := range opts {
		f(&o)
	}
	ctx := context.Background()
	s := &Server{Kind: "sqlite", DSN: filepath.Join(t.TempDir(), "central.db")}
	switch {
	case o.dsn != "":
		s.DSN = o.dsn
		if store.IsPostgres(o.dsn) {
			s.Kind = "postgres"
		}
	case o.pg != "":
		s.Kind, s.DSN = "postgres", throwawayDB(t, o.pg)
	}
	st, err := store.Open(ctx, s.DSN, o.store)
	if err != nil {
		t.Fatalf("centraltest: open the %s store: %v", s.Kind, err)
	}
	s.Store = st
	cfg := httpapi.Config{Store: st, Logger: o.log, Version: "test"}
	if o.cfg != nil {
		o.cfg(&cfg)
	}
	apiServer, err := httpapi.New(ctx, cfg)
	if err != nil {
		st.Close()
		t.Fatalf("centraltest: start the server: %v", err)
	}
	s.API = apiServer
	var handler http.Handler = apiServer
	if _, bench := t.(*testing.B); !bench {
		handler = Checked(t, apiServer) // benchmarks time the server alone
	}
	if o.tls {
		s.HTTP = httptest.NewUnstartedServer(handler)
		s.HTTP.Config.RegisterOnShutdown(apiServer.Shutdown)
		s.HTTP.StartTLS()
		s.CAFile = filepath.Join(t.TempDir(), "ca.pem")
		pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.HTTP.Certificate().Raw})
		if err := os.WriteFile(s.CAFile, pemBytes, 0o600); err != nil {
			t.Fatal(err)
		}
	} else {
		s.HTTP = httptest.NewUnstartedServer(handler)
		s.HTTP.Config.RegisterOnShutdown(apiServer.Shutdown)
		s.HTTP.Start()
	}
	s.URL = s.HTTP.URL
	t.Cleanup(func() {
		apiServer.Shutdown()
		s.HTTP.Close()
		apiServer.Close()
		st.Close()
	})
	s.AdminToken = s.Session(t, "admin", domain.RoleAdmin, store.AllOffices, 0)
	return s
}

// throwawayDB makes a new database on the server of dsn and returns its
// DSN; the database is dropped when the test ends.
func throwawayDB(t testing.TB, dsn string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("centraltest: %s: %v", EnvPostgres, err)
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatalf("centraltest: %v", err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "okno_test_" + hex.EncodeToString(b)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		t.Fatalf("centraltest: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Logf("centraltest: drop database %s: %v", name, err)
		}
		admin.Close()
	})
	u.Path = "/" + name
	return u.String()
}

// Password is the password Session and AddUser give a login.
func Password(login string) string { return "pass-" + login + "-secret" }

// AddUser adds a person with Password(login); a department's officer
// works for every department (AddOfficer names one).
func (s *Server) AddUser(t testing.TB, login string, role domain.Role, office string) {
	t.Helper()
	dept := ""
	if role == domain.RoleDepartment {
		dept = domain.AllDepartments
	}
	s.addUser(t, store.User{Login: login, Role: role, Office: office, Department: dept})
}

// AddOfficer adds a department's officer of office (usually *) working for
// department, with Password(login).
func (s *Server) AddOfficer(t testing.TB, login, office, department string) {
	t.Helper()
	s.addUser(t, store.User{Login: login, Role: domain.RoleDepartment, Office: office, Department: department})
}

func (s *Server) addUser(t testing.TB, u store.User) {
	t.Helper()
	u.Name = strings.ToUpper(u.Login[:1]) + u.Login[1:]
	if err := s.Store.AddUser(context.Background(), u, Password(u.Login)); err != nil {
		t.Fatalf("centraltest: add user %s: %v", u.Login, err)
	}
}

// OfficerSession adds a department's officer (if new) working for
// department and opens a session for them; it returns the bearer token.
func (s *Server) OfficerSession(t testing.TB, login, office, department string) string {
	t.Helper()
	if !s.known(t, login) {
		s.AddOfficer(t, login, office, department)
	}
	tok, _, err := s.Store.CreateSession(context.Background(), domain.Operator{Login: login, Role: domain.RoleDepartment, Office: office, Department: department})
	if err != nil {
		t.Fatalf("centraltest: session for %s: %v", login, err)
	}
	return tok
}

func (s *Server) known(t testing.TB, login string) bool {
	t.Helper()
	users, err := s.Store.Users(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if u.Login == login {
			return true
		}
	}
	return false
}

// Session adds the user (if new) and opens a session for them at a window
// (0 for none), without going through sign-in; it returns the bearer token.
func (s *Server) Session(t testing.TB, login string, role domain.Role, office string, window int) string {
	t.Helper()
	if !s.known(t, login) {
		s.AddUser(t, login, role, office)
	}
	dept := ""
	if role == domain.RoleDepartment {
		dept = domain.AllDepartments
	}
	tok, _, err := s.Store.CreateSession(context.Background(), domain.Operator{Login: login, Role: role, Office: office, Window: window, Department: dept})
	if err != nil {
		t.Fatalf("centraltest: session for %s: %v", login, err)
	}
	return tok
}

// Workstation is an enrolled workstation with an open session.
type Workstation struct {
	Login  string // ws-OFFICE-WW
	Secret string // its sign-in secret
	Token  string // a session token
	Office string
	Window int
	Key    ed25519.PrivateKey // its signing key, KeyFor(Office, Window)
}

// KeyFor is the test signing key of an office's window: the same every
// time, so a Chain made before or after Enrol signs with the key Enrol
// registers. Never use such a key outside tests.
func KeyFor(office string, window int) ed25519.PrivateKey {
	seed := sha256.Sum256([]byte(fmt.Sprintf("okno centraltest key %s/%d", office, window)))
	return ed25519.NewKeyFromSeed(seed[:])
}

// CentralKey signs the test central's own events.
var CentralKey = KeyFor("CENTRAL", 0)

// Enrol enrols the workstation of an office's window with the public half
// of KeyFor(office, window) and opens a session for it.
func (s *Server) Enrol(t testing.TB, office string, window int, equipment ...string) Workstation {
	t.Helper()
	key := KeyFor(office, window)
	r, err := s.Store.Enrol(context.Background(), api.EnrolRequest{Office: office, Window: window, Equipment: equipment,
		PublicKey: domain.EncodePublicKey(key.Public().(ed25519.PublicKey))})
	if err != nil {
		t.Fatalf("centraltest: enrol %s/%d: %v", office, window, err)
	}
	tok, _, err := s.Store.CreateSession(context.Background(), domain.Operator{Login: r.Login, Role: domain.RoleWorkstation, Office: office, Window: window})
	if err != nil {
		t.Fatal(err)
	}
	return Workstation{Login: r.Login, Secret: r.Token, Token: tok, Office: office, Window: window, Key: key}
}

// Client returns a client of the server with token (may be ""), with fast
// retries.
func (s *Server) Client(t testing.TB, token string, opts ...client.Option) *client.Client {
	t.Helper()
	base := []client.Option{client.WithToken(token), client.WithTimeout(10 * time.Second),
		client.WithRetry(client.RetryPolicy{Attempts: 3, Base: 10 * time.Millisecond, Max: 50 * time.Millisecond})}
	if s.CAFile != "" {
		base = append(base, client.WithCAFile(s.CAFile))
	}
	c, err := client.New(s.URL, append(base, opts...)...)
	if err != nil {
		t.Fatalf("centraltest: client: %v", err)
	}
	return c
}

// TestLogger is a logger writing to the test's log.
func TestLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

var _ io.Writer = testWriter{}

// String names the server for test names.
func (s *Server) String() string { return fmt.Sprintf("%s at %s", s.Kind, s.URL) }

// SQL opens the server's database for a test to look at rows directly
// (queries with no placeholders work on both engines). Closed at the end.
func (s *Server) SQL(t testing.TB) *sql.DB {
	t.Helper()
	driver, dsn := "pgx", s.DSN
	if s.Kind == "sqlite" {
		driver, dsn = "sqlite", "file:"+s.DSN+"?_pragma=busy_timeout(5000)"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Count runs a SELECT COUNT(*) … query on the server's database.
func (s *Server) Count(t testing.TB, query string) int {
	t.Helper()
	var n int
	if err := s.SQL(t).QueryRow(query).Scan(&n); err != nil {
		t.Fatalf("centraltest: %s: %v", query, err)
	}
	return n
}
