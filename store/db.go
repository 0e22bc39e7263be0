// Package store keeps profiles and test runs in one SQLite file, with every secret sealed.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/smtpoauth/smtpoauth/store/queue"

	_ "modernc.org/sqlite" // pure-Go SQLite driver: the binary builds with CGO_ENABLED=0
)

// DB is the store. Writes go through one connection, so SQLite never answers "database is
// locked" to a request; reads use a small pool that WAL lets run beside the writer.
type DB struct {
	Path  string
	write *sql.DB
	read  *sql.DB
	keys  *Keyring
	// opts are fixed by Open; their zero fields already filled with the defaults.
	opts Options
	// hashSlots bounds the argon2 hashes running at once; hashWait is how long a hash waits for
	// a slot before the request is refused as busy.
	hashSlots chan struct{}
	hashWait  time.Duration
	// dummy is the hash checked for unknown users, made once (see dummyHash).
	dummyOnce sync.Once
	dummy     string
	// hot holds the read statements every signed-in request runs, prepared once.
	hot *stmtCache
	// throttleSeen holds the back-off windows whose refusal was reported, until they end.
	throttleMu   sync.Mutex
	throttleSeen map[string]time.Time
}

// FileName is the database's name inside the data folder.
const FileName = "smtpoauth.db"

func dsn(path string, readOnly bool) string {
	// busy_timeout first: it must be in force before the other pragmas touch the file.
	// secure_delete: a secret's old bytes are zeroed when it is replaced, not left in free space.
	q := "_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=secure_delete(1)&_txlock=immediate"
	if readOnly {
		q = "_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&mode=ro"
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q
}

// Open opens (creating if needed) the database at path with the default options; see OpenWith.
func Open(ctx context.Context, path string, keys *Keyring) (*DB, error) {
	return OpenWith(ctx, path, keys, Options{})
}

// OpenWith opens (creating if needed) the database at path, applies migrations and checks that
// the keyring holds the key the database's secrets were sealed with. opts are fixed from then on.
func OpenWith(ctx context.Context, path string, keys *Keyring, opts Options) (*DB, error) {
	if err := checkWritable(path); err != nil {
		return nil, err
	}
	w, err := openWriter(path)
	if err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	db := &DB{Path: path, write: w, keys: keys, opts: opts,
		hashSlots: make(chan struct{}, opts.HashLimit), hashWait: opts.HashWait}
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("opening database %s: %w", path, err)
	}
	if err := db.migrate(ctx); err != nil {
		w.Close()
		return nil, err
	}
	// River's tables live in the same file, created on the same single writer, so that a
	// backup holds the jobs with the data they refer to.
	if err := queue.Migrate(ctx, w, nil); err != nil {
		w.Close()
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	if err := db.backfillCertNotAfter(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("database %s: noting certificate expiry dates: %w", path, err)
	}
	r, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(4)
	db.read, db.hot = r, newStmtCache(r)
	if keys != nil {
		if err := db.checkKeys(ctx); err != nil {
			db.Close()
			return nil, err
		}
		if _, err := db.sealStrayKeys(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("database %s: sealing private keys kept in clear: %w", path, err)
		}
	}
	return db, nil
}

// openWriter opens the single writer connection.
func openWriter(path string) (*sql.DB, error) {
	w, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, fmt.Errorf("opening database %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	return w, nil
}

// checkWritable turns SQLite's terse "unable to open database file" into a message naming the path.
func checkWritable(path string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("data folder %s does not exist and cannot be created: %w", dir, err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("database file %s cannot be opened for writing: %w", path, err)
	}
	f.Close()
	probe, err := os.CreateTemp(dir, ".write-check-*")
	if err != nil {
		return fmt.Errorf("data folder %s is not writable (SQLite needs to create its journal there): %w", dir, err)
	}
	probe.Close()
	os.Remove(probe.Name())
	return nil
}

// Close closes the database; WAL content is checkpointed into the main file.
func (db *DB) Close() error {
	var errs []error
	if db.hot != nil {
		errs = append(errs, db.hot.close())
	}
	if db.read != nil {
		errs = append(errs, db.read.Close())
	}
	errs = append(errs, db.write.Close())
	return errors.Join(errs...)
}

// Ping answers whether the database can be read.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	return db.read.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// minFreeBytes is the free space below which the console reports itself not ready: a run's
// transcript and the WAL need room, and SQLite fails oddly on a full disk.
const minFreeBytes = 1 << 20

// Writable answers whether the console can save right now, for /readyz: it commits a one-row
// write, so a locked or busy database, a read-only file and a full disk all fail it. ctx
// bounds the wait for a lock held elsewhere.
func (db *DB) Writable(ctx context.Context) error {
	dir := filepath.Dir(db.Path)
	if free, err := freeBytes(dir); err == nil && free < minFreeBytes {
		return fmt.Errorf("the disk holding %s is full (%d bytes free)", dir, free)
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO heartbeat (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at", db.now())
		return err
	})
}

// Keys returns the keyring the database was opened with.
func (db *DB) Keys() *Keyring { return db.keys }

// Backup writes a consistent copy of the database to path while it is in use.
func (db *DB) Backup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("backup file %s already exists: choose a new name", path)
	}
	if _, err := db.write.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return fmt.Errorf("writing backup %s: %w", path, err)
	}
	return os.Chmod(path, 0o600)
}

const timeFormat = time.RFC3339Nano

func (db *DB) now() string { return db.clock().UTC().Format(timeFormat) }

// clock is the current time by the database's clock.
func (db *DB) clock() time.Time { return db.opts.Now() }

func parseTime(s sql.NullString) time.Time {
	if !s.Valid {
		return time.Time{}
	}
	t, _ := time.Parse(timeFormat, s.String)
	return t
}

// inTx runs f in a write transaction, rolled back on error so that nothing is half-written.
func (db *DB) inTx(ctx context.Context, f func(tx *sql.Tx) error) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := f(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Writer is the store's single writer connection, for a job queue that shares it instead of
// opening its own (see store/queue's Config.DB). Nothing else may write through it.
func (db *DB) Writer() *sql.DB { return db.write }
