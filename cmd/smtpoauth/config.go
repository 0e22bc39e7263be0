package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/smtpoauth/smtpoauth/store"
)

// dataFlags are the flags every command that touches the database shares.
type dataFlags struct {
	dataDir   string
	logFormat string
}

func (d *dataFlags) register(fs *flag.FlagSet, getenv func(string) string) {
	fs.StringVar(&d.dataDir, "data-dir", envOr(getenv, "SMTPOAUTH_DATA_DIR", "./data"), "data folder for the database and the generated key (env SMTPOAUTH_DATA_DIR)")
	fs.StringVar(&d.logFormat, "log-format", envOr(getenv, "SMTPOAUTH_LOG_FORMAT", "text"), "log format: text or json (env SMTPOAUTH_LOG_FORMAT)")
}

// checkLogFormat refuses a log format other than text or json.
func (d *dataFlags) checkLogFormat() error {
	if d.logFormat != "text" && d.logFormat != "json" {
		return usageError("--log-format must be text or json, not %q", d.logFormat)
	}
	return nil
}

func (d *dataFlags) logger(w io.Writer) (*slog.Logger, error) {
	switch d.logFormat {
	case "text":
		return slog.New(slog.NewTextHandler(w, nil)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, nil)), nil
	}
	return nil, usageError("--log-format must be text or json, not %q", d.logFormat)
}

// lock takes the data folder's lock for holder, creating the folder if needed. Held by serve
// for its lifetime, it makes key rotate refuse while a console runs.
func (d *dataFlags) lock(holder string) (*store.Lock, error) {
	if err := os.MkdirAll(d.dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("data folder %s does not exist and cannot be created: %w", d.dataDir, err)
	}
	return store.LockDataDir(d.dataDir, holder)
}

// openStore loads the master key and opens the database, logging what a newcomer must know.
// e.store are the database's options: the defaults, except in tests.
func (d *dataFlags) openStore(ctx context.Context, e env, log *slog.Logger) (*store.DB, store.KeySource, error) {
	if err := os.MkdirAll(d.dataDir, 0o700); err != nil {
		return nil, store.KeySource{}, fmt.Errorf("data folder %s does not exist and cannot be created: %w", d.dataDir, err)
	}
	keys, src, err := store.LoadKeys(e.getenv, d.dataDir)
	if err != nil {
		return nil, src, err
	}
	if src.Generated {
		log.Warn("generated a new master key: back it up separately — a backup of the database alone is useless without it",
			"key_file", src.File, "key_id", keys.CurrentID())
	}
	db, err := store.OpenWith(ctx, filepath.Join(d.dataDir, store.FileName), keys, e.store)
	if err != nil {
		return nil, src, err
	}
	if src.File != "" {
		if done, err := db.CompletePendingRotation(src.File); err != nil {
			db.Close()
			return nil, src, err
		} else if done {
			log.Info("completed an interrupted key rotation", "key_id", db.Keys().CurrentID())
		}
	}
	log.Info("database open", "path", db.Path, "key_id", db.Keys().CurrentID(), "key_source", src.Description, "schema_version", store.SchemaVersion())
	return db, src, nil
}
