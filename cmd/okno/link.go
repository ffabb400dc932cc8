package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/okno-mfc/okno/client"
	"github.com/okno-mfc/okno/link"
	"github.com/okno-mfc/okno/localdb"
)

// runningLink is the TUI's link: the sync engine running in the background
// until the TUI closes it.
type runningLink struct {
	*link.Link
	stop context.CancelFunc
	done chan struct{}
}

func (r *runningLink) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	r.SignOut(ctx) // a supervisor's own session ends with the TUI
	cancel()
	r.stop()
	select {
	case <-r.done:
	case <-time.After(5 * time.Second):
	}
	return nil
}

// openLink starts the TUI's link: to the central of an enrolled
// workstation, or with no central for one that is not enrolled (it works
// the same, offline, and the sync screen says why).
func openLink(store *localdb.Store, dataDir string, insecureHTTP bool) (*runningLink, error) {
	l, err := startLink(store, dataDir, slog.New(slog.DiscardHandler), insecureHTTP)
	if errors.Is(err, link.ErrNotEnrolled) {
		// Not enrolled yet: what it records now goes out after enrolment,
		// signed like everything else (the central refuses unsigned events).
		if err := useKey(store, dataDir); err != nil {
			return nil, err
		}
		l, err = link.New(link.Config{Store: store}), nil
	}
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &runningLink{Link: l, stop: cancel, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		_ = l.Run(ctx)
	}()
	return r, nil
}

// startLink makes (not runs) the link of the workstation in dataDir: its
// credential, its client and its signing key. A plain http:// central of
// another host is refused unless the credential (okno enrol or okno sync
// --central with --insecure-http) or insecureHTTP allows it.
func startLink(store *localdb.Store, dataDir string, log *slog.Logger, insecureHTTP bool) (*link.Link, error) {
	cred, err := link.LoadCredential(dataDir)
	if err != nil {
		return nil, err
	}
	if cred.Office != store.Office() || cred.Window != store.Window() {
		return nil, fmt.Errorf("the credential in %s is for %s window %d, but the store is %s window %d: enrol this data folder again",
			dataDir, cred.Office, cred.Window, store.Office(), store.Window())
	}
	if err := useKey(store, dataDir); err != nil {
		return nil, err
	}
	opts := []client.Option{client.WithTimeout(30 * time.Second), client.WithLogger(log)}
	if cred.CAFile != "" {
		opts = append(opts, client.WithCAFile(cred.CAFile))
	}
	if insecureHTTP || cred.InsecureHTTP {
		opts = append(opts, client.AllowInsecureHTTP())
	}
	c, err := client.New(cred.Central, opts...)
	if err != nil {
		return nil, transportError(err, dataDir)
	}
	return link.New(link.Config{Store: store, Client: c, Cred: cred, Logger: log}), nil
}

// useKey makes the store sign its events with the workstation's key.
func useKey(store *localdb.Store, dataDir string) error {
	key, err := link.LoadOrCreateKey(dataDir)
	if err != nil {
		return err
	}
	store.SetSigner(link.KeySigner{Key: key})
	return nil
}

// insecureHTTPUsage is the help of --insecure-http.
const insecureHTTPUsage = "allow a plain http:// central on another host (passwords and personal data cross the line unencrypted; only for a private line you trust)"

// transportError adds what to do to a refused plain http:// address; data
// is the data folder whose credential named it ("" when a flag did).
func transportError(err error, data string) error {
	var ie *client.InsecureHTTPError
	if !errors.As(err, &ie) {
		return err
	}
	fix := "use https:// (with --ca FILE when the centre has its own certificate authority), or pass --insecure-http if you know the line is private"
	if data != "" {
		fix = fmt.Sprintf("this workstation was enrolled with it: point it at https:// once with okno sync --data %s --central https://HOST:PORT [--ca FILE], "+
			"or, if you know the line is private, record that with okno sync --data %s --central %s --insecure-http", data, data, ie.URL)
	}
	return &exitError{code: 1, msg: fmt.Sprintf("%v.\nTo go on: %s", err, fix)}
}

// lockData takes the data folder's lock for a command that writes the
// store (see localdb.LockDir): a second writing process on the same folder
// is refused with the holder's pid, command and start time.
func lockData(dataDir, command string) (*localdb.DirLock, error) {
	l, err := localdb.LockDir(dataDir, "okno "+command)
	if err != nil {
		return nil, &exitError{code: 1, msg: err.Error()}
	}
	return l, nil
}

// openStore opens DATA/okno.db of an existing workstation.
func openStore(ctx context.Context, dataDir string) (*localdb.Store, error) {
	path := filepath.Join(dataDir, "okno.db")
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("no workstation data in %s (okno.db is missing): check --data", dataDir)
	}
	return localdb.Open(ctx, path, localdb.Options{})
}
