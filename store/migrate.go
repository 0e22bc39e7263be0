package store

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"

	"github.com/smtpoauth/smtpoauth/migrations"
)

type migration struct {
	version int
	name    string
	sql     string
}

func loadMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []migration
	for i, name := range names {
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v != i+1 {
			return nil, fmt.Errorf("migration %s: want the number %04d (files are numbered without gaps)", name, i+1)
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: name, sql: string(body)})
	}
	return out, nil
}

// SchemaVersion is the number of migrations this build knows.
func SchemaVersion() int {
	ms, _ := loadMigrations(migrations.FS)
	return len(ms)
}

func (db *DB) migrate(ctx context.Context) error {
	return db.migrateTo(ctx, -1)
}

// migrateTo applies migrations up to version limit (-1: all). Tests use a limit to build a
// database of an earlier schema version.
func (db *DB) migrateTo(ctx context.Context, limit int) error {
	ms, err := loadMigrations(migrations.FS)
	if err != nil {
		return err
	}
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("database %s: %w", db.Path, err)
	}
	var current int
	if err := db.write.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&current); err != nil {
		return fmt.Errorf("database %s: reading schema version: %w", db.Path, err)
	}
	if current > len(ms) {
		return fmt.Errorf("database %s has schema version %d, written by a newer smtpoauth; this build knows up to version %d. "+
			"Run the newer smtpoauth, or restore a backup made with this version; the database was left untouched", db.Path, current, len(ms))
	}
	if err := db.checkAppliedNames(ctx, ms); err != nil {
		return err
	}
	for _, m := range ms {
		if m.version <= current || (limit >= 0 && m.version > limit) {
			continue
		}
		err := db.inTx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", m.version, m.name, db.now())
			return err
		})
		if err != nil {
			return fmt.Errorf("database %s: applying migration %s: %w", db.Path, m.name, err)
		}
	}
	return nil
}

// checkAppliedNames refuses a database whose applied migrations are not this build's files of
// the same numbers: one written by another build (a branch whose migration was renumbered before
// it landed) would otherwise skip a migration silently and fail later in a confusing way.
func (db *DB) checkAppliedNames(ctx context.Context, ms []migration) error {
	rows, err := db.write.QueryContext(ctx, "SELECT version, name FROM schema_migrations ORDER BY version")
	if err != nil {
		return fmt.Errorf("database %s: reading applied migrations: %w", db.Path, err)
	}
	defer rows.Close()
	for rows.Next() {
		var version int
		var name string
		if err := rows.Scan(&version, &name); err != nil {
			return fmt.Errorf("database %s: reading applied migrations: %w", db.Path, err)
		}
		if version >= 1 && version <= len(ms) && ms[version-1].name != name {
			return fmt.Errorf("database %s applied %s as schema version %d, but this build's version %d is %s: "+
				"the database was written by a different build of smtpoauth. Restore a backup made with this version; "+
				"the database was left untouched", db.Path, name, version, version, ms[version-1].name)
		}
	}
	return rows.Err()
}
