package store

import "context"

// Test hooks into unexported behaviour.

// MigrateTo applies migrations up to version limit on a fresh database file, for upgrade tests.
func OpenAtVersion(ctx context.Context, path string, limit int) error {
	if err := checkWritable(path); err != nil {
		return err
	}
	db := &DB{Path: path, opts: Options{}.withDefaults()}
	w, err := openWriter(path)
	if err != nil {
		return err
	}
	db.write = w
	defer w.Close()
	return db.migrateTo(ctx, limit)
}
