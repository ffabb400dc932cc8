package store_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/okno-mfc/okno/api"
	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/central/store"
	"github.com/okno-mfc/okno/domain"
	"github.com/okno-mfc/okno/internal/migrate"
)

// The upgrade from every released schema: a database written by an okno
// at schema k (the first k migrations, recorded in the old bookkeeping),
// holding the rows today's okno writes as far as that schema has room for
// them, opens under today's okno with every row intact, at the newest
// schema, and goes on working.

// source is a central at the newest schema holding a bit of everything:
// two enrolled windows' chains (tickets called and served, a visitor, a
// case handed off and moved by its department, a rejected event, a
// quarantined one), an attachment, an idempotent answer, sessions.
type source struct {
	srv  *centraltest.Server
	next domain.Event // window 3's next event, to push after the upgrade
	ws3  string       // the case handed off at window 3
}

func newSource(t *testing.T, kind string) *source {
	t.Helper()
	ctx := context.Background()
	srv := centraltest.Start(t, centraltest.Kind(t, kind))
	src := &source{srv: srv}
	ws3, ws4 := srv.Enrol(t, "IRK", 3, "biometric"), srv.Enrol(t, "IRK", 4)
	c3, c4 := centraltest.NewChain("IRK", 3), centraltest.NewChain("IRK", 4)
	iss, tid := c3.Issue("advertising_permit", "")
	reg, vid := c3.Register()
	open, cid := c3.Open(vid, "advertising_permit")
	evs := []domain.Event{iss, c3.Move(domain.EvTicketCalled, tid), reg, open,
		c3.Next(domain.EvDocumentChecked, domain.DocumentPayload{Doc: "application", Presented: true, Form: domain.FormOriginal, Count: 1}, centraltest.CaseOf(cid)),
		c3.HandOff(cid), c3.Move(domain.EvTicketServed, tid)}
	bad := c3.Next(domain.EvCaseOpened, domain.CaseOpenedPayload{Number: "nonsense", Service: "advertising_permit"}, centraltest.CaseOf(centraltest.NewID()))
	evs = append(evs, bad)
	if res := push(t, srv, ws3.Token, evs...); res[len(res)-1].Status != api.IngestRejected {
		t.Fatalf("the bad event was %+v", res[len(res)-1])
	}
	src.ws3, src.next = cid, c3.Next(domain.EvWindowBreak, nil)
	iss4, _ := c4.Issue("foreign_passport", "")
	forged := iss4
	forged.Sig = strings.Repeat("A", len(forged.Sig)) // kept apart, in the quarantine
	push(t, srv, ws4.Token, forged)
	push(t, srv, ws4.Token, iss4)
	dept := srv.Client(t, srv.Session(t, "dept", domain.RoleDepartment, store.AllOffices, 0)) // its POSTs carry an Idempotency-Key
	if _, err := dept.SetStatus(ctx, cid, api.StatusRequest{Status: domain.CaseAccepted, Note: "принято"}); err != nil {
		t.Fatal(err)
	}
	scan := []byte("a scan")
	sum := sha256.Sum256(scan)
	if _, err := srv.Client(t, ws3.Token).PutBlob(ctx, hex.EncodeToString(sum[:]), scan); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]int{"quarantine": 1, "idempotency": 1, "blobs": 1, "events WHERE status = 'rejected'": 1} {
		if n := srv.Count(t, "SELECT COUNT(*) FROM "+q); n != want {
			t.Fatalf("the source has %d rows in %s, want %d", n, q, want)
		}
	}
	return src
}

func TestUpgradeFromEveryRelease(t *testing.T) {
	ms := store.Migrations(t)
	for _, kind := range centraltest.Kinds() {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			src := newSource(t, kind)
			for k := 1; k <= len(ms); k++ {
				t.Run(ms[k-1].Name, func(t *testing.T) { upgradeFrom(t, src, kind, k) })
			}
		})
	}
}

