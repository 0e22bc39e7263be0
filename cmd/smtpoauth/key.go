package main

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"os"

	"github.com/smtpoauth/smtpoauth/store"
)

func runKey(ctx context.Context, args []string, e env) error {
	if len(args) == 0 || args[0] != "rotate" {
		return usageError("usage: smtpoauth key rotate [--data-dir DIR] [--new-key-file FILE]")
	}
	fs := newFlagSet("key rotate", "key rotate [--data-dir DIR] [--new-key-file FILE]\n\nRe-seals every stored secret under a new master key in one transaction.\nStop the console first: key rotate refuses while a console holds the data folder's lock\n(smtpoauth.lock). Start the console again afterwards; it loads the new key.", e)
	var data dataFlags
	data.register(fs, e.getenv)
	newKeyFile := fs.String("new-key-file", "", "where to write the new key when the current one comes from SMTPOAUTH_MASTER_KEY(_FILE)")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	// A running console keeps the old key in memory and would seal new secrets with it.
	lock, err := data.lock("key rotate")
	if err != nil {
		return fmt.Errorf("key rotate needs the console stopped: %w", err)
	}
	defer lock.Release()
	log, _ := data.logger(io.Discard)
	db, src, err := data.openStore(ctx, e, log)
	if err != nil {
		return err
	}
	defer db.Close()
	oldID := db.Keys().CurrentID()
	if src.File != "" {
		newID, err := db.RotateKeyFile(ctx, src.File)
		if err != nil {
			return err
		}
		db.Audit(ctx, store.AuditEntry{Actor: cliActor(), Action: "key.rotated", Target: newID, Detail: "from " + oldID})
		fmt.Fprintf(e.stdout, "Rotated the master key from %s to %s; %s holds the new key. Back it up now.\n", oldID, newID, src.File)
		return nil
	}
	if *newKeyFile == "" {
		return usageError("the master key comes from %s: give --new-key-file FILE for the new key, then point the console at it", src.Description)
	}
	key := store.NewKey()
	f, err := os.OpenFile(*newKeyFile, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("--new-key-file: %w", err)
	}
	fmt.Fprintln(f, base64.StdEncoding.EncodeToString(key))
	if err := f.Close(); err != nil {
		return err
	}
	kr, err := db.Rotate(ctx, key)
	if err != nil {
		os.Remove(*newKeyFile)
		return err
	}
	db.Audit(ctx, store.AuditEntry{Actor: cliActor(), Action: "key.rotated", Target: kr.CurrentID(), Detail: "from " + oldID})
	fmt.Fprintf(e.stdout, "Rotated the master key from %s to %s, written to %s. Set SMTPOAUTH_MASTER_KEY_FILE=%s (or its content as SMTPOAUTH_MASTER_KEY) before the next start.\n",
		oldID, kr.CurrentID(), *newKeyFile, *newKeyFile)
	return nil
}
