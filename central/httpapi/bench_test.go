package httpapi_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/domain"
)

// The ingest benchmark (issue 17): benchWindows workstations, in offices
// of benchPerOffice windows (a region's 1,000 windows in 50 offices keep
// that ratio), push batches of benchBatch signed events each,
// concurrently, over loopback HTTP, to the real server over a SQLite file
// and, with OKNO_TEST_POSTGRES, a PostgreSQL database. The baseline is the
// same durable work minus okno: benchWindows writers insert the same
// events' rows, one transaction of one multi-row INSERT per batch, into a
// table shaped like events (same columns, same unique indexes) in the same
// database. Rounds of each alternate in one run; it reports events/s of
// both and their ratio (×baseline).

const (
	benchWindows   = 100
	benchPerOffice = 20
	benchBatch     = 100
	benchPerWindow = 3 // batches a window pushes in a round: 30,000 events
	benchRounds    = 2 // of each, alternately
)

func benchOffice(round, w int) string { return fmt.Sprintf("R%dO%d", round, w/benchPerOffice) }

// benchLoad makes the request bodies of each window for a round: its
// events in seq order, a realistic mix (a ticket, a visitor, a case with
// its documents), and the events themselves.
func benchLoad(b *testing.B, round int) ([][][]byte, [][]domain.Event) {
	b.Helper()
	bodies := make([][][]byte, benchWindows)
	events := make([][]domain.Event, benchWindows)
	for w := range benchWindows {
		ch := centraltest.NewChain(benchOffice(round, w), w%benchPerOffice+1)
		var evs []domain.Event
		for len(evs) < benchPerWindow*benchBatch {
			iss, tid := ch.Issue("advertising_permit", "")
			reg, vid := ch.Register()
			open, cid := ch.Open(vid, "advertising_permit")
			evs = append(evs, iss, ch.Move(domain.EvTicketCalled, tid), reg, open)
			for _, doc := range []string{"application", "passport", "power_of_attorney", "site_plan"} {
				evs = append(evs, ch.Next(domain.EvDocumentChecked, domain.DocumentPayload{Doc: doc, Presented: true, Form: domain.FormOriginal, Count: 1}, centraltest.CaseOf(cid)))
			}
			evs = append(evs, ch.HandOff(cid), ch.Move(domain.EvTicketServed, tid))
		}
		evs = evs[:benchPerWindow*benchBatch]
		events[w] = evs
		for i := range benchPerWindow {
			body, err := json.Marshal(api.IngestRequest{Events: evs[i*benchBatch : (i+1)*benchBatch]})
			if err != nil {
				b.Fatal(err)
			}
			bodies[w] = append(bodies[w], body)
		}
	}
	return bodies, events
}

