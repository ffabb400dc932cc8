package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/client"
	"github.com/okno-mfc/okno/domain"
)

// BenchmarkGrowth (issue 17): the same ingest and the same feed reads on
// a central already holding growSmall events (the baseline) and one
// holding OKNO_BENCH_GROWTH events (default 1,000,000; the issue's figure
// is 10,000,000: OKNO_BENCH_GROWTH=10000000 make bench), both made by
// centraltest.Grow over 50 offices of 20 windows. It reports, for the big
// central and as baseline-… for the small one: events/s of 20 windows
// pushing 5 batches of 100 into a new office, and ms per feed page (200
// events) of an office's supervisor reading the office's newest events
// and of a workstation catching up from the office's middle. The goal:
// the big figures within 1.3× of the small ones.
func BenchmarkGrowth(b *testing.B) {
	big := 1_000_000
	if n, err := strconv.Atoi(os.Getenv("OKNO_BENCH_GROWTH")); err == nil && n > 0 {
		big = n
	}
	const growSmall = 100_000
	for _, kind := range centraltest.Kinds() {
		b.Run(kind, func(b *testing.B) {
			var small, large growFigures
			for b.Loop() {
				b.StopTimer()
				small = growRun(b, kind, growSmall)
				large = growRun(b, kind, big)
				b.StartTimer()
			}
			b.ReportMetric(large.ingest, "events/s")
			b.ReportMetric(small.ingest, "baseline-events/s")
			b.ReportMetric(large.feedNew, "feed-newest-ms/page")
			b.ReportMetric(small.feedNew, "baseline-feed-newest-ms/page")
			b.ReportMetric(large.feedMid, "feed-catchup-ms/page")
			b.ReportMetric(small.feedMid, "baseline-feed-catchup-ms/page")
			b.Logf("%s: %d events: %.0f ev/s, feed %.2f / %.2f ms a page; %d events: %.0f ev/s, feed %.2f / %.2f ms a page",
				kind, growSmall, small.ingest, small.feedNew, small.feedMid, big, large.ingest, large.feedNew, large.feedMid)
		})
	}
}

type growFigures struct{ ingest, feedNew, feedMid float64 }

func growRun(b *testing.B, kind string, size int) growFigures {
	b.Helper()
	srv := centraltest.Start(b, centraltest.Kind(b, kind))
	start := time.Now()
	srv.Grow(b, size)
	b.Logf("%s: grew %d events in %s", kind, size, time.Since(start).Round(time.Second))
	ctx := context.Background()
	var f growFigures

	// Ingest: 20 windows of a new office, 5 batches of 100 each.
	const windows, batches = 20, 5
	tokens := make([]string, windows)
	for w := range tokens {
		tokens[w] = srv.Enrol(b, "NEW", w+1).Token
	}
	load := make([][][]byte, windows)
	for w := range windows {
		ch := centraltest.NewChain("NEW", w+1)
		for range batches {
			evs := make([]domain.Event, benchBatch)
			for i := range evs {
				evs[i], _ = ch.Issue("advertising_permit", "")
			}
			body, err := json.Marshal(api.IngestRequest{Events: evs})
			if err != nil {
				b.Fatal(err)
			}
			load[w] = append(load[w], body)
		}
	}
	t0 := time.Now()
	n := pushLoad(b, srv.URL, tokens, load)
	f.ingest = float64(n) / time.Since(t0).Seconds()

	// Feed: office G07's supervisor reads its newest 5,000 events, then
	// a workstation of G07 catches up 5,000 from the office's middle.
	sup, _ := client.New(srv.URL, client.WithToken(srv.Session(b, "supg07", domain.RoleSupervisor, "G07", 0)))
	var maxPos int64
	if err := srv.SQL(b).QueryRow(`SELECT MAX(pos) FROM events WHERE received_by = 'grow'`).Scan(&maxPos); err != nil {
		b.Fatal(err)
	}
	read := func(c *client.Client, from int64) float64 {
		const pages = 4
		cursor := from
		t0 := time.Now()
		for range pages {
			page, err := c.Feed(ctx, cursor, 200)
			if err != nil {
				b.Fatal(err)
			}
			if len(page.Events) == 0 {
				b.Fatalf("an empty feed page after %d", cursor)
			}
			cursor = page.Cursor
		}
		return float64(time.Since(t0).Microseconds()) / 1000 / pages
	}
	// 800 of G07's events span about 800·50 positions: start 52,000 back.
	f.feedNew = read(sup, max(0, maxPos-52_000))
	ws := srv.Enrol(b, "G07", 1)
	wsc, _ := client.New(srv.URL, client.WithToken(ws.Token))
	f.feedMid = read(wsc, maxPos/2)
	if kind == "postgres" {
		explain(b, srv, size, maxPos/2)
	}
	return f
}

// explain logs the plans of a workstation's feed read (docs/data-model.md
// shows them at 10M events).
func explain(b *testing.B, srv *centraltest.Server, size int, after int64) {
	b.Helper()
	db := srv.SQL(b)
	for _, q := range []string{
		`SELECT max(pos) FROM events WHERE status = 'accepted' AND pos > $1 AND office = 'G07'`,
		`SELECT pos, id, office, win, seq, at, kind, actor, case_id, ticket_id, visitor_id, payload, prev_hash, hash, sig
			FROM events WHERE status = 'accepted' AND pos > $1 AND office = 'G07' AND NOT (office = 'G07' AND win = 1) ORDER BY pos LIMIT 201`,
	} {
		var plan []string
		func() {
			rows, err := db.Query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) `+q, after)
			if err != nil {
				b.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var line string
				if err := rows.Scan(&line); err != nil {
					b.Fatal(err)
				}
				plan = append(plan, line)
			}
			if err := rows.Err(); err != nil {
				b.Fatal(err)
			}
		}()
		// Printed, not logged: a benchmark's log is cut short.
		fmt.Printf("plan at %d events of %s\n%s\n", size, strings.Join(strings.Fields(q), " "), strings.Join(plan, "\n"))
	}
}
