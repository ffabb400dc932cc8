package main

import (
	"context"
	"crypto/ed25519"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/okno-mfc/okno/central/httpapi"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/link"
)

func init() {
	register(command{name: "serve", summary: "run the central server (REST API for windows, departments, supervisors)", run: runServe})
}

// httpServer wraps the central's handler in an http.Server with the limits
// a public server needs; its queue streams end when it shuts down.
func httpServer(apiServer *httpapi.Server, log slog.Handler) *http.Server {
	hs := &http.Server{
		Handler:           apiServer,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       10 * time.Minute, // a 20 MiB scan over a poor link
		IdleTimeout:       2 * time.Minute,
		// The API refuses heads over 64 KiB itself, with a JSON 431; Go's
		// own plain-text 431 is for heads over this.
		MaxHeaderBytes: 1 << 20,
		ErrorLog:       slog.NewLogLogger(log, slog.LevelWarn),
	}
	hs.RegisterOnShutdown(apiServer.Shutdown)
	return hs
}

// readMetricsToken reads the scrape token of --metrics-token-file ("" for
// none).
func readMetricsToken(file string) (string, error) {
	if file == "" {
		return "", nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("--metrics-token-file: %w", err)
	}
	tok := strings.TrimSpace(string(b))
	if len(tok) < 32 || strings.ContainsAny(tok, " \t\r\n") {
		return "", fmt.Errorf("--metrics-token-file %s: the token must be one line of at least 32 characters without spaces (e.g. openssl rand -hex 32 > %s)", file, file)
	}
	return tok, nil
}

// parseUnclaimedDays reads --unclaimed-days: "" for the catalogue's
// storage period, else 1 to domain.MaxUnclaimedDays days.
func parseUnclaimedDays(v string) (int, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > domain.MaxUnclaimedDays {
		return 0, fmt.Errorf("%q: give a whole number of days from 1 to %d (e.g. 30)", v, domain.MaxUnclaimedDays)
	}
	return n, nil
}

// shutdownGrace is how long in-flight requests get to finish at shutdown.
const shutdownGrace = 20 * time.Second