// pushLoad sends every window's bodies, windows in parallel, each in order.
func pushLoad(b *testing.B, url string, tokens []string, load [][][]byte) int {
	b.Helper()
	tr := &http.Transport{MaxIdleConnsPerHost: benchWindows, MaxConnsPerHost: benchWindows}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: 120 * time.Second}
	var wg sync.WaitGroup
	var mu sync.Mutex
	events, failed := 0, error(nil)
	for w := range load {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, body := range load[w] {
				req, _ := http.NewRequest(http.MethodPost, url+"/v1/events", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+tokens[w])
				resp, err := hc.Do(req)
				if err != nil {
					mu.Lock()
					failed = err
					mu.Unlock()
					return
				}
				var ir api.IngestResponse
				err = json.NewDecoder(resp.Body).Decode(&ir)
				resp.Body.Close()
				mu.Lock()
				if err == nil && resp.StatusCode != http.StatusOK {
					err = fmt.Errorf("status %d", resp.StatusCode)
				}
				for _, r := range ir.Results {
					if r.Status == api.IngestAccepted {
						events++
					} else if failed == nil {
						failed = fmt.Errorf("event %s: %s %s", r.ID, r.Status, r.Reason)
					}
				}
				if err != nil {
					failed = err
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if failed != nil {
		b.Fatal(failed)
	}
	return events
}

// plainTable makes the baseline's table: events' columns and unique
// indexes, nothing of okno's logic.
func plainTable(b *testing.B, db *sql.DB, kind string) {
	b.Helper()
	pk := "INTEGER PRIMARY KEY AUTOINCREMENT"
	if kind == "postgres" {
		pk = "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
	}
	for _, q := range []string{
		`CREATE TABLE plain_events (pos ` + pk + `, id TEXT NOT NULL UNIQUE, office TEXT NOT NULL, win INTEGER NOT NULL,
			seq BIGINT NOT NULL, at BIGINT NOT NULL, kind TEXT NOT NULL, actor TEXT NOT NULL, case_id TEXT NOT NULL,
			ticket_id TEXT NOT NULL, visitor_id TEXT NOT NULL, payload TEXT, prev_hash TEXT NOT NULL, hash TEXT NOT NULL,
			sig TEXT NOT NULL, status TEXT NOT NULL, received_at BIGINT NOT NULL)`,
		`CREATE UNIQUE INDEX plain_stream ON plain_events (office, win, seq)`,
	} {
		if _, err := db.Exec(q); err != nil {
			b.Fatal(err)
		}
	}
}

// plainInsert is the baseline: each window's writer inserts its batches,
// one transaction of one multi-row INSERT each, all windows at once.
func plainInsert(b *testing.B, db *sql.DB, kind string, events [][]domain.Event) int {
	b.Helper()
	const cols = 16
	var q strings.Builder
	q.WriteString(`INSERT INTO plain_events (id, office, win, seq, at, kind, actor, case_id, ticket_id, visitor_id, payload, prev_hash, hash, sig, status, received_at) VALUES `)
	for r := range benchBatch {
		if r > 0 {
			q.WriteString(", ")
		}
		q.WriteByte('(')
		for c := range cols {
			if c > 0 {
				q.WriteString(", ")
			}
			if kind == "postgres" {
				fmt.Fprintf(&q, "$%d", r*cols+c+1)
			} else {
				q.WriteByte('?')
			}
		}
		q.WriteByte(')')
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(events))
	for _, evs := range events {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < len(evs); i += benchBatch {
				args := make([]any, 0, benchBatch*cols)
				for _, e := range evs[i : i+benchBatch] {
					args = append(args, e.ID, e.Office, e.Window, e.Seq, e.At.UnixNano(), string(e.Kind), e.Actor, e.CaseID, e.TicketID,
						e.VisitorID, string(e.Payload), e.PrevHash, e.Hash, e.Sig, "accepted", time.Now().UnixNano())
				}
				tx, err := db.BeginTx(context.Background(), nil)
				if err == nil {
					if _, err = tx.Exec(q.String(), args...); err == nil {
						err = tx.Commit()
					} else {
						tx.Rollback()
					}
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	return len(events) * len(events[0])
}

// plainDB opens the baseline's connections the way the store opens its
// writer: SQLite one writer connection (WAL, synchronous=FULL), as many
// as the store's pool on PostgreSQL.
func plainDB(b *testing.B, srv *centraltest.Server) *sql.DB {
	b.Helper()
	if srv.Kind == "postgres" {
		db, err := sql.Open("pgx", srv.DSN)
		if err != nil {
			b.Fatal(err)
		}
		db.SetMaxOpenConns(20)
		db.SetMaxIdleConns(20)
		b.Cleanup(func() { db.Close() })
		return db
	}
	db, err := sql.Open("sqlite", "file:"+srv.DSN+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_txlock=immediate")
	if err != nil {
		b.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	b.Cleanup(func() { db.Close() })
	return db
}

func BenchmarkIngest(b *testing.B) {
	for _, kind := range centraltest.Kinds() {
		b.Run(kind, func(b *testing.B) {
			srv := centraltest.Start(b, centraltest.Kind(b, kind))
			db := plainDB(b, srv)
			plainTable(b, db, kind)
			var okno, raw time.Duration
			var oknoN, rawN int
			round := 0
			for b.Loop() {
				for range benchRounds {
					b.StopTimer()
					tokens := make([]string, benchWindows)
					for w := range tokens {
						tokens[w] = srv.Enrol(b, benchOffice(round, w), w%benchPerOffice+1).Token
					}
					bodies, events := benchLoad(b, round)
					round++
					b.StartTimer()
					start := time.Now()
					oknoN += pushLoad(b, srv.URL, tokens, bodies)
					okno += time.Since(start)
					start = time.Now()
					rawN += plainInsert(b, db, kind, events)
					raw += time.Since(start)
				}
			}
			o, r := float64(oknoN)/okno.Seconds(), float64(rawN)/raw.Seconds()
			b.ReportMetric(o, "events/s")
			b.ReportMetric(r, "baseline-events/s")
			b.ReportMetric(o/r, "×baseline")
		})
	}
}
