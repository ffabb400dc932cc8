package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/internal/passwd"
	"github.com/okno-mfc/okno/link"
	"github.com/okno-mfc/okno/localdb"
)

// auditedOffice makes window 3 of IRK after a day's work beside window 4:
// its own nine ticket moves and a case, synced (the central's receipt of
// head 11 kept); window 4's intake and a department's status change
// pulled from the feed; and an unsynced tail: a second case (number 2 of
// the day) and a ticket. It returns the folder, the visitor and case of
// window 3 and the case of window 4.
func auditedOffice(t *testing.T, srv *centraltest.Server) (dir string, v domain.Visitor, own, other *domain.CaseView) {
	t.Helper()
	ctx := context.Background()
	dir4 := workstation(t, srv, 4)
	withStation(t, srv, dir4, func(st *localdb.Store, l *link.Link) {
		var err error
		v4, err := st.RegisterVisitor(ctx, "boris", domain.Visitor{FullName: "Іваненко Марʼяна", DocType: domain.DocPassportRU, DocNumber: "4510 999999"})
		if err != nil {
			t.Fatal(err)
		}
		if other, err = st.OpenCase(ctx, "boris", v4.ID, "kindergarten_queue", ""); err != nil {
			t.Fatal(err)
		}
		syncOK(t, l)
	})
	dept := srv.Client(t, srv.Session(t, "dept", domain.RoleDepartment, "IRK", 0))
	if _, err := dept.SetStatus(ctx, other.ID, api.StatusRequest{Status: domain.CaseWithdrawn}); err != nil {
		t.Fatal(err)
	}
	dir = workstation(t, srv, 3)
	withStation(t, srv, dir, func(st *localdb.Store, l *link.Link) {
		var err error
		if v, err = st.RegisterVisitor(ctx, "anna", domain.Visitor{FullName: "Фёдоров Пётр", DocType: domain.DocPassportRU, DocNumber: "2504 123456"}); err != nil {
			t.Fatal(err)
		}
		if own, err = st.OpenCase(ctx, "anna", v.ID, "kindergarten_queue", ""); err != nil {
			t.Fatal(err)
		}
		syncOK(t, l)
		if _, err := st.OpenCase(ctx, "anna", v.ID, "foreign_passport", ""); err != nil {
			t.Fatal(err)
		}
		if _, err := st.IssueTicket(ctx, "anna", "kindergarten_queue", "", ""); err != nil {
			t.Fatal(err)
		}
	})
	return dir, v, own, other
}

