package main

import (
	"bytes"
	"context"
	"io"
	"os"
	osexec "os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

// okno makes a command running okno with args: this test binary as okno
// itself (TestMain in lock_test.go), the real process with real stdin and
// stdout.
func okno(ctx context.Context, args ...string) *osexec.Cmd {
	cmd := osexec.CommandContext(ctx, os.Args[0], args...)
	cmd.Env = append(os.Environ(), "OKNO_TEST_BE_OKNO=1", "LANG=C.UTF-8")
	return cmd
}

// tuiWorkstation sets up a data folder with an office, a window and an
// operator, as scripts/e2e.sh does.
func tuiWorkstation(t *testing.T) string {
	t.Helper()
	data := t.TempDir()
	var errOut bytes.Buffer
	if _, code := runWith(t, strings.NewReader("secret12\n"), &errOut, "tui", "--data", data, "--office", "IRK", "--window", "3",
		"--add-operator", "ivanova", "--password-stdin"); code != 0 {
		t.Fatalf("add operator: %d %s", code, errOut.String())
	}
	return data
}

// TestTUIWithoutTerminal: okno with stdin from /dev/null or a pipe says it
// needs a terminal and exits 2, at once, whatever the pipe holds.
func TestTUIWithoutTerminal(t *testing.T) {
	t.Parallel()
	data := tuiWorkstation(t)
	devnull, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer devnull.Close()
	for _, tc := range []struct {
		name  string
		stdin func(*osexec.Cmd)
		args  []string
	}{
		{"/dev/null", func(c *osexec.Cmd) { c.Stdin = devnull }, []string{"--data", data}},
		{"a pipe", func(c *osexec.Cmd) { c.Stdin = strings.NewReader("ivanova\rsecret12\r") }, []string{"tui", "--data", data}},
		{"a pipe, demo", func(c *osexec.Cmd) { c.Stdin = strings.NewReader("") }, []string{"demo", "--data", t.TempDir()}},
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		cmd := okno(ctx, tc.args...)
		tc.stdin(cmd)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		cancel()
		code := cmd.ProcessState.ExitCode()
		if code != 2 || !strings.Contains(stderr.String(), "okno needs a terminal; for scripts use okno sync, okno report") {
			t.Errorf("%s: exit %d (%v), stderr %q", tc.name, code, err, stderr.String())
		}
		if stdout.Len() > 0 {
			t.Errorf("%s: wrote %q to stdout", tc.name, stdout.String())
		}
	}
}

// TestFirstFrameOnASilentTerminal runs okno on a pty that never answers the
// colour and device queries and measures how long the first frame (the
// sign-in screen) takes. lipgloss alone waited 5 s (termenv's OSCTimeout)
// for the background colour; the bound is ttyin.DefaultQueryWait (100 ms).
// The check is coarse (under 2 s, so a loaded machine cannot fail it) and
// the figure is logged: go test -run FirstFrame -v ./cmd/okno.
func TestFirstFrameOnASilentTerminal(t *testing.T) {
	data := tuiWorkstation(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := okno(ctx, "--data", data, "--lang", "ru")
	cmd.Env = append(cmd.Env, "TERM=xterm-256color", "COLORFGBG=")
	start := time.Now()
	ptm, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: 80, Rows: 24})
	if err != nil {
		t.Skipf("no pty here: %v", err)
	}
	defer ptm.Close()
	var (
		mu    sync.Mutex
		out   bytes.Buffer
		first time.Duration
		seen  = make(chan struct{})
	)
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := ptm.Read(buf)
			mu.Lock()
			out.Write(buf[:n])
			if first == 0 && bytes.Contains(out.Bytes(), []byte("Вход оператора")) {
				first = time.Since(start)
				close(seen)
			}
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	select {
	case <-seen:
	case <-time.After(15 * time.Second):
		mu.Lock()
		t.Fatalf("no sign-in screen in 15 s; the terminal got %q", out.String())
	}
	mu.Lock()
	took, got := first, out.String()
	mu.Unlock()
	t.Logf("first frame on a silent terminal after %v (process start to the sign-in screen)", took)
	if !strings.Contains(got, "\x1b]11;?") {
		t.Errorf("okno did not ask the terminal for its background; it wrote %q", got)
	}
	if took > 2*time.Second {
		t.Errorf("the first frame took %v on a terminal that does not answer", took)
	}
	ptm.Write([]byte{3}) // ctrl+c
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("okno ended with %v after ctrl+c", err)
		}
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Error("ctrl+c did not end okno")
	}
}

// onTerminal runs cmd with a pty for stdin and stdout (nobody answers on
// it) and returns what it wrote to stderr.
func onTerminal(t *testing.T, cmd *osexec.Cmd) ([]byte, error) {
	t.Helper()
	ptm, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pty here: %v", err)
	}
	defer ptm.Close()
	defer tty.Close()
	go io.Copy(io.Discard, ptm) //nolint:errcheck // drain what it draws
	var stderr bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, &stderr
	err = cmd.Run()
	return stderr.Bytes(), err
}

// runOnTerminal runs okno in-process with a pty for stdin and stdout (on
// which nobody answers) and returns its exit code.
func runOnTerminal(t *testing.T, stderr io.Writer, args ...string) int {
	t.Helper()
	ptm, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pty here: %v", err)
	}
	defer ptm.Close()
	defer tty.Close()
	go io.Copy(io.Discard, ptm) //nolint:errcheck // drain what it draws
	e := &env{stdin: tty, stdout: tty, stderr: stderr, getenv: func(string) string { return "" }}
	return e.main(args)
}
