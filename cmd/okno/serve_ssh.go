package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"time"

	"github.com/okno-mfc/okno/central/httpapi"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/sshboard"
	"github.com/okno-mfc/okno/tui/i18n"
)

// sshFlags are okno serve's flags of the supervisor's board over SSH.
type sshFlags struct {
	addr    *string
	hostKey *string
	idle    *time.Duration
	envIdle error // OKNO_SSH_IDLE is not a duration
	fs      *flag.FlagSet
}

func addSSHFlags(fs *flag.FlagSet, getenv func(string) string) *sshFlags {
	idle := 30 * time.Minute
	var envIdle error
	if v := getenv("OKNO_SSH_IDLE"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			envIdle = fmt.Errorf("OKNO_SSH_IDLE (or serve.ssh_idle) %q: give a duration such as 30m", v)
		}
		idle = d
	}
	return &sshFlags{
		envIdle: envIdle,
		fs:      fs,
		addr: fs.String("ssh-addr", getenv("OKNO_SSH_ADDR"), "also serve the supervisor's live-queue board over SSH on HOST:PORT (e.g. :2222);\n"+
			"supervisors and administrators connect with a key registered by okno user key add.\n"+
			"The host key's fingerprint (SHA256:…) is logged at start: tell it to the supervisors,\n"+
			"whose ssh asks them to confirm it on the first connection (ssh-keygen -l -f FILE shows it too) (env OKNO_SSH_ADDR)"),
		hostKey: fs.String("ssh-host-key", getenv("OKNO_SSH_HOST_KEY"), "the board's SSH host key (OpenSSH form, mode 0600, made on first start);\n"+
			"default: beside a SQLite database (NAME-ssh-host.key); with PostgreSQL give it, the same file on every replica behind one address (env OKNO_SSH_HOST_KEY)"),
		idle: fs.Duration("ssh-idle", idle, "end a board session after this long without a key pressed (live updates do not count) (env OKNO_SSH_IDLE)"),
	}
}

// check says what is wrong with the flags given; it fills the host key's
// default.
func (f *sshFlags) check(db string) error {
	if f.envIdle != nil {
		given := false
		f.fs.Visit(func(fl *flag.Flag) { given = given || fl.Name == "ssh-idle" })
		if !given {
			return f.envIdle
		}
	}
	if *f.addr == "" {
		if *f.hostKey != "" {
			return errors.New("--ssh-host-key without --ssh-addr: give the address to serve the board on")
		}
		return nil
	}
	if _, _, err := net.SplitHostPort(*f.addr); err != nil {
		return fmt.Errorf("--ssh-addr %q: give HOST:PORT, e.g. :2222 or 10.0.0.5:2222", *f.addr)
	}
	if *f.idle < time.Minute {
		return fmt.Errorf("--ssh-idle %s: give at least 1m (e.g. 30m)", *f.idle)
	}
	if *f.hostKey == "" {
		if store.IsPostgres(db) {
			return errors.New("--ssh-addr with PostgreSQL: give --ssh-host-key FILE (the same file on every replica, so supervisors see one host key)")
		}
		*f.hostKey = strings.TrimSuffix(db, filepath.Ext(db)) + "-ssh-host.key"
	}
	return nil
}

// runningBoard is the SSH board started beside the API, or nothing.
type runningBoard struct {
	srv    *sshboard.Server
	served chan error
}

// startSSHBoard loads (or makes) the host key, listens and serves the
// board when --ssh-addr is given; it logs the host key's fingerprint.
func startSSHBoard(e *env, f *sshFlags, st *store.Store, api *httpapi.Server, log *slog.Logger) (*runningBoard, error) {
	if *f.addr == "" {
		return &runningBoard{}, nil
	}
	signer, created, err := sshboard.LoadOrCreateHostKey(*f.hostKey)
	if err != nil {
		return nil, &exitError{code: 1, msg: err.Error()}
	}
	lang := i18n.FromEnv(e.getenv)
	srv, err := sshboard.New(sshboard.Config{Store: st, API: api, HostKey: signer, Logger: log, IdleTimeout: *f.idle, Lang: lang})
	if err != nil {
		return nil, &exitError{code: 1, msg: err.Error()}
	}
	ln, err := net.Listen("tcp", *f.addr)
	if err != nil {
		return nil, &exitError{code: 1, msg: fmt.Sprintf("listen on %s (--ssh-addr): %v", *f.addr, err)}
	}
	if created {
		log.Info("made the SSH board's host key", "file", *f.hostKey)
	}
	log.Info("the supervisor's board over SSH", "addr", ln.Addr().String(), "host_key", *f.hostKey,
		"fingerprint", srv.HostKeyFingerprint(), "idle", f.idle.String())
	b := &runningBoard{srv: srv, served: make(chan error, 1)}
	go func() { b.served <- srv.Serve(ln) }()
	return b, nil
}

// shutdown ends the board's sessions (each is told the server stops).
func (b *runningBoard) shutdown(ctx context.Context, log *slog.Logger) {
	if b == nil || b.srv == nil {
		return
	}
	if err := b.srv.Shutdown(ctx); err != nil {
		log.Warn("the SSH board's shutdown cut short", "err", err)
	}
	if err := <-b.served; err != nil && !errors.Is(err, sshboard.ErrServerClosed) {
		log.Warn("the SSH board stopped", "err", err)
	}
}
