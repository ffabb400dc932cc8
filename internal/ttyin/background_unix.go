//go:build unix

package ttyin

import (
	"errors"
	"os"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"
	"golang.org/x/sys/unix"
)

// DefaultQueryWait bounds Background: a terminal on this machine answers
// in a few milliseconds; one that does not answer at all must not hold up
// the first screen (termenv waits 5 s a byte).
const DefaultQueryWait = 100 * time.Millisecond

// Background asks the terminal for its background colour (OSC 11), then for
// its device attributes (DA1), which every terminal answers, so that a
// terminal that knows no OSC 11 is done with at once. It waits at most
// wait in all. answered is false when no colour came (the caller keeps its
// default); keys typed in that moment are dropped. in must be the terminal.
func Background(in, out *os.File, wait time.Duration) (dark, answered bool) {
	fd := int(in.Fd())
	if !term.IsTerminal(in.Fd()) {
		return false, false
	}
	state, err := term.MakeRaw(in.Fd())
	if err != nil {
		return false, false
	}
	defer term.Restore(in.Fd(), state) //nolint:errcheck
	if _, err := out.WriteString("\x1b]11;?\x1b\\\x1b[c"); err != nil {
		return false, false
	}
	deadline := time.Now().Add(wait)
	var buf []byte
	one := make([]byte, 1)
	for {
		left := time.Until(deadline)
		if left <= 0 || !readable(fd, left) {
			return dark, answered
		}
		// One byte a time: nothing after the DA1 answer is taken.
		if n, err := in.Read(one); n == 0 || err != nil {
			return dark, answered
		}
		buf = append(buf, one[0])
		n, ok := tokenEnd(buf)
		if !ok {
			continue
		}
		tok := buf[:n]
		if d, ok := parseColorReport(tok); ok && strings.HasPrefix(string(tok), "\x1b]11;") {
			dark, answered = d, true
		}
		if isTerminalAnswer(tok) && tok[1] == '[' {
			return dark, answered // DA1: the terminal has said all it will
		}
		buf = buf[:0]
	}
}

func readable(fd int, wait time.Duration) bool {
	fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
	ms := max(1, int(wait/time.Millisecond))
	for {
		n, err := unix.Poll(fds, ms)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		return err == nil && n > 0
	}
}
