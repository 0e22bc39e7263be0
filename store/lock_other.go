//go:build !(linux || darwin)

package store

// LockFileName is the advisory lock file in the data folder (unused on this system).
const LockFileName = "smtpoauth.lock"

// Lock is a no-op here: this system has no flock, so a key rotation cannot tell whether a
// console is running. Stop the console yourself before rotating.
type Lock struct{}

// LockDataDir always succeeds on systems without flock.
func LockDataDir(dir, holder string) (*Lock, error) { return &Lock{}, nil }

// Release does nothing.
func (l *Lock) Release() error { return nil }

// freeBytes is unknown here; the heartbeat write still catches a full disk.
func freeBytes(string) (uint64, error) { return 1 << 62, nil }