func upgradeFrom(t *testing.T, src *source, kind string, k int) {
	ctx := context.Background()
	dsn := centraltest.EmptyDB(t, kind)
	store.BuildLegacy(t, dsn, k)
	db, q := store.RawDB(t, dsn)
	tables := copyRows(t, src.srv, db, q)
	before := snapshot(t, db, tables)

	st, err := store.Open(ctx, dsn, store.Options{Argon2: centraltest.TestArgon2})
	if err != nil {
		t.Fatalf("open schema %d under today's okno: %v", k, err)
	}
	st.Close()
	after := snapshot(t, db, tables)
	for table, rows := range before {
		if !slices.Equal(rows, after[table]) {
			t.Errorf("%s changed in the upgrade:\nbefore %q\nafter  %q", table, rows, after[table])
		}
	}
	srv := centraltest.Start(t, centraltest.At(dsn))
	ms := store.Migrations(t)
	if n := srv.Count(t, "SELECT COUNT(*) FROM "+migrate.Table); n != len(ms) {
		t.Errorf("%d versions recorded, want %d", n, len(ms))
	}
	for _, m := range ms {
		var sum string
		if err := db.QueryRow(q(`SELECT checksum FROM `+migrate.Table+` WHERE version = ?`), m.Version).Scan(&sum); err != nil || sum != m.Checksum {
			t.Errorf("version %d recorded with %q %v", m.Version, sum, err)
		}
	}
	if n := srv.Count(t, "SELECT COUNT(*) FROM "+listTables(kind)+" AND "+tableName(kind)+" = 'schema_migrations'"); n != 0 {
		t.Error("the old bookkeeping table is still there")
	}
	if n := srv.Count(t, "SELECT COUNT(*) FROM workstation_keys WHERE office = 'IRK' AND win IN (3, 4)"); n != 2 {
		t.Errorf("%d window keys after the upgrade, want 2", n)
	}

	// It goes on working: window 3's chain goes on, the case and the feed
	// are what they were.
	ws := srv.Enrol(t, "IRK", 3, "biometric")
	if res := push(t, srv, ws.Token, src.next); res[0].Status != api.IngestAccepted {
		t.Errorf("window 3's next event after the upgrade: %+v", res[0])
	}
	admin := srv.Client(t, srv.AdminToken)
	was, err := src.srv.Client(t, src.srv.AdminToken).Case(ctx, src.ws3)
	if err != nil {
		t.Fatal(err)
	}
	is, err := admin.Case(ctx, src.ws3)
	if err != nil || is.Case.State != domain.CaseAccepted || len(is.History) != len(was.History) {
		t.Errorf("the case after the upgrade: %+v %v", is.Case, err)
	}
}

// listTables is a query listing the tables of the database, for a WHERE
// on tableName to follow.
func listTables(kind string) string {
	if kind == "postgres" {
		return "information_schema.tables WHERE table_schema = current_schema()"
	}
	return "sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
}

func tableName(kind string) string {
	if kind == "postgres" {
		return "table_name"
	}
	return "name"
}

// columns lists a table's columns.
func columns(t *testing.T, db *sql.DB, q func(string) string, table string) []string {
	t.Helper()
	query := `SELECT name FROM pragma_table_info(?) ORDER BY cid`
	if q("?") != "?" {
		query = `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position`
	}
	return strs(t, db, q(query), table)
}

