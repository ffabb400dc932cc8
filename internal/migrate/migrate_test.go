package migrate

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"
)

// files are three migrations; {{pk}} is rendered per engine.
var files = fstest.MapFS{
	"m/001_one.sql":   {Data: []byte("CREATE TABLE one (id {{pk}}, v TEXT NOT NULL);\nINSERT INTO one (v) VALUES ('first')")},
	"m/002_two.sql":   {Data: []byte("ALTER TABLE one ADD COLUMN w TEXT NOT NULL DEFAULT 'two'")},
	"m/003_three.sql": {Data: []byte("CREATE TABLE three (x INTEGER)")},
}

type engine struct {
	name string
	open func(t *testing.T) *sql.DB
	d    Dialect
}

func engines(t *testing.T) []engine {
	sqlite := engine{name: "sqlite", d: Dialect{Name: "sqlite", HasTable: SQLiteHasTable,
		Render: func(s string) string { return strings.ReplaceAll(s, "{{pk}}", "INTEGER PRIMARY KEY AUTOINCREMENT") }},
		open: func(t *testing.T) *sql.DB {
			db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "m.db")+"?_txlock=immediate")
			if err != nil {
				t.Fatal(err)
			}
			db.SetMaxOpenConns(1)
			t.Cleanup(func() { db.Close() })
			return db
		}}
	out := []engine{sqlite}
	if dsn := os.Getenv("OKNO_TEST_POSTGRES"); dsn != "" {
		out = append(out, engine{name: "postgres", d: Dialect{Name: "postgres", HasTable: PostgresHasTable, Rebind: dollars,
			Lock: "SELECT pg_advisory_xact_lock(84200099)",
			Render: func(s string) string {
				return strings.ReplaceAll(s, "{{pk}}", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY")
			}},
			open: func(t *testing.T) *sql.DB { return throwaway(t, dsn) }})
	}
	return out
}