// withStation opens an enrolled workstation's store and link.
func withStation(t *testing.T, srv *centraltest.Server, dir string, fn func(*localdb.Store, *link.Link)) {
	t.Helper()
	st, err := localdb.Open(context.Background(), filepath.Join(dir, "okno.db"), localdb.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := useKey(st, dir); err != nil {
		t.Fatal(err)
	}
	cred, _ := link.LoadCredential(dir)
	fn(st, link.New(link.Config{Store: st, Client: srv.Client(t, ""), Cred: cred, Hash: passwd.Fast}))
}

func syncOK(t *testing.T, l *link.Link) {
	t.Helper()
	if sum, err := l.SyncOnce(context.Background()); err != nil || sum.Left != 0 || sum.Rejected != 0 {
		t.Fatalf("sync: %+v %v", sum, err)
	}
}

// TestAuditFindsEveryTamper tampers with window 3's file in each way issue
// 11 names and runs okno audit verify: each is found, named exactly, exit
// 1; the intact file passes every check. On both stores of the central.
func TestAuditFindsEveryTamper(t *testing.T) {
	t.Parallel()
	for _, kind := range centraltest.Kinds() {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			today := time.Now().Format("060102")
			cases := []struct {
				name   string
				tamper func(db *sql.DB, v domain.Visitor, own, other *domain.CaseView)
				args   []string // beyond --data
				want   []string // on stderr; none: a pass
			}{
				{"intact", nil, []string{"--projections"}, nil},
				{"a visitor's name edited", func(db *sql.DB, v domain.Visitor, _, _ *domain.CaseView) {
					mustExec(t, db, `UPDATE visitors SET full_name = 'Подставной' WHERE id = ?`, v.ID)
				}, []string{"--projections"}, []string{"BROKEN: the projections: visitors " + "%v" + ": full_name differs from what the events make (edited)"}},
				{"a case forced to issued", func(db *sql.DB, _ domain.Visitor, _, other *domain.CaseView) {
					mustExec(t, db, `UPDATE cases SET state = 'issued', view = CAST(json_set(view, '$.state', 'issued') AS BLOB) WHERE id = ?`, other.ID)
				}, []string{"--projections"}, []string{"BROKEN: the projections: cases " + "%o" + ": state differs", "BROKEN: the projections: cases " + "%o" + ": view.state differs"}},
				{"a feed event edited", func(db *sql.DB, _ domain.Visitor, _, _ *domain.CaseView) {
					mustExec(t, db, `UPDATE events SET actor = 'someone' WHERE local = 0 AND window = 4 AND seq = 10`)
				}, nil, []string{"BROKEN: the feed's events: IRK window 4 seq 10 (id ", "): hash: the hash does not match the event's content"}},
				{"a feed event deleted", func(db *sql.DB, _ domain.Visitor, _, _ *domain.CaseView) {
					mustExec(t, db, `DELETE FROM events WHERE local = 0 AND window = 4 AND seq = 10`)
				}, nil, []string{"BROKEN: the feed's events: IRK window 4 seq 10: missing: event 10 is not here, and the feed did not lack them"}},
				{"the synced tail deleted", func(db *sql.DB, _ domain.Visitor, _, _ *domain.CaseView) {
					mustExec(t, db, `DELETE FROM events WHERE local = 1 AND seq > 9`)
					mustExec(t, db, `DELETE FROM outbox WHERE seq > 9`)
					mustExec(t, db, `UPDATE meta SET value = '9' WHERE key = 'outbox_low'`)
				}, nil, []string{"BROKEN: the chain's end: IRK window 3 seq 10: receipt: head 11 was countersigned by the central at ", "events 10–11 are missing (deleted after they were synced)"}},
				{"the unsynced tail deleted", func(db *sql.DB, _ domain.Visitor, _, _ *domain.CaseView) {
					mustExec(t, db, `DELETE FROM events WHERE local = 1 AND seq > 11`)
					mustExec(t, db, `DELETE FROM outbox WHERE seq > 11`)
				}, nil, []string{"BROKEN: the chain's end: IRK window 3: counter: the case counter of day " + today + " is at 2, but the chain's last case of that day is number 1: case 2 was registered and its event is gone"}},
			}
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					t.Parallel()
					srv := centraltest.Start(t, centraltest.Kind(t, kind), manySignIns)
					dir, v, own, other := auditedOffice(t, srv)
					if c.tamper != nil {
						tamper(t, dir, func(db *sql.DB) { c.tamper(db, v, own, other) })
					}
					var errOut bytes.Buffer
					out, code := runWith(t, nil, &errOut, append([]string{"audit", "verify", "--data", dir}, c.args...)...)
					if len(c.want) == 0 {
						for _, w := range []string{"local chain of IRK window 3: 13 events", "head 11 was countersigned by the central at",
							"the feed's events: 12 of 2 streams (IRK/0, IRK/4): every hash and link holds, 12 signatures verify",
							"the projections: 25 events folded again (0 feed events do not fold here, as when they came), 12 rows compared: all as the events make them"} {
							if !strings.Contains(out, w) {
								t.Errorf("no %q in:\n%s", w, out)
							}
						}
						if code != 0 {
							t.Fatalf("exit %d\n%s%s", code, out, errOut.String())
						}
						return
					}
					if code != 1 {
						t.Errorf("exit %d, want 1\n%s%s", code, out, errOut.String())
					}
					for _, w := range c.want {
						w = strings.ReplaceAll(strings.ReplaceAll(w, "%v", v.ID), "%o", other.ID)
						if !strings.Contains(errOut.String(), w) {
							t.Errorf("no %q in:\n%s", w, errOut.String())
						}
					}
					t.Logf("%s", errOut.String())
					if strings.Contains(errOut.String(), "Подставной") || strings.Contains(errOut.String(), "Фёдоров") {
						t.Errorf("personal data in the findings:\n%s", errOut.String())
					}
				})
			}
		})
	}
}

