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

	"github.com/okno-mfc/okno/link"
)

func init() {
	register(command{name: "sync", summary: "push the outbox and pull the feed, headless (--once, or keep running)", run: runSync})
}

func runSync(e *env, args []string) error {
	fs := e.newFlags("sync", "--data DIR [--central URL] [--ca FILE] [--once | --watch]")
	data := fs.String("data", defaultDataDir(e.getenv), "the workstation's data folder")
	central := fs.String("central", "", "the central's URL (default: the one the workstation was enrolled with)")
	ca := fs.String("ca", "", "a CA file to trust for the central's certificate (default: the one given at enrolment; kept for the next runs)")
	once := fs.Bool("once", false, "sync until the outbox is empty and the feed caught up, print a summary, exit (0: nothing left to retry)")
	watch := fs.Bool("watch", false, "keep syncing and print every change of the link's state")
	timeout := fs.Duration("timeout", 10*time.Minute, "with --once: give up after this long")
	if err := parse(fs, args); err != nil {
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
		cred, err := link.LoadCredential(*data)
		if err != nil {
			return err
		}
		if *central != "" {
			cred.Central = *central
		}
		if *ca != "" {
			abs, err := filepath.Abs(*ca)
			if err != nil {
				return err
			}
			cred.CAFile = abs
		}
		if err := link.SaveCredential(*data, cred); err != nil {
			return err
		}
	}
	l, err := startLink(store, *data, log)
	if err != nil {
		return err
	}
	if *once {
		ctx, cancel := context.WithTimeout(ctx, *timeout)
		defer cancel()
		return syncOnce(ctx, e, l)
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

// syncOnce repeats SyncOnce until nothing is left or it stops helping, then
// prints the totals.
func syncOnce(ctx context.Context, e *env, l *link.Link) error {
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
		time.Sleep(time.Duration(attempt+1) * 500 * time.Millisecond)
	}
	fmt.Fprintf(e.stdout, "sent %d, duplicate %d, rejected %d, pulled %d, attachments %d, left %d, %.1f s\n",
		total.Sent, total.Duplicate, total.Rejected, total.Pulled, total.Blobs, total.Left, time.Since(start).Seconds())
	if total.Rejected > 0 {
		fmt.Fprintf(e.stdout, "%d events were rejected by the central: they need attention (the Sync screen lists them with reasons)\n", total.Rejected)
	}
	if total.FeedFailed > 0 {
		fmt.Fprintf(e.stdout, "%d feed events did not apply here (kept; see the log)\n", total.FeedFailed)
	}
	if err != nil {
		return &exitError{code: 1, msg: fmt.Sprintf("%d events left unsent: %v", total.Left, err)}
	}
	if total.Left > 0 {
		return &exitError{code: 1, msg: fmt.Sprintf("%d events left unsent", total.Left)}
	}
	return nil
}
