//go:build linux

package ttyin

import (
	"bytes"
	"os"
	"testing"
	"time"

	"github.com/creack/pty"
)

// fakeTerminal runs Background on a pty whose other end answers with
// answer once it has seen both queries ("" never answers).
func fakeTerminal(t *testing.T, answer string, wait time.Duration) (dark, answered bool, took time.Duration) {
	t.Helper()
	ptm, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pty here: %v", err)
	}
	defer ptm.Close()
	defer tty.Close()
	go func() {
		var seen []byte
		buf := make([]byte, 64)
		for !bytes.Contains(seen, []byte("\x1b[c")) {
			n, err := ptm.Read(buf)
			if err != nil {
				return
			}
			seen = append(seen, buf[:n]...)
		}
		if answer != "" {
			ptm.Write([]byte(answer))
		}
	}()
	start := time.Now()
	dark, answered = Background(tty, tty, wait)
	return dark, answered, time.Since(start)
}

func TestBackground(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, answer     string
		dark, answered   bool
		waitsTheWholeGap bool
	}{
		{"light terminal", "\x1b]11;rgb:ffff/ffff/ffff\x1b\\\x1b[?62;22c", false, true, false},
		{"dark terminal, BEL", "\x1b]11;rgb:0000/0000/0000\a\x1b[?1;2c", true, true, false},
		{"no OSC 11, DA1 only", "\x1b[?6c", false, false, false},
		{"silent terminal", "", false, false, true},
	}
	for _, tt := range tests {
		// 2 s is far longer than any answer takes, so a test that returns
		// before it shows the DA1 answer ended the wait.
		dark, answered, took := fakeTerminal(t, tt.answer, 2*time.Second)
		if dark != tt.dark || answered != tt.answered {
			t.Errorf("%s: dark %v answered %v, want %v %v", tt.name, dark, answered, tt.dark, tt.answered)
		}
		// A whole gap's wait may read a hair short of it (the timer and the
		// clock differ by microseconds); an answer ends it far sooner.
		if waited := took >= 2*time.Second-50*time.Millisecond; waited != tt.waitsTheWholeGap {
			t.Errorf("%s: took %v", tt.name, took)
		}
	}
}

// TestBackgroundOnAFileAsksNothing: not a terminal, no query.
func TestBackgroundOnAFileAsksNothing(t *testing.T) {
	t.Parallel()
	f, err := os.CreateTemp(t.TempDir(), "in")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, answered := Background(f, f, time.Second); answered {
		t.Error("a file answered")
	}
	if st, _ := f.Stat(); st.Size() != 0 {
		t.Errorf("%d bytes of query written to a file", st.Size())
	}
}
