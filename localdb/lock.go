package localdb

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// One data folder, one writing process. Every okno process that writes a
// workstation's store (the TUI, the sync, enrolment, the demo's seeding)
// holds an OS file lock on DIR/okno.lock while it runs. SQLite alone would
// let a second process write beside the first, and the first one's cached
// chain head would then be stale (every later event of the first would
// fail on a taken seq). The lock is released by the OS when the process
// ends, however it ends, so a lock left by a killed process never blocks.
// Readers (okno audit, okno export) take no lock: WAL lets them read
// beside the writer.

// LockFile is the lock's file name in the data folder.
const LockFile = "okno.lock"

// DirLock is a held lock of a data folder.
type DirLock struct {
	f    *os.File
	path string
}

// Holder is the process that holds (or held) a data folder's lock, as it
// wrote itself into the lock file.
type Holder struct {
	PID     int
	Command string
	Since   time.Time
}

// LockedError says the data folder is in use by another process.
type LockedError struct {
	Dir    string
	Holder Holder // zero when the holder has not written itself in yet
}

// ErrLocked matches every *LockedError with errors.Is.
var ErrLocked = errors.New("the data folder is in use by another okno process")

func (e *LockedError) Error() string {
	who := "another okno process"
	if e.Holder.PID > 0 {
		who = fmt.Sprintf("another okno process (pid %d, %q, since %s)", e.Holder.PID, e.Holder.Command,
			e.Holder.Since.Local().Format("2006-01-02 15:04:05"))
	}
	return fmt.Sprintf("the data folder %s is in use by %s: one folder, one process. "+
		"Close that one first (or use another --data folder); okno audit and okno export may run beside it", e.Dir, who)
}

// Is lets errors.Is(err, ErrLocked) match.
func (e *LockedError) Is(target error) bool { return target == ErrLocked }

// LockDir takes the data folder's lock for this process, naming it by
// command (e.g. "okno sync"), or returns a *LockedError naming the process
// that holds it. It never waits. Release it with Unlock (or let the
// process end).
func LockDir(dir, command string) (*DirLock, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create the data folder: %w", err)
	}
	path := filepath.Join(dir, LockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open the lock file %s: %w", path, err)
	}
	held, err := tryLock(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if !held {
		h, _ := readHolder(f)
		f.Close()
		return nil, &LockedError{Dir: dir, Holder: h}
	}
	// Ours now: say who holds it, for the next one who asks.
	line := fmt.Sprintf("%d\n%s\n%s\n", os.Getpid(), oneLine(command), time.Now().UTC().Format(time.RFC3339))
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(line), 0)
		_ = f.Sync()
	}
	return &DirLock{f: f, path: path}, nil
}

// Unlock releases the lock. The file stays (removing it would race with a
// process about to lock it).
func (l *DirLock) Unlock() error {
	if l == nil || l.f == nil {
		return nil
	}
	_ = l.f.Truncate(0)
	err := l.f.Close() // closing the descriptor releases the lock
	l.f = nil
	return err
}

// LockHolder reads who holds the data folder's lock now; ok is false when
// nobody does.
func LockHolder(dir string) (h Holder, ok bool, err error) {
	f, err := os.OpenFile(filepath.Join(dir, LockFile), os.O_RDWR, 0)
	if errors.Is(err, os.ErrNotExist) {
		return h, false, nil
	}
	if err != nil {
		return h, false, err
	}
	defer f.Close()
	held, err := tryLock(f)
	if err != nil || held {
		return h, false, err // free (and released again as f closes)
	}
	h, err = readHolder(f)
	return h, true, err
}

func readHolder(f *os.File) (Holder, error) {
	var h Holder
	b := make([]byte, 512)
	n, err := f.ReadAt(b, 0)
	if n == 0 {
		return h, err
	}
	lines := strings.SplitN(string(b[:n]), "\n", 4)
	if len(lines) < 3 {
		return h, nil
	}
	h.PID, _ = strconv.Atoi(lines[0])
	h.Command = lines[1]
	h.Since, _ = time.Parse(time.RFC3339, lines[2])
	return h, nil
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}
