package main

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestHelpToStdout: every command's help, group or leaf, however asked
// for, is printed to stdout and exits 0, with nothing on stderr.
func TestHelpToStdout(t *testing.T) {
	t.Parallel()
	var asks [][]string
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		asks = append(asks, []string{n, "--help"}, []string{n, "-h"})
	}
	asks = append(asks, []string{"--help"}, []string{"-h"}, []string{"help"},
		[]string{"user", "help"}, []string{"user", "add", "--help"}, []string{"user", "list", "-h"}, []string{"user", "passwd", "--help"},
		[]string{"user", "key", "--help"}, []string{"user", "key", "add", "--help"}, []string{"user", "key", "list", "-help"}, []string{"user", "key", "remove", "--help"},
		[]string{"audit", "verify", "--help"}, []string{"catalog", "list", "--help"}, []string{"catalog", "show", "--help"},
		[]string{"catalog", "validate", "-h"}, []string{"demo", "seed", "--help"}, []string{"sync", "--once", "--help"})
	for _, args := range asks {
		var errOut bytes.Buffer
		out, code := runWith(t, strings.NewReader(""), &errOut, args...)
		if code != 0 || !strings.Contains(out, "Usage") && !strings.Contains(out, "okno") || errOut.Len() > 0 {
			t.Errorf("okno %s: exit %d, stdout %d bytes, stderr %q", strings.Join(args, " "), code, len(out), errOut.String())
		}
	}
	// A mistake still goes to stderr with exit 2.
	var errOut bytes.Buffer
	if out, code := runWith(t, strings.NewReader(""), &errOut, "user", "list", "--no-such-flag"); code != 2 || out != "" || !strings.Contains(errOut.String(), "Usage") {
		t.Errorf("a wrong flag: exit %d, stdout %q, stderr %q", code, out, errOut.String())
	}
}

// TestUserListMissingDB: reading commands on a database that is not there
// exit 1 and create nothing (no file, no folder).
func TestUserListMissingDB(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "no", "such", "central.db")
	for _, args := range [][]string{
		{"user", "list", "--db", db},
		{"user", "passwd", "--db", db, "--login", "anna"},
		{"user", "key", "list", "--db", db, "--login", "anna"},
	} {
		var errOut bytes.Buffer
		_, code := runWith(t, strings.NewReader("a long password\n"), &errOut, args...)
		if code != 1 || !strings.Contains(errOut.String(), "no database at") {
			t.Errorf("okno %s: exit %d, %s", strings.Join(args, " "), code, errOut.String())
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "no")); !os.IsNotExist(err) {
		t.Fatalf("a folder was made: %v", err)
	}
}