func mustExec(t *testing.T, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// An insider who adds a key of their own to the kept keys and re-signs an
// edited feed event with it passes the offline check (the keys are as
// trustworthy as the file); --central takes the keys from the central and
// finds both.
func TestAuditCentralKeysCatchReplacedKeys(t *testing.T) {
	t.Parallel()
	srv := centraltest.Start(t, manySignIns)
	dir, _, _, _ := auditedOffice(t, srv)
	mine := centraltest.KeyFor("INSIDER", 1)
	tamper(t, dir, func(db *sql.DB) {
		var e domain.Event
		var at, kind string
		var payload []byte
		err := db.QueryRow(`SELECT id, office, window, seq, at, kind, actor, case_id, ticket_id, visitor_id, payload, prev_hash FROM events WHERE local = 0 AND window = 4 AND seq = 10`).
			Scan(&e.ID, &e.Office, &e.Window, &e.Seq, &at, &kind, &e.Actor, &e.CaseID, &e.TicketID, &e.VisitorID, &payload, &e.PrevHash)
		if err != nil {
			t.Fatal(err)
		}
		e.Kind, e.Payload = domain.EventKind(kind), payload
		e.At, _ = time.Parse(time.RFC3339Nano, at)
		e.Actor = "someone else"
		e.Seal(e.PrevHash)
		domain.SignEvent(&e, mine)
		mustExec(t, db, `UPDATE events SET actor = ?, hash = ?, sig = ? WHERE id = ?`, e.Actor, e.Hash, e.Sig, e.ID)
		// A key of its own added to the kept ones, and the stream re-linked
		// and re-signed from the edited event on.
		mustExec(t, db, `INSERT INTO office_keys (office, window, public_key, fetched_at) VALUES ('IRK', 4, ?, '')`, domain.EncodePublicKey(mine.Public().(ed25519.PublicKey)))
		rows, err := db.Query(`SELECT id, office, window, seq, at, kind, actor, case_id, ticket_id, visitor_id, payload FROM events WHERE local = 0 AND window = 4 AND seq > 10 ORDER BY seq`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var later []domain.Event
		for rows.Next() {
			var n domain.Event
			rows.Scan(&n.ID, &n.Office, &n.Window, &n.Seq, &at, &kind, &n.Actor, &n.CaseID, &n.TicketID, &n.VisitorID, &payload)
			n.Kind, n.Payload = domain.EventKind(kind), append([]byte(nil), payload...)
			n.At, _ = time.Parse(time.RFC3339Nano, at)
			later = append(later, n)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		prev := e.Hash
		for _, n := range later {
			n.Seal(prev)
			domain.SignEvent(&n, mine)
			prev = n.Hash
			mustExec(t, db, `UPDATE events SET prev_hash = ?, hash = ?, sig = ? WHERE id = ?`, n.PrevHash, n.Hash, n.Sig, n.ID)
		}
	})
	var errOut bytes.Buffer
	// Offline, a rewrite signed with a key of its own, added to the kept
	// keys, passes: the limit docs/operations.md names.
	if out, code := runWith(t, nil, &errOut, "audit", "verify", "--data", dir); code != 0 {
		t.Fatalf("offline: exit %d\n%s%s", code, out, errOut.String())
	}
	errOut.Reset()
	out, code := runWith(t, nil, &errOut, "audit", "verify", "--data", dir, "--central", srv.URL)
	for _, w := range []string{
		"BROKEN: the keys kept here: a key kept for window 4 is not one the central names",
		"BROKEN: the feed's events: IRK window 4 seq 10 (id ",
		"signature: no key the central named for this window verifies the signature",
	} {
		if !strings.Contains(errOut.String(), w) {
			t.Errorf("no %q in:\n%s", w, errOut.String())
		}
	}
	if code != 1 {
		t.Errorf("exit %d\n%s", code, out)
	}
}
