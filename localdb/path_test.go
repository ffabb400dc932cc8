package localdb

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// A data folder whose name holds URI characters (space, #, ?, %) keeps
// its file in it, and the audit's re-fold finds it.
func TestOddFolderName(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "окно 3 #1?x%20y")
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(dir, "okno.db"), Options{Catalog: testCatalog()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Init(ctx, "IRK", 3); err != nil {
		t.Fatal(err)
	}
	mustRegister(t, s, visitor("Фёдоров Пётр", "2504 123456"))
	names, _ := os.ReadDir(dir)
	found := map[string]bool{}
	for _, n := range names {
		found[n.Name()] = true
	}
	if !found["okno.db"] || !found["okno.db-wal"] {
		t.Fatalf("the store's files are not in the folder: %v", found)
	}
	rep, err := s.Refold(ctx, filepath.Join(dir, "scratch.db"))
	if err != nil || len(rep.Differences) != 0 || rep.Events != 1 {
		t.Fatalf("%+v %v", rep, err)
	}
}
