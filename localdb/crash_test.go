package localdb

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/okno-mfc/okno/domain"
)

// The child side of TestCrashSafety: register visitors in a loop and report
// each one on stdout only after its transaction committed.
func TestCrashChild(t *testing.T) {
	path := os.Getenv("OKNO_CRASH_CHILD")
	if path == "" {
		t.Skip("runs only as TestCrashSafety's child process")
	}
	ctx := context.Background()
	s, err := Open(ctx, path, Options{Catalog: testCatalog()})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(3)
	}
	if err := s.Init(ctx, "IRK", 3); err != nil {
		fmt.Println("init:", err)
		os.Exit(3)
	}
	for i := 0; ; i++ {
		v, err := s.RegisterVisitor(ctx, "c", domain.Visitor{FullName: fmt.Sprintf("Иванов Иван %s", strings.Repeat("а", i%5+1)), DocType: domain.DocPassportRU, DocNumber: "2504 123456"})
		if err != nil {
			fmt.Println("register:", err)
			os.Exit(3)
		}
		fmt.Fprintf(os.Stdout, "ok %s\n", v.ID) // unbuffered: written only after the commit
	}
}

// TestCrashSafety kills a writing process with SIGKILL at random moments,
// many times over one file; after each kill the file passes integrity_check,
// every registration the child reported as committed is there, and the
// window's chain has no gap.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	rounds := 20
	if v := os.Getenv("OKNO_CRASH_ROUNDS"); v != "" {
		fmt.Sscan(v, &rounds)
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	committed := map[string]bool{}
	for round := 0; round < rounds; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), "OKNO_CRASH_CHILD="+path)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string)
		go func() {
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text()
			}
			close(lines)
		}()
		// Wait for the first commit, then kill at a random moment.
		var first string
		select {
		case first = <-lines:
		case <-time.After(60 * time.Second):
			cmd.Process.Kill()
			t.Fatalf("round %d: the child committed nothing in 60 s", round)
		}
		if !strings.HasPrefix(first, "ok ") {
			t.Fatalf("round %d: child said %q", round, first)
		}
		committed[strings.TrimPrefix(first, "ok ")] = true
		time.AfterFunc(time.Duration(rand.IntN(40_000))*time.Microsecond, func() { cmd.Process.Signal(syscall.SIGKILL) })
		for l := range lines {
			if id, ok := strings.CutPrefix(l, "ok "); ok {
				committed[id] = true
			}
		}
		cmd.Wait()

		s, err := Open(context.Background(), path, Options{Catalog: testCatalog()})
		if err != nil {
			t.Fatalf("round %d: reopen after the kill: %v", round, err)
		}
		var check string
		if err := s.db.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
			t.Fatalf("round %d: integrity_check = %q, %v", round, check, err)
		}
		for id := range committed {
			if _, err := s.Visitor(context.Background(), id); err != nil {
				t.Fatalf("round %d: visitor %s was reported committed but is gone: %v", round, id, err)
			}
		}
		evs, err := s.LocalEvents(context.Background(), 0, 1<<30)
		if err != nil {
			t.Fatal(err)
		}
		prev := ""
		for i, ev := range evs {
			if ev.Seq != int64(i+1) || ev.PrevHash != prev || ev.ComputeHash() != ev.Hash {
				t.Fatalf("round %d: the chain breaks at seq %d", round, ev.Seq)
			}
			prev = ev.Hash
		}
		st, _ := s.Outbox(context.Background())
		if st.Pending != len(evs) {
			t.Fatalf("round %d: %d events but %d in the outbox", round, len(evs), st.Pending)
		}
		s.Close()
	}
	t.Logf("%d kills, %d registrations reported committed, all present", rounds, len(committed))
}