// dollars rebinds ? to $1, $2 … (the migrator's own queries have no quotes).
func dollars(q string) string {
	var b strings.Builder
	n := 0
	for _, c := range q {
		if c == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

// throwaway makes an empty PostgreSQL database for the test.
func throwaway(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "okno_migrate_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	u, _ := url.Parse(dsn)
	u.Path = "/" + name
	db, err := sql.Open("pgx", u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Close()
		admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		admin.Close()
	})
	return db
}

func load(t *testing.T, upto int) []Migration {
	t.Helper()
	ms, err := Load(files, "m")
	if err != nil {
		t.Fatal(err)
	}
	return ms[:upto]
}

func count(t *testing.T, db *sql.DB, q string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func mustExec(t *testing.T, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func forEngines(t *testing.T, f func(t *testing.T, e engine)) {
	for _, e := range engines(t) {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			f(t, e)
		})
	}
}

func TestLoad(t *testing.T) {
	ms, err := Load(files, "m")
	if err != nil || len(ms) != 3 || ms[0].Version != 1 || ms[2].Name != "003_three.sql" || ms[1].Checksum != Checksum(files["m/002_two.sql"].Data) {
		t.Fatalf("%+v %v", ms, err)
	}
	for name, bad := range map[string]fstest.MapFS{
		"no number":      {"m/init.sql": {}},
		"not a number":   {"m/x1_init.sql": {}},
		"zero":           {"m/000_init.sql": {}},
		"no name":        {"m/001_.sql": {}},
		"same version":   {"m/001_a.sql": {}, "m/1_b.sql": {}},
		"a sign":         {"m/+01_a.sql": {}},
		"two same names": {"m/002_a.sql": {}, "m/002_b.sql": {}},
	} {
		if _, err := Load(bad, "m"); err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
}

func TestUpFresh(t *testing.T) {
	forEngines(t, func(t *testing.T, e engine) {
		db := e.open(t)
		m := &Migrator{DB: db, Dialect: e.d, Migrations: load(t, 3), Legacy: LegacyTable}
		v, err := m.Up(context.Background())
		if err != nil || v != 3 {
			t.Fatalf("up: %d %v", v, err)
		}
		if n := count(t, db, "SELECT COUNT(*) FROM one WHERE w = 'two'"); n != 1 {
			t.Errorf("migrations not applied: %d", n)
		}
		rows, err := db.Query("SELECT version, name, checksum, applied_at FROM " + Table + " ORDER BY version")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for i := 0; rows.Next(); i++ {
			var r record
			var at int64
			rows.Scan(&r.version, &r.name, &r.checksum, &at)
			if want := m.Migrations[i]; r.version != want.Version || r.name != want.Name || r.checksum != want.Checksum || time.Since(time.Unix(0, at)) > time.Minute {
				t.Errorf("recorded %+v at %d, want %+v", r, at, want)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		// Again: nothing to do, nothing applied twice.
		if v, err := m.Up(context.Background()); err != nil || v != 3 || count(t, db, "SELECT COUNT(*) FROM one") != 1 {
			t.Fatalf("second up: %d %v", v, err)
		}
		// A newer binary applies only what is new.
		if n := count(t, db, "SELECT COUNT(*) FROM "+Table); n != 3 {
			t.Errorf("%d versions recorded", n)
		}
	})
}

func TestUpStepByStep(t *testing.T) {
	forEngines(t, func(t *testing.T, e engine) {
		db := e.open(t)
		for k := 1; k <= 3; k++ {
			m := &Migrator{DB: db, Dialect: e.d, Migrations: load(t, k)}
			if v, err := m.Up(context.Background()); err != nil || v != k {
				t.Fatalf("up to %d: %d %v", k, v, err)
			}
		}
		if n := count(t, db, "SELECT COUNT(*) FROM one WHERE v = 'first' AND w = 'two'"); n != 1 {
			t.Errorf("rows: %d", n)
		}
	})
}

// legacy writes the old bookkeeping of the first k migrations, as localdb
// (names with their folder) or the central (an integer version beside the
// name) kept it.
func legacy(t *testing.T, e engine, db *sql.DB, k int, central bool) {
	t.Helper()
	q := e.d.Rebind
	if q == nil {
		q = func(s string) string { return s }
	}
	if central {
		mustExec(t, db, `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`)
	} else {
		mustExec(t, db, `CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`)
	}
	for _, mg := range load(t, k) {
		mustExec(t, db, e.d.Render(mg.SQL))
		if central {
			mustExec(t, db, q(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`), mg.Version, mg.Name, time.Now().UnixNano())
		} else {
			mustExec(t, db, q(`INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)`), "migrations/"+mg.Name, "2025-01-01T00:00:00Z")
		}
	}
}

func TestLegacy(t *testing.T) {
	forEngines(t, func(t *testing.T, e engine) {
		for _, central := range []bool{false, true} {
			for k := 1; k <= 3; k++ {
				t.Run(fmt.Sprintf("central %v, from %d", central, k), func(t *testing.T) {
					t.Parallel()
					db := e.open(t)
					legacy(t, e, db, k, central)
					m := &Migrator{DB: db, Dialect: e.d, Migrations: load(t, 3), Legacy: LegacyTable}
					if v, err := m.Up(context.Background()); err != nil || v != 3 {
						t.Fatalf("up: %d %v", v, err)
					}
					if has, _ := m.hasTableNow(t); has {
						t.Error("the legacy table is still there")
					}
					if n := count(t, db, "SELECT COUNT(*) FROM "+Table); n != 3 {
						t.Errorf("%d versions recorded", n)
					}
					if n := count(t, db, "SELECT COUNT(*) FROM one WHERE v = 'first' AND w = 'two'"); n != 1 {
						t.Errorf("rows %d", n)
					}
				})
			}
		}
	})
}

// hasTableNow looks for the legacy table outside a transaction.
func (m *Migrator) hasTableNow(t *testing.T) (bool, error) {
	t.Helper()
	tx, err := m.DB.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	return m.hasTable(context.Background(), tx, LegacyTable)
}

func TestRefusals(t *testing.T) {
	forEngines(t, func(t *testing.T, e engine) {
		ctx := context.Background()
		t.Run("newer", func(t *testing.T) {
			db := e.open(t)
			if _, err := (&Migrator{DB: db, Dialect: e.d, Migrations: load(t, 3)}).Up(ctx); err != nil {
				t.Fatal(err)
			}
			_, err := (&Migrator{DB: db, Dialect: e.d, Migrations: load(t, 2)}).Up(ctx)
			var ne *NewerError
			if !errors.As(err, &ne) || ne.Have != 3 || ne.Know != 2 ||
				err.Error() != "this database was written by a newer okno (schema 3, this okno knows 2): upgrade okno" {
				t.Fatalf("%v", err)
			}
		})
		t.Run("newer, legacy", func(t *testing.T) {
			db := e.open(t)
			legacy(t, e, db, 3, true)
			_, err := (&Migrator{DB: db, Dialect: e.d, Migrations: load(t, 2), Legacy: LegacyTable}).Up(ctx)
			var ne *NewerError
			if !errors.As(err, &ne) || ne.Have != 3 {
				t.Fatalf("%v", err)
			}
			// Nothing written: the old bookkeeping stands, no new table.
			if count(t, db, "SELECT COUNT(*) FROM schema_migrations") != 3 {
				t.Error("the legacy table changed")
			}
			m := &Migrator{DB: db, Dialect: e.d}
			tx, _ := db.Begin()
			has, _ := m.hasTable(ctx, tx, Table)
			tx.Rollback()
			if has {
				t.Errorf("%s was created in a database of a newer okno", Table)
			}
		})
		t.Run("checksum", func(t *testing.T) {
			db := e.open(t)
			ms := load(t, 3)
			if _, err := (&Migrator{DB: db, Dialect: e.d, Migrations: ms}).Up(ctx); err != nil {
				t.Fatal(err)
			}
			ms[1].SQL += "\n-- edited after release"
			ms[1].Checksum = Checksum([]byte(ms[1].SQL))
			_, err := (&Migrator{DB: db, Dialect: e.d, Migrations: ms}).Up(ctx)
			var me *MismatchError
			if !errors.As(err, &me) || me.Version != 2 || !strings.Contains(err.Error(), "002_two.sql has checksum") {
				t.Fatalf("%v", err)
			}
		})
		t.Run("another name, legacy", func(t *testing.T) {
			db := e.open(t)
			legacy(t, e, db, 2, false)
			ms := load(t, 3)
			ms[1].Name = "002_other.sql"
			_, err := (&Migrator{DB: db, Dialect: e.d, Migrations: ms, Legacy: LegacyTable}).Up(ctx)
			var me *MismatchError
			if !errors.As(err, &me) || me.Version != 2 || !strings.Contains(err.Error(), "this okno's schema 2 is 002_other.sql") {
				t.Fatalf("%v", err)
			}
		})
		t.Run("gap", func(t *testing.T) {
			db := e.open(t)
			ms := load(t, 3)
			if _, err := (&Migrator{DB: db, Dialect: e.d, Migrations: []Migration{ms[0], ms[2]}}).Up(ctx); err != nil {
				t.Fatal(err)
			}
			_, err := (&Migrator{DB: db, Dialect: e.d, Migrations: ms}).Up(ctx)
			if err == nil || !strings.Contains(err.Error(), "lacks 002_two.sql") {
				t.Fatalf("%v", err)
			}
		})
		t.Run("a failing migration", func(t *testing.T) {
			db := e.open(t)
			ms := load(t, 3)
			ms[2].SQL = "CREATE TABLE three (x INTEGER); INSERT INTO nowhere VALUES (1)"
			_, err := (&Migrator{DB: db, Dialect: e.d, Migrations: ms}).Up(ctx)
			if err == nil || !strings.Contains(err.Error(), "migration 003_three.sql") {
				t.Fatalf("%v", err)
			}
			if n := count(t, db, "SELECT COUNT(*) FROM "+Table); n != 2 {
				t.Errorf("%d versions recorded after a failed third", n)
			}
			// Rolled back whole: the table the failed migration made is gone.
			if _, err := db.Exec("SELECT COUNT(*) FROM three"); err == nil {
				t.Error("the failed migration's table exists")
			}
		})
	})
}
