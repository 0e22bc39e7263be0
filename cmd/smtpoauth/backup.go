package main

import (
	"context"
	"fmt"
	"io"
)

func runBackup(ctx context.Context, args []string, e env) error {
	fs := newFlagSet("backup", "backup [--data-dir DIR] FILE\n\nWrites a consistent copy of the database, also while the console runs.\nThe master key is NOT in it: back up the key separately.", e)
	var data dataFlags
	data.register(fs, e.getenv)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError("backup needs exactly one FILE to write")
	}
	log, _ := data.logger(io.Discard)
	db, src, err := data.openStore(ctx, e, log)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, fs.Arg(0)); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Wrote %s. It is sealed with master key %s (%s): keep a copy of that key, the backup is useless without it.\n",
		fs.Arg(0), db.Keys().CurrentID(), src.Description)
	return nil
}
