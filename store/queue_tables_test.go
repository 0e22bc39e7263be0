package store_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/smtpoauth/smtpoauth/store/queue"
)

// TestOpenCreatesJobTables: opening the store creates River's tables in the same file, so a
// queue can run on it, and opening it again leaves them as they are.
func TestOpenCreatesJobTables(t *testing.T) {
	db := MustOpenDB(t)
	path := db.Path
	db.Close()
	MustOpenDBAt(t, path, testKey).Close() // the second open finds them in place
	raw, err := sql.Open("sqlite", queue.DSN(path))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, table := range []string{"river_job", "river_queue", "river_leader", "river_migration"} {
		var n int
		if err := raw.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?", table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("got no table %s after Open", table)
		}
	}
}
