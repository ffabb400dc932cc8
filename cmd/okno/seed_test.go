package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// okno demo seed on a fresh folder without --office and --window seeds the
// demo's office, window 1; one of the two alone is refused before any file
// is made, with what to give.
func TestDemoSeedIdentity(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "ws")
	out, errOut, code := runCatalogCmd(t, nil, "demo", "seed", "--data", dir, "--days", "1", "--per-day", "3")
	if code != 0 || !strings.Contains(out, "seeded "+demoOffice+" window 1:") || !strings.Contains(errOut, "--office and --window choose") {
		t.Fatalf("seed with no identity: exit %d\n%s%s", code, out, errOut)
	}
	out, _, code = runCatalogCmd(t, nil, "audit", "verify", "--data", dir)
	if code != 0 {
		t.Fatalf("the seeded chain does not verify: exit %d\n%s", code, out)
	}
	other := filepath.Join(t.TempDir(), "other")
	_, errOut, code = runCatalogCmd(t, nil, "demo", "seed", "--data", other, "--office", "IRK")
	if code != 2 || !strings.Contains(errOut, "--office CODE and --window N together") {
		t.Fatalf("--office alone: exit %d, %s", code, errOut)
	}
	if _, err := os.Stat(other); !os.IsNotExist(err) {
		t.Fatalf("a refused seed made %s (%v)", other, err)
	}
}
