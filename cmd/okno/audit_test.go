package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/central/httpapi"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/internal/passwd"
	"github.com/okno-mfc/okno/link"
	"github.com/okno-mfc/okno/localdb"
)

// workstation makes an enrolled workstation's data folder for a window of
// IRK with a few clerk actions recorded and synced, and returns the folder.
func workstation(t *testing.T, srv *centraltest.Server, window int) string {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := localdb.Open(ctx, filepath.Join(dir, "okno.db"), localdb.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Init(ctx, "IRK", window); err != nil {
		t.Fatal(err)
	}
	if err := useKey(st, dir); err != nil {
		t.Fatal(err)
	}
	key, _ := link.LoadKey(dir)
	resp, err := srv.Store.Enrol(ctx, api.EnrolRequest{Office: "IRK", Window: window, PublicKey: link.PublicKey(key)})
	if err != nil {
		t.Fatal(err)
	}
	cred := link.Credential{Central: srv.URL, CAFile: srv.CAFile, Office: "IRK", Window: window, Login: resp.Login, Secret: resp.Token}
	if err := link.SaveCredential(dir, cred); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if _, err := st.IssueTicket(ctx, "anna", "kindergarten_queue", "", ""); err != nil {
			t.Fatal(err)
		}
		tk, err := st.CallNext(ctx, "anna", nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Move(ctx, "anna", tk.ID, domain.EvTicketServed); err != nil {
			t.Fatal(err)
		}
	}
	l := link.New(link.Config{Store: st, Client: srv.Client(t, ""), Cred: cred, Hash: passwd.Fast})
	if sum, err := l.SyncOnce(ctx); err != nil || sum.Left != 0 || sum.Rejected != 0 {
		t.Fatalf("sync: %+v %v", sum, err)
	}
	return dir
}

// manySignIns lifts the sign-in rate limit: every workstation and every
// audit here signs in from 127.0.0.1.
var manySignIns = centraltest.Config(func(c *httpapi.Config) { c.SignInPerMinute = 10000 })

// tamper runs SQL on a workstation's file behind the store's back.
func tamper(t *testing.T, dir string, fn func(db *sql.DB)) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "okno.db")+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fn(db)
}

func exec(t *testing.T, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// TestAuditVerify tampers with a synced workstation's file in each way the
// audit must catch, and runs okno audit verify on it.
func TestAuditVerify(t *testing.T) {
	t.Parallel()
	srv := centraltest.Start(t, manySignIns)
	other := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32))
	cases := []struct {
		name    string
		tamper  func(t *testing.T, db *sql.DB, dir string)
		central bool   // compare with the central too
		want    string // in the error; "" for a pass
	}{
		{"intact", nil, false, ""},
		{"intact, with the central", nil, true, ""},
		{"payload edited", func(t *testing.T, db *sql.DB, _ string) {
			exec(t, db, `UPDATE events SET payload = ? WHERE local = 1 AND seq = 2`, []byte(`{"window":9}`))
		}, false, "event seq 2 (id "},
		{"event deleted", func(t *testing.T, db *sql.DB, _ string) {
			exec(t, db, `DELETE FROM outbox WHERE seq = 3`)
			exec(t, db, `DELETE FROM events WHERE local = 1 AND seq = 3`)
		}, false, "event seq 4 (id "},
		{"two events swapped", func(t *testing.T, db *sql.DB, _ string) {
			// Each takes the other's place in the chain (its row key n) and
			// number.
			exec(t, db, `UPDATE events SET n = -1000000, seq = -1 WHERE local = 1 AND seq = 3`)
			exec(t, db, `UPDATE events SET n = 3, seq = 3 WHERE local = 1 AND seq = 4`)
			exec(t, db, `UPDATE events SET n = 4, seq = 4 WHERE local = 1 AND seq = -1`)
		}, false, "event seq 3 (id "},
		{"chain truncated", func(t *testing.T, db *sql.DB, _ string) {
			exec(t, db, `DELETE FROM outbox WHERE seq > 4`)
			exec(t, db, `DELETE FROM events WHERE local = 1 AND seq > 4`)
		}, true, "the central's copy: event seq 5 (id "},
		{"signature from another workstation", func(t *testing.T, db *sql.DB, _ string) {
			var hash string
			db.QueryRow(`SELECT hash FROM events WHERE local = 1 AND seq = 5`).Scan(&hash)
			e := domain.Event{Hash: hash}
			domain.SignEvent(&e, other)
			exec(t, db, `UPDATE events SET sig = ? WHERE local = 1 AND seq = 5`, e.Sig)
		}, false, "event seq 5 (id "},
		{"replayed event from another window", func(t *testing.T, db *sql.DB, _ string) {
			ch := centraltest.NewChain("IRK", 999)
			ch.Seq, ch.Prev = 1, "x"
			e, _ := ch.Issue("kindergarten_queue", "")
			payload, _ := json.Marshal(e.Payload)
			exec(t, db, `DELETE FROM outbox WHERE seq = 2`)
			exec(t, db, `DELETE FROM events WHERE local = 1 AND seq = 2`)
			exec(t, db, `INSERT INTO events (n, id, office, window, seq, at, kind, actor, ticket_id, payload, prev_hash, hash, sig, local)
				VALUES (2, ?, 'IRK', 999, 2, ?, ?, ?, ?, ?, ?, ?, ?, 1)`, e.ID, e.At.Format(time.RFC3339Nano), string(e.Kind), e.Actor, e.TicketID, payload, e.PrevHash, e.Hash, e.Sig)
		}, false, "event seq 2 (id "},
		{"rewritten with the workstation's own key", func(t *testing.T, db *sql.DB, dir string) {
			key, _ := link.LoadKey(dir)
			// Re-seal the whole chain with seq 6 edited, re-signed with the
			// workstation's own key: only the central's copy can tell.
			rows, err := db.Query(`SELECT id, seq, at, kind, actor, ticket_id, payload FROM events WHERE local = 1 ORDER BY seq`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var evs []domain.Event
			for rows.Next() {
				var e domain.Event
				var at, kind string
				var payload []byte
				if err := rows.Scan(&e.ID, &e.Seq, &at, &kind, &e.Actor, &e.TicketID, &payload); err != nil {
					t.Fatal(err)
				}
				e.Office, e.Window, e.Kind, e.Payload = "IRK", 3+8, domain.EventKind(kind), payload
				e.At, _ = time.Parse(time.RFC3339Nano, at)
				evs = append(evs, e)
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			prev := ""
			for i := range evs {
				if evs[i].Seq == 6 {
					evs[i].Actor = "someone else"
				}
				evs[i].Seal(prev)
				domain.SignEvent(&evs[i], key)
				prev = evs[i].Hash
				exec(t, db, `UPDATE events SET actor = ?, prev_hash = ?, hash = ?, sig = ? WHERE id = ?`, evs[i].Actor, evs[i].PrevHash, evs[i].Hash, evs[i].Sig, evs[i].ID)
			}
		}, true, "the central's copy: event seq 6 (id "},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := workstation(t, srv, 3+i)
			if c.tamper != nil {
				tamper(t, dir, func(db *sql.DB) { c.tamper(t, db, dir) })
			}
			args := []string{"audit", "verify", "--data", dir}
			if c.central {
				args = append(args, "--central", srv.URL)
			}
			var errOut bytes.Buffer
			out, code := runWith(t, nil, &errOut, args...)
			if c.want == "" {
				if code != 0 || !strings.Contains(out, "every hash, link and signature holds") {
					t.Fatalf("exit %d\n%s%s", code, out, errOut.String())
				}
				if c.central && !strings.Contains(out, "holds exactly these 9 events") {
					t.Fatalf("no word of the central:\n%s", out)
				}
				return
			}
			if code != 1 || !strings.Contains(errOut.String(), "BROKEN") || !strings.Contains(errOut.String(), c.want) {
				t.Fatalf("exit %d, want 1 naming %q\n%s%s", code, c.want, out, errOut.String())
			}
			t.Logf("%s", strings.TrimSpace(errOut.String()))
		})
	}
}

