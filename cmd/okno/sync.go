package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/okno-mfc/okno/client"
	"github.com/okno-mfc/okno/link"
	"github.com/okno-mfc/okno/localdb"
)

func init() {
	register(command{name: "sync", summary: "push the outbox and pull the feed, headless (--once, or keep running)", run: runSync})
}

// Exit codes of okno sync --once (docs/operations.md).
const (
	syncRejected = 3 // the attention list is not empty: events the central rejected
	syncStuck    = 4 // events still wait to be sent, or the feed was not pulled
)

const syncUsage = `--data DIR [--central URL [--insecure-http]] [--ca FILE] [--once | --watch] [--resend-rejected]

Pushes the workstation's outbox to the central and pulls the office's feed.
With --once it syncs until the outbox is empty and the feed caught up (or
it stops helping), prints what it did, and exits:

  0  everything was sent and the feed pulled
  1  an error before syncing (no credential, a refused address, the
     data folder in use by another okno process …)
  2  a usage error
  3  events the central rejected wait in the attention list (the Sync
     screen lists them with the central's reasons); fix the cause, then
     offer them again with --resend-rejected
  4  events are still waiting to be sent, or the feed was not pulled:
     offline, a timeout, or the central asks for an earlier event first

3 wins over 4: events often wait behind a rejected one. --resend-rejected
puts every rejected event back in the outbox as it was (the same id, hash
and signature) before syncing; one rejected again returns to the list.`

func runSync(e *env, args []string) error {
	fs := e.newFlags("sync", syncUsage)
	data := fs.String("data", defaultDataDir(e.getenv), "the workstation's data folder")
	central := fs.String("central", e.getenv("OKNO_CENTRAL"), "the central's URL (default: OKNO_CENTRAL, else the one the workstation was enrolled with; kept for the next runs)")
	ca := fs.String("ca", "", "a CA file to trust for the central's certificate (default: the one given at enrolment; kept for the next runs)")
	once := fs.Bool("once", false, "sync until the outbox is empty and the feed caught up, print a summary, exit (codes above)")
	watch := fs.Bool("watch", false, "keep syncing and print every change of the link's state")
	resend := fs.Bool("resend-rejected", false, "offer the events the central rejected again, as they are, then sync")
	timeout := fs.Duration("timeout", 10*time.Minute, "with --once: give up after this long")
	insecure := fs.Bool("insecure-http", false, insecureHTTPUsage+" (with --central: kept in the credential)")
	if err := e.parse(fs, args); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	lock, err := lockData(*data, "sync")
	if err != nil {
		return err
	}
	defer lock.Unlock()
	store, err := openStore(ctx, *data)
	if err != nil {
		return err
	}
	defer store.Close()
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if *central != "" || *ca != "" {
		if err := updateCredential(*data, *central, *ca, *insecure); err != nil {
			return err
		}
	}
	l, err := startLink(store, *data, log, *insecure)
	if err != nil {
		return err
	}
	if *resend {
		n, err := store.ResendRejected(ctx)
		if err != nil {
			return fmt.Errorf("put the rejected events back in the outbox: %w", err)
		}
		fmt.Fprintf(e.stdout, "rejected events offered again: %d\n", n)
	}
	if *once {
		ctx, cancel := context.WithTimeout(ctx, *timeout)
		defer cancel()
		return syncOnce(ctx, e, l, store)
	}
	if *watch {
		go func() {
			for st := range l.Updates() {
				fmt.Fprintf(e.stdout, "%s  %-8s pending %d  rejected %d  %s\n", time.Now().Format("15:04:05"), st.State, st.Pending, st.Rejected, st.Err)
			}
		}()
	}
	if err := l.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

// updateCredential keeps a new address or CA file for the next runs.
func updateCredential(data, central, ca string, insecure bool) error {
	cred, err := link.LoadCredential(data)
	if err != nil {
		return err
	}
	if central != "" {
		if err := client.CheckTransport(central, insecure); err != nil {
			return transportError(err, "")
		}
		cred.Central = central
		cred.InsecureHTTP = insecure && client.CheckTransport(central, false) != nil
	}
	if ca != "" {
		abs, err := filepath.Abs(ca)
		if err != nil {
			return err
		}
		cred.CAFile = abs
	}
	return link.SaveCredential(data, cred)
}

// syncOnce repeats SyncOnce until nothing is left or it stops helping, then
// prints the totals and exits with the code of what is left.
func syncOnce(ctx context.Context, e *env, l *link.Link, store *localdb.Store) error {
	var total link.Summary
	start := time.Now()
	var err error
	for attempt := 0; ; attempt++ {
		var sum link.Summary
		sum, err = l.SyncOnce(ctx)
		total.Sent += sum.Sent
		total.Duplicate += sum.Duplicate
		total.Rejected += sum.Rejected
		total.Pulled += sum.Pulled
		total.FeedFailed += sum.FeedFailed
		total.Blobs += sum.Blobs
		total.Left = sum.Left
		if (err == nil && sum.Left == 0) || ctx.Err() != nil || attempt >= 5 {
			break
		}
		if errors.Is(err, link.ErrSendAgain) {
			// Waiting behind a rejected event helps nothing.
			if ob, oerr := store.Outbox(ctx); oerr == nil && ob.Rejected > 0 {
				break
			}
		}
		time.Sleep(time.Duration(attempt+1) * 500 * time.Millisecond)
	}
	fmt.Fprintf(e.stdout, "sent %d, duplicate %d, rejected %d, pulled %d, attachments %d, left %d, %.1f s\n",
		total.Sent, total.Duplicate, total.Rejected, total.Pulled, total.Blobs, total.Left, time.Since(start).Seconds())
	if total.FeedFailed > 0 {
		fmt.Fprintf(e.stdout, "%d feed events did not apply here (kept; see the log)\n", total.FeedFailed)
	}
	// What is left decides the exit: the whole attention list, not only
	// this run's rejections.
	octx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ob, oerr := store.Outbox(octx)
	if oerr != nil {
		return fmt.Errorf("read the outbox: %w", oerr)
	}
	if ob.Rejected > 0 {
		msg := fmt.Sprintf("events rejected by the central need attention: %d (the Sync screen lists them with the central's reasons); "+
			"once the cause is fixed: okno sync --once --resend-rejected", ob.Rejected)
		if ob.Pending > 0 {
			msg += fmt.Sprintf("; events still waiting to be sent: %d", ob.Pending)
		}
		return &exitError{code: syncRejected, msg: msg}
	}
	if err != nil {
		return &exitError{code: syncStuck, msg: fmt.Sprintf("events still waiting to be sent: %d (%v)", ob.Pending, err)}
	}
	if ob.Pending > 0 {
		return &exitError{code: syncStuck, msg: fmt.Sprintf("events still waiting to be sent: %d", ob.Pending)}
	}
	return nil
}
