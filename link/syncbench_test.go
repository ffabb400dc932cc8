package link

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/localdb"
)

// BenchmarkSyncOnce is issue 17's sync figure, whole processes: the real
// `okno sync --once` of a 50,000-event backlog (the BenchmarkBacklog
// fixture: one window's tickets, visitors, cases and documents) against a
// real `okno serve` over loopback, on a SQLite file and, with
// OKNO_TEST_POSTGRES, a PostgreSQL database; both binaries built from this
// tree. The clock runs from the start of the sync process to its exit
// (push, the feed's pull, the process's start and end). The baseline does
// the same durable work minus okno: the same events' rows inserted into
// the same database, in batches of the sync's size (DefaultBatch), one
// transaction of one multi-row INSERT per batch, by one writer, into a
// table shaped like the central's events (same columns, same unique
// indexes). It reports events/s of both and the ratio (×baseline; make
// bench prints it). Goals: ≥ 8,000 events/s into SQLite, ≥ 5,000 into
// PostgreSQL.
func BenchmarkSyncOnce(b *testing.B) {
	bin := buildOkno(b)
	for _, kind := range centraltest.Kinds() {
		b.Run(kind, func(b *testing.B) {
			var okno, raw time.Duration
			var oknoN, rawN int
			for b.Loop() {
				b.StopTimer()
				dir := backlogFixture(b)
				evs := backlogOf(b, dir)
				dsn := centraltest.EmptyDB(b, kind)
				srv := startServe(b, bin, dsn, dir)
				b.StartTimer()
				start := time.Now()
				out, err := exec.Command(bin, "sync", "--once", "--data", dir).CombinedOutput()
				took := time.Since(start)
				b.StopTimer()
				srv.stop()
				m := regexp.MustCompile(`sent (\d+), duplicate (\d+), rejected (\d+)`).FindSubmatch(out)
				if err != nil || m == nil {
					b.Fatalf("okno sync --once: %v\n%s", err, out)
				}
				sent, _ := strconv.Atoi(string(m[1]))
				if dup, rej := string(m[2]), string(m[3]); sent != len(evs) || dup != "0" || rej != "0" {
					b.Fatalf("okno sync --once sent %d of %d events (duplicate %s, rejected %s):\n%s", sent, len(evs), dup, rej, out)
				}
				okno += took
				oknoN += sent

				db := plainSyncDB(b, kind, dsn)
				plainSyncTable(b, db, kind)
				b.StartTimer()
				start = time.Now()
				plainSyncInsert(b, db, kind, evs, DefaultBatch)
				raw += time.Since(start)
				b.StopTimer()
				db.Close()
				rawN += len(evs)
				b.StartTimer() // b.Loop wants it running
			}
			o, r := float64(oknoN)/okno.Seconds(), float64(rawN)/raw.Seconds()
			b.ReportMetric(o, "events/s")
			b.ReportMetric(r, "baseline-events/s")
			b.ReportMetric(o/r, "×baseline")
		})
	}
}

// buildOkno builds cmd/okno into the benchmark's temp folder.
func buildOkno(b *testing.B) string {
	b.Helper()
	bin := filepath.Join(b.TempDir(), "okno")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/okno").CombinedOutput(); err != nil {
		b.Fatalf("build okno: %v\n%s", err, out)
	}
	return bin
}

