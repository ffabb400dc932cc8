package main

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/localdb"
	"github.com/okno-mfc/okno/receipt"
	"github.com/okno-mfc/okno/tui/handoff"
)

// TestPrivateFiles: every file holding personal data or a secret is its
// owner's only — files 0600, folders 0700 — whatever the umask: the
// workstation's store (and its WAL), the scans, the receipts, the
// credential, the key, the debug log, an export; the central's database
// and signing key.
func TestPrivateFiles(t *testing.T) {
	ctx := context.Background()
	srv := centraltest.Start(t)
	dir := workstation(t, srv, 3) // okno.db, workstation.key, workstation.json

	st, err := localdb.Open(ctx, filepath.Join(dir, "okno.db"), localdb.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := useKey(st, dir); err != nil {
		t.Fatal(err)
	}
	v, err := st.RegisterVisitor(ctx, "anna", pdVisitors[0])
	if err != nil {
		t.Fatal(err)
	}
	c, err := st.OpenCase(ctx, "anna", v.ID, "kindergarten_queue", "")
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := st.Checklist(ctx, c.ID)
	scan := filepath.Join(t.TempDir(), "passport.pdf")
	if err := os.WriteFile(scan, []byte("%PDF-1.4 a passport page"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := st.AttachFile(ctx, "anna", c.ID, rows[0].Code, scan); err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, _, err := handoff.Save(dir, receipt.Receipt{CaseNumber: c.Number, Date: time.Now(), Office: "IRK", Window: 3,
		Visitor: v.FullName, DocType: v.DocType, DocNumber: v.DocNumber, Service: "kindergarten_queue", Deadline: time.Now()}, "ru"); err != nil {
		t.Fatal(err)
	}
	tuiLog(func(k string) string {
		if k == "OKNO_DEBUG" {
			return "1"
		}
		return ""
	}, dir).Print("started")
	out := filepath.Join(t.TempDir(), "export.jsonl")
	if err := os.WriteFile(out, nil, 0o644); err != nil { // an old, readable file in the way
		t.Fatal(err)
	}
	if _, code := runWith(t, nil, &strings.Builder{}, "export", "--data", dir, "--out", out); code != 0 {
		t.Fatalf("export: exit %d", code)
	}
	keyFile := filepath.Join(t.TempDir(), "keys", "central-signing.key")
	if key, err := centralKey(keyFile, ""); err != nil || key == nil {
		t.Fatal(err)
	}

	mustBe := map[string]fs.FileMode{}
	walk := func(root string) {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				t.Fatal(err)
			}
			if p == root {
				return nil // the test's own folder
			}
			if d.IsDir() {
				mustBe[p] = 0o700
			} else {
				mustBe[p] = 0o600
			}
			return nil
		})
	}
	walk(dir)
	walk(filepath.Dir(srv.DSN))
	mustBe[out] = 0o600
	mustBe[keyFile], mustBe[filepath.Dir(keyFile)] = 0o600, 0o700
	want := []string{"okno.db", "okno.db-wal", "workstation.key", "workstation.json", "tui.log", "blobs", "receipts"}
	for _, name := range want {
		if _, ok := mustBe[filepath.Join(dir, name)]; !ok {
			t.Errorf("%s was not made: the test checks less than it should", name)
		}
	}
	if _, ok := mustBe[srv.DSN]; !ok {
		t.Errorf("no central database at %s", srv.DSN)
	}
	for p, mode := range mustBe {
		fi, err := os.Stat(p)
		if err != nil {
			if os.IsNotExist(err) && strings.HasSuffix(p, "-shm") {
				continue // gone with the last connection
			}
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != mode {
			t.Errorf("%s: mode %o, want %o", p, got, mode)
		}
	}
}
