package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/okno-mfc/okno/localdb"
)

// seededStore makes a workstation holding the seeded visitors, each with a
// case but the last.
func seededStore(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := localdb.Open(ctx, filepath.Join(dir, "okno.db"), localdb.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Init(ctx, "IRK", 3); err != nil {
		t.Fatal(err)
	}
	for i, v := range pdVisitors {
		got, err := st.RegisterVisitor(ctx, "anna", v)
		if err != nil {
			t.Fatal(err)
		}
		if i < len(pdVisitors)-1 {
			if _, err := st.OpenCase(ctx, "anna", got.ID, "kindergarten_queue", ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir
}

func TestExport(t *testing.T) {
	t.Parallel()
	dir := seededStore(t)
	run := func(args ...string) string {
		t.Helper()
		var errOut strings.Builder
		out, code := runWith(t, nil, &errOut, append([]string{"export", "--data", dir}, args...)...)
		if code != 0 {
			t.Fatalf("export %v: exit %d %s", args, code, errOut.String())
		}
		if !strings.Contains(errOut.String(), "3 visitors and 2 cases") {
			t.Fatalf("summary: %s", errOut.String())
		}
		return out
	}

	// JSON lines, in full: every visitor and case, the data as recorded.
	full := run()
	var types []string
	sc := bufio.NewScanner(strings.NewReader(full))
	for sc.Scan() {
		var r exportRecord
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		types = append(types, r.Type)
		if r.Type == "visitor" && r.Visitor.FullName == pdVisitors[0].FullName && r.Visitor.SNILS != pdSNILS {
			t.Errorf("SNILS %q, want %q", r.Visitor.SNILS, pdSNILS)
		}
	}
	if strings.Join(types, ",") != "visitor,visitor,visitor,case,case" || !strings.Contains(full, "Фёдорова Мар'яна Ивановна") {
		t.Fatalf("full export:\n%s", full)
	}

	// Redacted, both formats: none of the seeded data in any spelling, and
	// what is left still tells the records apart.
	for _, format := range []string{"jsonl", "csv"} {
		red := run("--redact", "--format", format)
		for _, pd := range pdSpellings() {
			if strings.Contains(red, pd) {
				t.Errorf("%s --redact holds %q", format, pd)
			}
		}
		for _, keep := range []string{"Ф. М. И.", "Ш. Т. Г.", "Д. Ш. О.", "2093", "9385", "71", pdSNILS[len(pdSNILS)-3:], "1985", "m***@example.ru"} {
			if !strings.Contains(red, keep) {
				t.Errorf("%s --redact lacks %q:\n%s", format, keep, red)
			}
		}
	}

	// CSV to a file: a header, a row a case with its applicant, then the
	// visitor with no case; a phone cannot start a formula.
	out := filepath.Join(t.TempDir(), "cases.csv")
	run("--format", "csv", "--out", out)
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 4 || strings.Join(recs[0], ",") != strings.Join(exportColumns, ",") {
		t.Fatalf("csv: %v", recs)
	}
	if recs[3][0] != "" || recs[3][10] != pdVisitors[2].FullName {
		t.Fatalf("the visitor with no case: %v", recs[3])
	}
	for _, r := range recs[1:] {
		if r[0] == "" && r[10] != pdVisitors[2].FullName {
			t.Errorf("a case row without a case number: %v", r)
		}
		if p := r[14]; p != "" && !strings.HasPrefix(p, "'+") {
			t.Errorf("phone cell %q could start a formula", p)
		}
	}
	if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o600 {
		t.Errorf("export file mode %o", fi.Mode().Perm())
	}

	var errOut strings.Builder
	if _, code := runWith(t, nil, &errOut, "export", "--data", dir, "--format", "xml"); code != 2 {
		t.Errorf("--format xml: exit %d", code)
	}
}
