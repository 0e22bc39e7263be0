package queue

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"

	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

// Migrate creates or updates River's tables (river_job, river_queue, …, and its own
// river_migration record) in the database behind db. The store calls it when it opens, after
// the product's migrations, on its writer connection. log may be nil.
func Migrate(ctx context.Context, db *sql.DB, log *slog.Logger) error {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m, err := rivermigrate.New(riversqlite.New(db), &rivermigrate.Config{Logger: quietLogger(log)})
	if err != nil {
		return fmt.Errorf("job queue tables: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("job queue tables: %w", err)
	}
	return nil
}
