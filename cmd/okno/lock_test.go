package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	osexec "os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/okno-mfc/okno/central/centraltest"
	"github.com/okno-mfc/okno/localdb"
)

// TestMain lets the test binary be okno itself in a child process
// (OKNO_TEST_BE_OKNO=1): the tests here that need two real processes run
// it so.
func TestMain(m *testing.M) {
	if os.Getenv("OKNO_TEST_BE_OKNO") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// oknoProcess makes a child process running okno with args.
func oknoProcess(args ...string) *osexec.Cmd {
	cmd := osexec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "OKNO_TEST_BE_OKNO=1")
	return cmd
}

// TestOneProcessPerDataFolder runs okno sync in one process and tries
// every writing command on the same folder from a second: each is refused
// with exit 1 naming the holder, the reading ones run beside it, and the
// first keeps working. Once it ends (even by SIGKILL) the folder is free.
func TestOneProcessPerDataFolder(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	t.Parallel()
	srv := centraltest.Start(t, manySignIns)
	dir := workstation(t, srv, 3)

	first := oknoProcess("sync", "--data", dir, "--watch")
	out, err := first.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	first.Stderr = os.Stderr
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	defer first.Process.Kill()
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	waitLine(t, lines, "online")

	for _, args := range [][]string{
		{"tui", "--data", dir}, // on a terminal: without one it stops before the lock (terminal_test.go)
		{"sync", "--once", "--data", dir},
		{"demo", "seed", "--data", dir, "--days", "1", "--per-day", "1"},
		{"enrol", "--data", dir, "--central", srv.URL, "--office", "IRK", "--window", "3", "--login", "admin"},
		{"tui", "--data", dir, "--add-operator", "boris", "--password-stdin"},
	} {
		cmd := oknoProcess(args...)
		cmd.Stdin = strings.NewReader("some password\n")
		var b []byte
		var err error
		if len(args) == 3 && args[0] == "tui" {
			b, err = onTerminal(t, cmd)
		} else {
			b, err = cmd.CombinedOutput()
		}
		code := cmd.ProcessState.ExitCode()
		want := fmt.Sprintf(`in use by another okno process (pid %d, "okno sync"`, first.Process.Pid)
		if code != 1 || !strings.Contains(string(b), want) {
			t.Errorf("okno %s beside a running sync: exit %d (%v), want 1 naming the holder:\n%s", strings.Join(args, " "), code, err, b)
		}
	}
	// Readers run beside it.
	if b, err := oknoProcess("audit", "verify", "--data", dir).CombinedOutput(); err != nil {
		t.Errorf("audit verify beside a running sync: %v\n%s", err, b)
	}
	if b, err := oknoProcess("export", "--data", dir, "--redact", "--out", filepath.Join(t.TempDir(), "x.jsonl")).CombinedOutput(); err != nil {
		t.Errorf("export beside a running sync: %v\n%s", err, b)
	}

	// The first keeps working: what is recorded now reaches the central.
	ctx := context.Background()
	st, err := localdb.Open(ctx, filepath.Join(dir, "okno.db"), localdb.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := useKey(st, dir); err != nil {
		t.Fatal(err)
	}
	if _, err := st.IssueTicket(ctx, "anna", "kindergarten_queue", "", ""); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		ob, err := st.Outbox(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if ob.Pending == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the running sync did not send the new event: %+v", ob)
		}
		time.Sleep(100 * time.Millisecond)
	}
	st.Close()

	// Killed, it leaves the folder free.
	first.Process.Signal(syscall.SIGKILL)
	first.Wait()
	cmd := oknoProcess("sync", "--once", "--data", dir)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("sync after the first was killed: %v\n%s", err, b)
	}
}

// waitLine waits for a line containing want.
func waitLine(t *testing.T, lines <-chan string, want string) {
	t.Helper()
	timeout := time.After(20 * time.Second)
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				t.Fatalf("the process ended before saying %q", want)
			}
			if strings.Contains(l, want) {
				return
			}
		case <-timeout:
			t.Fatalf("no line with %q", want)
		}
	}
}