// With --login, a supervisor's password on stdin; the central's copy with
// an event the workstation lacks (as if deleted after the sync), over TLS.
func TestAuditVerifyAsSupervisorOverTLS(t *testing.T) {
	t.Parallel()
	srv := centraltest.Start(t, centraltest.TLS())
	srv.AddUser(t, "sveta", domain.RoleSupervisor, "IRK")
	dir := workstation(t, srv, 3)
	args := []string{"audit", "verify", "--data", dir, "--central", srv.URL, "--login", "sveta", "--ca", srv.CAFile}
	var errOut bytes.Buffer
	if out, code := runWith(t, strings.NewReader(centraltest.Password("sveta")+"\n"), &errOut, args...); code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut.String())
	}
	errOut.Reset()
	if _, code := runWith(t, strings.NewReader("wrong password\n"), &errOut, args...); code != 1 || !strings.Contains(errOut.String(), "refused") {
		t.Fatalf("wrong password: exit %d %s", code, errOut.String())
	}
	// Without --ca the central's certificate is not trusted.
	errOut.Reset()
	if _, code := runWith(t, strings.NewReader(centraltest.Password("sveta")+"\n"), &errOut, args[:len(args)-2]...); code != 1 || !strings.Contains(errOut.String(), "TLS") {
		t.Fatalf("no CA: exit %d %s", code, errOut.String())
	}
}

// A window works before it is enrolled: what it records then is signed
// all the same (the TUI's offline link sets the key), goes out with the
// first sync after okno enrol, and the audit finds the central's copy equal.
func TestRecordOfflineThenEnrol(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := centraltest.Start(t, manySignIns)
	dir := t.TempDir()
	st, err := localdb.Open(ctx, filepath.Join(dir, "okno.db"), localdb.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Init(ctx, "IRK", 5); err != nil {
		t.Fatal(err)
	}
	l, err := openLink(st, dir, false) // not enrolled: the link with no central
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := st.IssueTicket(ctx, "anna", "kindergarten_queue", "", ""); err != nil {
			t.Fatal(err)
		}
	}
	l.Close()
	st.Close()

	var errOut bytes.Buffer
	out, code := runWith(t, strings.NewReader(centraltest.Password("admin")+"\n"), &errOut,
		"enrol", "--data", dir, "--central", srv.URL, "--office", "IRK", "--window", "5", "--login", "admin")
	if code != 0 || !strings.Contains(out, "3 events recorded offline") {
		t.Fatalf("enrol: exit %d\n%s%s", code, out, errOut.String())
	}
	if out, code = runWith(t, nil, &errOut, "sync", "--once", "--data", dir); code != 0 || !strings.Contains(out, "sent 3, duplicate 0, rejected 0") {
		t.Fatalf("sync: exit %d\n%s%s", code, out, errOut.String())
	}
	if out, code = runWith(t, nil, &errOut, "audit", "verify", "--data", dir, "--central", srv.URL); code != 0 {
		t.Fatalf("audit: exit %d\n%s%s", code, out, errOut.String())
	}
}
