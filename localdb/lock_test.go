package localdb

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// The child side of TestLockDirTwoProcesses: lock the folder, say so, and
// hold it until stdin closes.
func TestLockChild(t *testing.T) {
	dir := os.Getenv("OKNO_LOCK_CHILD")
	if dir == "" {
		t.Skip("runs only as TestLockDirTwoProcesses's child process")
	}
	l, err := LockDir(dir, "okno sync --data "+dir)
	if err != nil {
		fmt.Println("lock:", err)
		os.Exit(3)
	}
	fmt.Println("locked")
	io.Copy(io.Discard, os.Stdin)
	l.Unlock()
}

func TestLockDirTwoProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a process")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "OKNO_LOCK_CHILD="+dir)
	stdin, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "locked" {
		t.Fatalf("child: %q %v", line, err)
	}

	_, err = LockDir(dir, "okno tui")
	var le *LockedError
	if !errors.As(err, &le) || !errors.Is(err, ErrLocked) {
		t.Fatalf("a second process locked a folder in use: %v", err)
	}
	if le.Holder.PID != cmd.Process.Pid || le.Holder.Command != "okno sync --data "+dir || time.Since(le.Holder.Since) > time.Minute {
		t.Errorf("holder %+v, want pid %d", le.Holder, cmd.Process.Pid)
	}
	for _, want := range []string{fmt.Sprintf("pid %d", cmd.Process.Pid), "okno sync", "in use"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the message does not name %q: %v", want, err)
		}
	}
	if h, ok, err := LockHolder(dir); err != nil || !ok || h.PID != cmd.Process.Pid {
		t.Errorf("LockHolder = %+v %v %v", h, ok, err)
	}

	// A killed holder leaves the file, not the lock.
	cmd.Process.Kill()
	cmd.Wait()
	stdin.Close()
	l, err := LockDir(dir, "okno tui")
	if err != nil {
		t.Fatalf("the lock of a killed process still blocks: %v", err)
	}
	if h, ok, _ := LockHolder(dir); !ok || h.PID != os.Getpid() || h.Command != "okno tui" {
		t.Errorf("after taking over: %+v %v", h, ok)
	}
	if err := l.Unlock(); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := LockHolder(dir); ok {
		t.Errorf("still held after Unlock")
	}
}

func TestLockDirSameProcess(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	l, err := LockDir(dir, "first")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := LockDir(dir, "second"); !errors.Is(err, ErrLocked) {
		t.Fatalf("locked twice: %v", err)
	}
	l.Unlock()
	l2, err := LockDir(dir, "second")
	if err != nil {
		t.Fatal(err)
	}
	l2.Unlock()
	if info, err := os.Stat(dir + "/" + LockFile); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("lock file: %v %v", info, err)
	}
}
