package store

import "context"

// Test hooks into unexported behaviour.

// MigrateTo applies migrations up to version limit on a fresh database file, for upgrade tests.
func OpenAtVersion(ctx context.Context, path string, limit int) error {
	if err := checkWritable(path); err != nil {
		return err
	}
	db := &DB{Path: path}
	w, err := openWriter(path)
	if err != nil {
		return err
	}
	db.write = w
	db.Now = nowFunc
	defer w.Close()
	return db.migrateTo(ctx, limit)
}

// SetRotateHook makes Rotate call f before re-sealing each row.
func SetRotateHook(f func(row int) error) { rotateHook = f }

// SetHashHook makes every argon2 computation call f first.
func SetHashHook(f func()) { hashHook = f }
