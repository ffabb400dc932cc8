//go:build !unix

package ttyin

import (
	"io"
	"os"
)

// Wrap returns f itself: on Windows bubbletea reads console events, not
// bytes, and has no 256-byte boundary to fix.
func Wrap(f *os.File) io.Reader { return f }
