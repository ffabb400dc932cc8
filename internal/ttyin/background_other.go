//go:build !unix

package ttyin

import (
	"os"
	"time"
)

// DefaultQueryWait bounds Background.
const DefaultQueryWait = 100 * time.Millisecond

// Background does not ask on this system: the caller keeps its default.
func Background(in, out *os.File, wait time.Duration) (dark, answered bool) { return false, false }
