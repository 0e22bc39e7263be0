package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"os"
)

// ErrKeyRotated is returned when a secret would be sealed with a key that another process has
// retired by rotating since this one opened the database: the secret would be lost.
var ErrKeyRotated = errors.New("the master key was rotated while this command ran; nothing was saved: run it again")

// sealingKeyActive checks, inside the write transaction that is about to seal, that this
// process's key is still the database's: a `key rotate` by another process (while this one
// waited at a prompt, say) retires it, and a secret sealed with it could never be opened again.
// The transaction holds the write lock, so no rotation can commit between check and write.
func (db *DB) sealingKeyActive(ctx context.Context, tx *sql.Tx) error {
	var active int
	err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM master_keys WHERE id = ? AND retired_at IS NULL", db.keys.CurrentID()).Scan(&active)
	if err != nil {
		return err
	}
	if active == 0 {
		return ErrKeyRotated
	}
	return nil
}

// Rotate re-seals every secret under newKey in one transaction. Until it commits, the old key
// stays the one the database needs; after, the new one is. The old key is marked retired.
func (db *DB) Rotate(ctx context.Context, newKey []byte) (*Keyring, error) {
	next, err := db.keys.withCurrent(newKey)
	if err != nil {
		return nil, err
	}
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		type sealed struct {
			id          int64
			secret, key []byte
		}
		rows, err := tx.QueryContext(ctx, "SELECT id, secret_sealed, private_key_sealed FROM profiles")
		if err != nil {
			return err
		}
		var all []sealed
		for rows.Next() {
			var s sealed
			if err := rows.Scan(&s.id, &s.secret, &s.key); err != nil {
				rows.Close()
				return err
			}
			all = append(all, s)
		}
		rows.Close()
		for i, s := range all {
			if db.opts.RotateHook != nil {
				if err := db.opts.RotateHook(i); err != nil {
					return err
				}
			}
			for _, col := range []struct {
				name  string
				value []byte
			}{{"secret_sealed", s.secret}, {"private_key_sealed", s.key}} {
				if col.value == nil {
					continue
				}
				plain, err := db.keys.open(col.value, "profiles", col.name, s.id)
				if err != nil {
					return fmt.Errorf("profile %d: %w", s.id, err)
				}
				resealed, err := next.seal(plain, "profiles", col.name, s.id)
				clear(plain)
				if err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, "UPDATE profiles SET "+col.name+" = ? WHERE id = ?", resealed, s.id); err != nil {
					return err
				}
			}
		}
		if err := db.resealAlertSecret(ctx, tx, next); err != nil {
			return fmt.Errorf("alert webhook secret: %w", err)
		}
		if err := (&DB{keys: next, opts: db.opts}).recordKey(ctx, tx, next.keys[0]); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "UPDATE master_keys SET retired_at = ? WHERE id != ? AND retired_at IS NULL", db.now(), next.CurrentID())
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("key rotation rolled back, the old key %s is still the database's key: %w", db.keys.CurrentID(), err)
	}
	db.keys = next
	return next, nil
}

// CompletePendingRotation finishes a rotation that committed but crashed before renaming
// master.key.new over master.key. It reports whether there was one to finish.
func (db *DB) CompletePendingRotation(keyFile string) (bool, error) {
	pending := keyFile + ".new"
	key, err := readKeyFile(pending)
	if err != nil {
		return false, nil
	}
	if db.keys.CurrentID() != KeyID(key) {
		// The rotation never committed: the pending key is useless.
		return false, os.Remove(pending)
	}
	return true, os.Rename(pending, keyFile)
}

// NewKey returns a fresh random master key.
func NewKey() []byte {
	k := make([]byte, KeySize)
	if _, err := rand.Read(k); err != nil {
		panic(err)
	}
	return k
}

// RotateKeyFile rotates a database whose key lives in the data folder: the new key is written to
// master.key.new first, the database re-sealed, then the file renamed over master.key. A crash at
// any point leaves a key that opens the database: before the commit the old file, after it the
// .new file, which LoadKeys also loads.
func (db *DB) RotateKeyFile(ctx context.Context, keyFile string) (string, error) {
	newKey := NewKey()
	pending := keyFile + ".new"
	os.Remove(pending) // a leftover from a rotation that never committed
	if err := writeKeyFile(pending, newKey); err != nil {
		return "", err
	}
	kr, err := db.Rotate(ctx, newKey)
	if err != nil {
		os.Remove(pending)
		return "", err
	}
	if err := os.Rename(pending, keyFile); err != nil {
		return "", fmt.Errorf("the database now uses key %s, stored in %s; renaming it to %s failed: %w", kr.CurrentID(), pending, keyFile, err)
	}
	return kr.CurrentID(), nil
}