func runServe(e *env, args []string) error {
	fs := e.newFlags("serve", "[--addr HOST:PORT] [--db FILE|postgres://…] [--tls-cert FILE --tls-key FILE] [--signing-key FILE] [--catalog FILE] [--trusted-proxies CIDR,…] [--metrics-token-file FILE] [--calendar NAME] [--unclaimed-days N] [--notices FILE] [--smtp-addr HOST:PORT --smtp-from ADDR …] [--sms-url URL …] [--ssh-addr HOST:PORT [--ssh-host-key FILE] [--ssh-idle DURATION]]")
	envOr := func(name, def string) string { // the variable, or the config file's serve section
		if v := e.getenv(name); v != "" {
			return v
		}
		return def
	}
	addr := fs.String("addr", envOr("OKNO_ADDR", "127.0.0.1:8420"), "address to listen on (env OKNO_ADDR)")
	db := fs.String("db", envOr("OKNO_DB", "okno-central.db"), "the database: a SQLite file, or a postgres:// URL (several servers may share one) (env OKNO_DB)")
	certFile := fs.String("tls-cert", e.getenv("OKNO_TLS_CERT"), "TLS certificate (PEM); with --tls-key, serve https (TLS 1.2 or later) (env OKNO_TLS_CERT)")
	keyFile := fs.String("tls-key", e.getenv("OKNO_TLS_KEY"), "TLS private key (PEM) (env OKNO_TLS_KEY)")
	signingKey := fs.String("signing-key", e.getenv("OKNO_SIGNING_KEY"), "the central's Ed25519 key (PEM, mode 0600, made if missing) that signs its own events;\n"+
		"default: beside a SQLite database (NAME-signing.key); with PostgreSQL give the same file to every process, or the events stay unsigned")
	catalogFile := fs.String("catalog", "", "publish this catalogue file (YAML or JSON) at start, if it differs from the current one")
	officesFile := fs.String("offices", "", "keep these offices' public profiles at start (YAML: offices: name, lang, timezone, hours, daily_limits …;\n"+
		"see docs/operations.md): the hall board and the kiosk serve only offices with one")
	jsonLog := fs.Bool("log-json", false, "write the log as JSON lines")
	calendar := fs.String("calendar", envOr("OKNO_TERMS_CALENDAR", "ru"), "the working-day calendar of the departments' terms, one of "+strings.Join(domain.CalendarNames(), ", ")+
		" (the catalogue's holidays on top): a term paused while a department waits for documents moves on by the working days it waited (env OKNO_TERMS_CALENDAR)")
	proxies := fs.String("trusted-proxies", e.getenv("OKNO_TRUSTED_PROXIES"), "reverse proxies (CIDRs or addresses, comma-separated) whose X-Forwarded-For names the client;\n"+
		"anyone else's X-Forwarded-For is ignored (the sign-in limits count per client address)")
	unclaimedDays := fs.String("unclaimed-days", e.getenv("OKNO_UNCLAIMED_DAYS"), "days a ready result (or a refusal letter) waits at the office for its visitor, counted from the day it became ready,\n"+
		"before it is on the supervisor's list of unclaimed results, to return to the department or keep longer;\n"+
		"an office's profile may say otherwise (unclaimed_days); default: the catalogue's norms.storage_days, 30 (env OKNO_UNCLAIMED_DAYS)")
	sshFlags := addSSHFlags(fs, e.getenv)
	metricsTokenFile := fs.String("metrics-token-file", e.getenv("OKNO_METRICS_TOKEN_FILE"), "a file holding a token (at least 32 characters) that GET /metrics takes as a bearer token besides\n"+
		"supervisors' and admins' sessions, for Prometheus (its credentials_file); it never expires")
	nf := noticeFlags(fs, e.getenv("OKNO_NOTICES"))
	if err := e.parse(fs, args); err != nil {
		return err
	}
	notices, err := nf.config()
	if err != nil {
		fmt.Fprintf(e.stderr, "okno serve: notices: %v\n", err)
		return errUsage
	}
	if err := sshFlags.check(*db); err != nil {
		fmt.Fprintf(e.stderr, "okno serve: %v\n", err)
		return errUsage
	}
	metricsToken, err := readMetricsToken(*metricsTokenFile)
	if err != nil {
		return &exitError{code: 1, msg: err.Error()}
	}
	keepDays, err := parseUnclaimedDays(*unclaimedDays)
	if err != nil {
		fmt.Fprintf(e.stderr, "okno serve: --unclaimed-days: %v\n", err)
		return errUsage
	}
	if _, err := domain.BuiltinCalendar(*calendar); err != nil {
		fmt.Fprintf(e.stderr, "okno serve: --calendar: %v\n", err)
		return errUsage
	}
	if (*certFile == "") != (*keyFile == "") {
		fmt.Fprintln(e.stderr, "okno serve: give both --tls-cert and --tls-key, or neither")
		return errUsage
	}
	trusted, err := httpapi.ParseTrustedProxies(*proxies)
	if err != nil {
		fmt.Fprintf(e.stderr, "okno serve: --trusted-proxies: %v\n", err)
		return errUsage
	}
	var handler slog.Handler = slog.NewTextHandler(e.stderr, nil)
	if *jsonLog {
		handler = slog.NewJSONHandler(e.stderr, nil)
	}
	log := slog.New(handler)

	var cat *domain.Catalog
	if *catalogFile != "" {
		data, err := os.ReadFile(*catalogFile)
		if err != nil {
			return &exitError{code: 1, msg: fmt.Sprintf("read the catalogue: %v", err)}
		}
		if cat, err = domain.ParseCatalog(data, *catalogFile); err != nil {
			return &exitError{code: 1, msg: fmt.Sprintf("the catalogue has mistakes:\n%v", err)}
		}
	}

	var offices []domain.Office
	if *officesFile != "" {
		data, err := os.ReadFile(*officesFile)
		if err != nil {
			return &exitError{code: 1, msg: fmt.Sprintf("read the offices: %v", err)}
		}
		if offices, err = domain.ParseOffices(data); err != nil {
			return &exitError{code: 1, msg: fmt.Sprintf("%s: %v", *officesFile, err)}
		}
	}

	key, err := centralKey(*signingKey, *db)
	if err != nil {
		return &exitError{code: 1, msg: fmt.Sprintf("the signing key: %v", err)}
	}
	if key == nil {
		log.Warn("the central's own events (status changes, catalogue updates) are chained but not signed: give --signing-key FILE, the same file to every process")
	} else {
		log.Info("the central signs its own events", "public_key", domain.EncodePublicKey(key.Public().(ed25519.PublicKey)))
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	st, err := store.Open(ctx, *db, store.Options{Key: key})
	if err != nil {
		return &exitError{code: 1, msg: fmt.Sprintf("open the database: %v", err)}
	}
	defer st.Close()
	for _, o := range offices {
		if err := st.PutOffice(ctx, o); err != nil {
			return &exitError{code: 1, msg: fmt.Sprintf("office %s: %v", o.Code, err)}
		}
	}
	if len(offices) > 0 {
		log.Info("office profiles kept", "offices", len(offices))
	}
	apiServer, err := httpapi.New(ctx, httpapi.Config{Store: st, Logger: log, Version: version, Catalog: cat, TrustedProxies: trusted, MetricsToken: metricsToken, Calendar: *calendar, UnclaimedDays: keepDays})
	if err != nil {
		return &exitError{code: 1, msg: err.Error()}
	}
	defer apiServer.Close()
	stopNotices, err := startNotices(st, notices, log)
	if err != nil {
		return &exitError{code: 1, msg: fmt.Sprintf("notices: %v", err)}
	}
	defer stopNotices()

	board, err := startSSHBoard(e, sshFlags, st, apiServer, log)
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return &exitError{code: 1, msg: fmt.Sprintf("listen on %s: %v", *addr, err)}
	}
	hs := httpServer(apiServer, handler)
	useTLS := *certFile != ""
	if useTLS {
		hs.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	} else if !isLoopback(ln.Addr()) {
		log.Warn("serving plain HTTP on a non-loopback address: passwords, tokens and personal data cross the network unencrypted; use --tls-cert and --tls-key, or a TLS proxy", "addr", ln.Addr().String())
	}
	served := make(chan error, 1)
	go func() {
		if useTLS {
			served <- hs.ServeTLS(ln, *certFile, *keyFile)
		} else {
			served <- hs.Serve(ln)
		}
	}()
	log.Info("okno serve started", "addr", ln.Addr().String(), "store", st.Kind(), "tls", useTLS, "version", version)

	select {
	case err := <-served:
		if !errors.Is(err, http.ErrServerClosed) {
			return &exitError{code: 1, msg: fmt.Sprintf("serve: %v", err)}
		}
	case <-ctx.Done():
		log.Info("shutting down: finishing the requests in flight")
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	board.shutdown(sctx, log)
	if err := hs.Shutdown(sctx); err != nil {
		log.Warn("shutdown cut short", "err", err)
	}
	apiServer.Close() // commits what the writer holds
	stopNotices()     // the sends under way are finished and recorded
	log.Info("okno serve stopped")
	return nil
}

// centralKey loads (or makes) the central's signing key: the file given,
// else one beside a SQLite database; nil for PostgreSQL without a file.
func centralKey(path, db string) (ed25519.PrivateKey, error) {
	if path == "" {
		if store.IsPostgres(db) {
			return nil, nil
		}
		path = strings.TrimSuffix(db, filepath.Ext(db)) + "-signing.key"
	}
	return link.LoadOrCreateKeyFile(path)
}

// isLoopback reports whether a listening address is reachable from this
// machine only.
func isLoopback(a net.Addr) bool {
	ta, ok := a.(*net.TCPAddr)
	return ok && ta.IP.IsLoopback()
}
