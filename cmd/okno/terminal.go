package main

import (
	"fmt"
	"os"
	"sync"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/term"

	"github.com/okno-mfc/okno/internal/ttyin"
)

// noTerminal is what okno says when it is run without a terminal (a pipe,
// </dev/null, cron): the TUI cannot work there, the commands can.
const noTerminal = "okno needs a terminal; for scripts use okno sync, okno report, okno export … (okno --help lists them)"

// terminal returns the terminal the TUI runs on: stdin and stdout must both
// be one. Otherwise it prints noTerminal and the command exits 2.
func (e *env) terminal() (in, out *os.File, err error) {
	in, okIn := e.stdin.(*os.File)
	out, okOut := e.stdout.(*os.File)
	if !okIn || !okOut || !term.IsTerminal(in.Fd()) || !term.IsTerminal(out.Fd()) {
		fmt.Fprintln(e.stderr, noTerminal)
		return nil, nil, errUsage
	}
	return in, out, nil
}

// askBackground asks the terminal whether it is dark, waiting at most
// ttyin.DefaultQueryWait, while the caller goes on; the function it returns
// waits for the answer (once; later calls return at once) and tells lipgloss, so that lipgloss never asks
// itself (termenv waits 5 s for a terminal that does not answer).
// COLORFGBG decides when the terminal is silent, then dark. Nothing may
// read the terminal until the answer is in.
func askBackground(in, out *os.File, getenv func(string) string) (wait func()) {
	done := make(chan bool, 1)
	go func() {
		dark, ok := ttyin.Background(in, out, ttyin.DefaultQueryWait)
		if !ok {
			dark = darkFromColorFGBG(getenv("COLORFGBG"))
		}
		done <- dark
	}()
	return sync.OnceFunc(func() { lipgloss.SetHasDarkBackground(<-done) })
}

// darkFromColorFGBG reads "fg;bg" (rxvt, Konsole): background colours 0–6
// and 8 are dark; unset means dark, termenv's default too.
func darkFromColorFGBG(v string) bool {
	for i := len(v) - 1; i >= 0; i-- {
		if v[i] == ';' {
			switch v[i+1:] {
			case "7", "9", "10", "11", "12", "13", "14", "15":
				return false
			}
			return true
		}
	}
	return true
}