// backlogOf reads the fixture's unsent events (the baseline's rows).
func backlogOf(b *testing.B, dir string) []domain.Event {
	b.Helper()
	ctx := context.Background()
	st, err := localdb.Open(ctx, filepath.Join(dir, "okno.db"), localdb.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	evs, err := st.Pending(ctx, 2*backlogEvents)
	if err != nil || len(evs) < backlogEvents {
		b.Fatalf("the backlog: %d events, %v", len(evs), err)
	}
	return evs
}

type serveProcess struct {
	cmd  *exec.Cmd
	done chan struct{}
}

func (s *serveProcess) stop() {
	s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.done:
	case <-time.After(30 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
}

// startServe enrols the fixture's window (IRK/9) in a fresh central
// database, starts `okno serve` over it on a free loopback port, and
// writes the workstation's credential for it into dir.
func startServe(b *testing.B, bin, dsn, dir string) *serveProcess {
	b.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dsn, store.Options{Argon2: centraltest.TestArgon2})
	if err != nil {
		b.Fatal(err)
	}
	key, err := LoadOrCreateKey(dir)
	if err != nil {
		b.Fatal(err)
	}
	ws, err := st.Enrol(ctx, api.EnrolRequest{Office: "IRK", Window: 9, PublicKey: PublicKey(key)})
	st.Close()
	if err != nil {
		b.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	var logs bytes.Buffer
	cmd := exec.Command(bin, "serve", "--db", dsn, "--addr", addr, "--signing-key", filepath.Join(b.TempDir(), "central.key"))
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	s := &serveProcess{cmd: cmd, done: make(chan struct{})}
	go func() { cmd.Wait(); close(s.done) }()
	url := "http://" + addr
	for deadline := time.Now().Add(60 * time.Second); ; {
		resp, err := http.Get(url + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case <-s.done:
			b.Fatalf("okno serve ended: %s", logs.String())
		default:
		}
		if time.Now().After(deadline) {
			s.stop()
			b.Fatalf("okno serve does not answer /healthz: %v\n%s", err, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := SaveCredential(dir, Credential{Central: url, Office: "IRK", Window: 9, Login: ws.Login, Secret: ws.Token}); err != nil {
		s.stop()
		b.Fatal(err)
	}
	return s
}

// plainSyncDB opens the baseline's connection the way the central's store
// opens its writer: SQLite one connection (WAL, synchronous=FULL), or one
// PostgreSQL connection (one writer, as the sync is one window).
func plainSyncDB(b *testing.B, kind, dsn string) *sql.DB {
	b.Helper()
	var db *sql.DB
	var err error
	if kind == "postgres" {
		db, err = sql.Open("pgx", dsn)
	} else {
		db, err = sql.Open("sqlite", "file:"+dsn+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_txlock=immediate")
	}
	if err != nil {
		b.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	return db
}

// plainSyncTable makes the baseline's table: the central's events'
// columns and unique indexes, nothing of okno's logic.
func plainSyncTable(b *testing.B, db *sql.DB, kind string) {
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

// plainSyncInsert is the baseline: the events in batches of batch, one
// transaction of one multi-row INSERT each, one after another.
func plainSyncInsert(b *testing.B, db *sql.DB, kind string, evs []domain.Event, batch int) {
	b.Helper()
	const cols = 16
	query := func(rows int) string {
		var q strings.Builder
		q.WriteString(`INSERT INTO plain_events (id, office, win, seq, at, kind, actor, case_id, ticket_id, visitor_id, payload, prev_hash, hash, sig, status, received_at) VALUES `)
		for r := range rows {
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
		return q.String()
	}
	full := query(batch)
	for i := 0; i < len(evs); i += batch {
		part := evs[i:min(i+batch, len(evs))]
		q := full
		if len(part) < batch {
			q = query(len(part))
		}
		args := make([]any, 0, len(part)*cols)
		for _, e := range part {
			args = append(args, e.ID, e.Office, e.Window, e.Seq, e.At.UnixNano(), string(e.Kind), e.Actor, e.CaseID, e.TicketID,
				e.VisitorID, string(e.Payload), e.PrevHash, e.Hash, e.Sig, "accepted", time.Now().UnixNano())
		}
		tx, err := db.BeginTx(context.Background(), nil)
		if err == nil {
			if _, err = tx.Exec(q, args...); err == nil {
				err = tx.Commit()
			} else {
				tx.Rollback()
			}
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}
