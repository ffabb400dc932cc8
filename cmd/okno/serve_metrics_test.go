package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadMetricsToken: --metrics-token-file takes one line of 32
// characters or more, and says how to make one otherwise.
func TestReadMetricsToken(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := strings.Repeat("ab", 32)
	if tok, err := readMetricsToken(write("good", good+"\n")); err != nil || tok != good {
		t.Fatalf("%q %v", tok, err)
	}
	if tok, err := readMetricsToken(""); err != nil || tok != "" {
		t.Fatalf("no file: %q %v", tok, err)
	}
	for name, content := range map[string]string{"short": "abc\n", "two words": good + " " + good, "empty": ""} {
		if _, err := readMetricsToken(write(name, content)); err == nil || !strings.Contains(err.Error(), "openssl rand") {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := readMetricsToken(filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing file was taken")
	}
}
