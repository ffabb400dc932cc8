//go:build unix

package ttyin

import (
	"errors"
	"io"
	"os"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// DefaultWait is how long a read waits for the rest of a character or an
// escape sequence that the terminal has begun: long enough for bytes cut
// by a kernel buffer, short enough that a lone Esc key feels immediate.
const DefaultWait = 40 * time.Millisecond

// Reader wraps the terminal's input file. It is what bubbletea is given
// with tea.WithInput: being a file with a descriptor and a name, bubbletea
// still puts the terminal in raw mode and cancels a blocked read through
// epoll (cancelreader), so suspend, exec and quit work as before.
//
// Each Read returns fewer bytes than asked for (so bubbletea never takes a
// read for a partial one and waits on it) and ends on a whole character and
// a whole escape sequence. A token cut by the end of a read is completed
// from the terminal, waiting at most Wait for its rest; a token that stays
// incomplete after Wait (a lone Esc key, garbage) is handed on as it is.
// Bytes are held over from one Read to the next only when the terminal
// already has their rest, so a read waiting in epoll is never left with
// data of its own.
type Reader struct {
	f    *os.File
	fd   int
	Wait time.Duration

	mu   sync.Mutex
	pend []byte
}

// Wrap returns the reader to give bubbletea for the terminal f.
func Wrap(f *os.File) io.Reader { return New(f) }

// New makes a Reader over f.
func New(f *os.File) *Reader {
	return &Reader{f: f, fd: int(f.Fd()), Wait: DefaultWait}
}

// Read reads whole tokens into p; see Reader.
func (r *Reader) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	limit := len(p) - 1
	if limit < 1 {
		limit = len(p)
	}
	if limit == 0 {
		return 0, nil
	}
	buf := p[:limit]
	n := copy(buf, r.pend)
	if n < len(r.pend) { // a smaller buffer than before: hand on what fits
		r.pend = append(r.pend[:0], r.pend[n:]...)
		return n, nil
	}
	r.pend = r.pend[:0]
	n, err := r.read(buf, n)
	// A colour or DA1 answer that came after Background stopped waiting is
	// not typed text.
	return dropAnswers(buf[:n]), err
}

// read fills buf after its first n bytes and returns how many of them to
// hand on.
func (r *Reader) read(buf []byte, n int) (int, error) {
	for {
		m, err := r.f.Read(buf[n:])
		n += m
		if err != nil {
			return n, err //nolint:wrapcheck // io.EOF must stay io.EOF
		}
		cut := Boundary(buf[:n])
		if cut == n {
			return n, nil
		}
		if !r.more() {
			return n, nil // the rest did not come: hand on what there is
		}
		if n < len(buf) {
			continue
		}
		if cut == 0 {
			return n, nil // one token longer than the buffer
		}
		r.pend = append(r.pend[:0], buf[cut:n]...)
		return cut, nil
	}
}

// more waits up to Wait for the terminal to have more input.
func (r *Reader) more() bool {
	ms := int(r.Wait / time.Millisecond)
	fds := []unix.PollFd{{Fd: int32(r.fd), Events: unix.POLLIN}}
	for {
		n, err := unix.Poll(fds, ms)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		return err == nil && n > 0 && fds[0].Revents&(unix.POLLIN|unix.POLLHUP) != 0
	}
}

// Write writes to the terminal.
func (r *Reader) Write(p []byte) (int, error) { return r.f.Write(p) }

// Close does nothing: the file belongs to the caller.
func (r *Reader) Close() error { return nil }

// Fd is the terminal's descriptor, for raw mode and epoll.
func (r *Reader) Fd() uintptr { return uintptr(r.fd) }

// Name is the terminal's file name.
func (r *Reader) Name() string { return r.f.Name() }