func strs(t *testing.T, db *sql.DB, query string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// autoKeys are the auto-incremented keys: the old database makes its own.
var autoKeys = map[string]string{"events": "pos", "quarantine": "n", "catalogs": "n"}

// copyRows copies into db (an old schema) every row of the source's
// tables that db has, in the columns db has, in the order of their
// auto-incremented keys; it returns each table's copied columns.
func copyRows(t *testing.T, src *centraltest.Server, db *sql.DB, q func(string) string) map[string][]string {
	t.Helper()
	kind := "sqlite"
	if q("?") != "?" {
		kind = "postgres"
	}
	from, fq := store.RawDB(t, src.DSN)
	out := map[string][]string{}
	for _, table := range strs(t, db, "SELECT "+tableName(kind)+" FROM "+listTables(kind)) {
		if table == "schema_migrations" {
			continue
		}
		have := columns(t, from, fq, table)
		var cols []string
		for _, c := range columns(t, db, q, table) {
			if c != autoKeys[table] && slices.Contains(have, c) {
				cols = append(cols, c)
			}
		}
		order := "1"
		if k := autoKeys[table]; k != "" {
			order = k
		}
		rows, err := from.Query(`SELECT ` + strings.Join(cols, ", ") + ` FROM ` + table + ` ORDER BY ` + order)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close() // for a t.Fatal; closed below for the next table
		insert := q(`INSERT INTO ` + table + ` (` + strings.Join(cols, ", ") + `) VALUES (?` + strings.Repeat(", ?", len(cols)-1) + `)`)
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec(insert, vals...); err != nil {
				t.Fatalf("copy a row of %s: %v", table, err)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		out[table] = cols
	}
	return out
}

// snapshot reads every row of the tables, in the given columns, as text.
func snapshot(t *testing.T, db *sql.DB, tables map[string][]string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for table, cols := range tables {
		if len(cols) == 0 {
			continue
		}
		if auto := autoKeys[table]; auto != "" {
			cols = append([]string{auto}, cols...)
		}
		rows, err := db.Query(`SELECT ` + strings.Join(cols, ", ") + ` FROM ` + table)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close() // for a t.Fatal; closed below for the next table
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for i, v := range vals {
				if bs, ok := v.([]byte); ok {
					v = string(bs)
				}
				fmt.Fprintf(&b, "%s=%v;", cols[i], v)
			}
			out[table] = append(out[table], b.String())
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		slices.Sort(out[table])
	}
	return out
}

func TestNewerSchemaRefused(t *testing.T) {
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		srv := centraltest.Start(t, opt)
		db, q := store.RawDB(t, srv.DSN)
		ms := store.Migrations(t)
		next := ms[len(ms)-1].Version + 1
		if _, err := db.Exec(q(`INSERT INTO `+migrate.Table+` (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)`),
			next, fmt.Sprintf("%03d_future.sql", next), strings.Repeat("0", 64), 1); err != nil {
			t.Fatal(err)
		}
		users := srv.Count(t, "SELECT COUNT(*) FROM users")
		_, err := store.Open(context.Background(), srv.DSN, store.Options{Argon2: centraltest.TestArgon2})
		var ne *migrate.NewerError
		want := fmt.Sprintf("this database was written by a newer okno (schema %d, this okno knows %d): upgrade okno", next, next-1)
		if !errors.As(err, &ne) || err.Error() != want {
			t.Fatalf("opening a newer schema: %v", err)
		}
		if srv.Count(t, "SELECT COUNT(*) FROM "+migrate.Table) != len(ms)+1 || srv.Count(t, "SELECT COUNT(*) FROM users") != users {
			t.Error("the newer database was written to")
		}
	})
}

func TestChecksumMismatchRefused(t *testing.T) {
	forEachStore(t, func(t *testing.T, opt centraltest.Option) {
		srv := centraltest.Start(t, opt)
		db, q := store.RawDB(t, srv.DSN)
		if _, err := db.Exec(q(`UPDATE `+migrate.Table+` SET checksum = ? WHERE version = 2`), strings.Repeat("f", 64)); err != nil {
			t.Fatal(err)
		}
		_, err := store.Open(context.Background(), srv.DSN, store.Options{Argon2: centraltest.TestArgon2})
		var me *migrate.MismatchError
		if !errors.As(err, &me) || me.Version != 2 || !strings.Contains(err.Error(), "another build of okno") {
			t.Fatalf("opening a schema of another build: %v", err)
		}
	})
}
