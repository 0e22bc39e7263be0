//go:build linux || darwin

package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// LockFileName is the advisory lock file in the data folder: the console holds it while it
// runs, and a key rotation refuses to start while anyone else holds it.
const LockFileName = "smtpoauth.lock"

// Lock is an exclusive advisory lock on the data folder, released when the process ends.
type Lock struct{ f *os.File }

// LockDataDir takes the data folder's lock without waiting. holder ("serve", "key rotate") is
// written into the file, so that whoever is refused learns who holds it.
func LockDataDir(dir, holder string) (*Lock, error) {
	path := filepath.Join(dir, LockFileName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock file %s cannot be opened: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		b, _ := os.ReadFile(path)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			who := strings.TrimSpace(string(b))
			if who == "" {
				who = "another smtpoauth process"
			}
			return nil, fmt.Errorf("the data folder %s is in use by %s (it holds the lock %s): stop it first", dir, who, path)
		}
		return nil, fmt.Errorf("locking %s: %w", path, err)
	}
	// Best effort: the note only makes the refusal above more helpful.
	if err := f.Truncate(0); err == nil {
		fmt.Fprintf(f, "smtpoauth %s (process %d)\n", holder, os.Getpid())
	}
	return &Lock{f: f}, nil
}

// Release gives the lock up.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	return l.f.Close()
}

// freeBytes is the space left for an unprivileged writer on the file system holding dir.
func freeBytes(dir string) (uint64, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return 0, err
	}
	return uint64(st.Bavail) * uint64(st.Bsize), nil
}
