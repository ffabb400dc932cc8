package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/link"
)

// A plain http:// central on another host is refused by every command
// that talks to the central, before anything crosses the line, unless
// --insecure-http says it is meant; the message says what to do.
func TestPlainHTTPRefused(t *testing.T) {
	t.Parallel()
	srv := centraltest.Start(t, manySignIns)
	dir := workstation(t, srv, 3)
	const far = "http://192.0.2.10:8420" // TEST-NET-1: never answers
	cred, err := link.LoadCredential(dir)
	if err != nil {
		t.Fatal(err)
	}
	enrolled := t.TempDir()
	cred.Central = far
	if err := link.SaveCredential(enrolled, cred); err != nil {
		t.Fatal(err)
	}
	copyStore(t, dir, enrolled)

	for _, c := range []struct {
		name string
		args []string
		fix  string // what the message tells to do
	}{
		{"enrol", []string{"enrol", "--data", t.TempDir(), "--central", far, "--office", "IRK", "--window", "7", "--login", "admin"}, "pass --insecure-http"},
		{"sync --central", []string{"sync", "--once", "--data", dir, "--central", far}, "pass --insecure-http"},
		{"sync of a workstation enrolled so", []string{"sync", "--once", "--data", enrolled}, "okno sync --data " + enrolled + " --central https://"},
		{"tui of a workstation enrolled so", []string{"tui", "--data", enrolled}, "--insecure-http"},
		{"audit", []string{"audit", "verify", "--data", dir, "--central", far}, "pass --insecure-http"},
		{"report", []string{"report", "--central", far, "--office", "IRK", "--token", "x"}, "pass --insecure-http"},
	} {
		var errOut bytes.Buffer
		var code int
		if c.args[0] == "tui" { // the TUI needs a terminal before anything else
			code = runOnTerminal(t, &errOut, c.args...)
		} else {
			_, code = runWith(t, strings.NewReader("admin-password\n"), &errOut, c.args...)
		}
		msg := errOut.String()
		if code != 1 || !strings.Contains(msg, "plain http:// to 192.0.2.10") || !strings.Contains(msg, "https://") || !strings.Contains(msg, c.fix) {
			t.Errorf("%s: exit %d, want 1 with what to do (%q):\n%s", c.name, code, c.fix, msg)
		}
	}
	// sync --central refused left the credential as it was.
	if got, _ := link.LoadCredential(dir); got.Central != srv.URL || got.InsecureHTTP {
		t.Errorf("credential changed by a refused sync: %+v", got)
	}

	// Knowingly: the sync goes out (and finds nobody there: stuck, 4), and
	// the permission is kept with the address.
	var errOut bytes.Buffer
	out, code := runWith(t, nil, &errOut, "sync", "--once", "--timeout", "2s", "--data", dir, "--central", far, "--insecure-http")
	if code != syncStuck {
		t.Fatalf("sync --insecure-http: exit %d, want %d\n%s%s", code, syncStuck, out, errOut.String())
	}
	if got, _ := link.LoadCredential(dir); got.Central != far || !got.InsecureHTTP {
		t.Errorf("the permission was not kept: %+v", got)
	}
	// Back to the loopback central: no permission needed, none kept.
	errOut.Reset()
	if out, code := runWith(t, nil, &errOut, "sync", "--once", "--data", dir, "--central", srv.URL); code != 0 {
		t.Fatalf("back on loopback: exit %d\n%s%s", code, out, errOut.String())
	}
	if got, _ := link.LoadCredential(dir); got.InsecureHTTP {
		t.Errorf("permission kept for a loopback address: %+v", got)
	}
}

// copyStore copies a closed workstation's file and key to another folder.
func copyStore(t *testing.T, from, to string) {
	t.Helper()
	for _, name := range []string{"okno.db", link.KeyFile} {
		b, err := os.ReadFile(filepath.Join(from, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}
