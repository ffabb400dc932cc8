package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/okno-mfc/okno/central/centraltest"
)

// BenchmarkHeartbeat (issue 14): what a region's online workstations'
// heartbeats cost the central. 1,000 windows in 50 offices each say
// "here" every 30 s (store.HeartbeatEvery); one round is every window's
// heartbeat once, from 32 callers at once, through store.Heartbeat (a
// transaction: the office's write lock, the window's last_seen read and
// written; no event). The baseline is the plain write underneath: the
// same 1,000 rows' UPDATE windows SET last_seen, one autocommit statement
// each, from 32 callers, on the same database (for SQLite through one
// connection, as the store writes). It reports heartbeats/s, the share of
// the 30 s period one round takes (round_%_of_30s) and events written per
// heartbeat (0, or the benchmark fails), against the baseline of the
// same run: `make bench` prints the ratios.
func BenchmarkHeartbeat(b *testing.B) {
	const (
		windows   = 1000
		perOffice = 20
		callers   = 32
	)
	for _, kind := range centraltest.Kinds() {
		srv := centraltest.Start(b, centraltest.Kind(b, kind))
		ctx := context.Background()
		office := func(w int) (string, int) { return fmt.Sprintf("HB%02d", w/perOffice), w%perOffice + 1 }
		// Every window heard once: its row exists, as in a working day.
		for w := range windows {
			o, win := office(w)
			if err := srv.Store.Heartbeat(ctx, o, win); err != nil {
				b.Fatal(err)
			}
		}
		db := srv.SQL(b)
		update := `UPDATE windows SET last_seen = ? WHERE office = ? AND win = ?`
		if kind == "postgres" {
			update = `UPDATE windows SET last_seen = $1 WHERE office = $2 AND win = $3`
		} else {
			db.SetMaxOpenConns(1)
		}
		round := func(beat func(o string, win int) error) {
			var wg sync.WaitGroup
			next := make(chan int)
			errs := make(chan error, callers)
			for range callers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for w := range next {
						o, win := office(w)
						if err := beat(o, win); err != nil {
							errs <- err
							return
						}
					}
				}()
			}
			for w := range windows {
				next <- w
			}
			close(next)
			wg.Wait()
			select {
			case err := <-errs:
				b.Fatal(err)
			default:
			}
		}
		events := func() int { return srv.Count(b, `SELECT COUNT(*) FROM events`) }
		run := func(name string, beat func(o string, win int) error) {
			b.Run(kind+name, func(b *testing.B) {
				before := events()
				start := time.Now()
				for b.Loop() {
					round(beat)
				}
				took := time.Since(start)
				n := float64(b.N * windows)
				b.ReportMetric(n/took.Seconds(), "heartbeats/s")
				b.ReportMetric(100*(took.Seconds()/float64(b.N))/30, "round_%_of_30s")
				written := events() - before
				b.ReportMetric(float64(written)/n, "events/heartbeat")
				if written != 0 {
					b.Fatalf("%d events written by %v heartbeats", written, n)
				}
			})
		}
		run("", func(o string, win int) error { return srv.Store.Heartbeat(ctx, o, win) })
		run("Baseline", func(o string, win int) error {
			_, err := db.ExecContext(ctx, update, time.Now().UnixNano(), o, win)
			return err
		})
	}
}
