//go:build !(linux || darwin || freebsd || openbsd || netbsd || dragonfly)

package localdb

import "os"

// tryLock: this platform has no flock, so the data folder is not guarded
// against a second process (docs/operations.md says so).
func tryLock(*os.File) (bool, error) { return true, nil }
