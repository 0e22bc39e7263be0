package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// keyCheckAD is the associated data of the check value each key seals when it is first used.
var keyCheckAD = []byte("smtpoauth/v1\x00master_keys\x00check_value")

const keyCheckPlain = "smtpoauth master key check"

// checkKeys proves at start-up that the keyring opens this database: every key the database
// lists as active must be loaded and open its check value. A new database records the current key.
func (db *DB) checkKeys(ctx context.Context) error {
	rows, err := db.read.QueryContext(ctx, "SELECT id, check_value FROM master_keys WHERE retired_at IS NULL ORDER BY created_at")
	if err != nil {
		return fmt.Errorf("database %s: reading master keys: %w", db.Path, err)
	}
	type row struct {
		id    string
		check []byte
	}
	var active []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.id, &r.check); err != nil {
			rows.Close()
			return err
		}
		active = append(active, r)
	}
	rows.Close()
	if len(active) == 0 {
		return db.inTx(ctx, func(tx *sql.Tx) error { return db.recordKey(ctx, tx, db.keys.keys[0]) })
	}
	for _, r := range active {
		k, ok := db.keys.byID(r.id)
		if !ok {
			return fmt.Errorf("the master key does not fit database %s: its secrets are sealed with key %s, but the key loaded is %s. "+
				"Set SMTPOAUTH_MASTER_KEY or SMTPOAUTH_MASTER_KEY_FILE to key %s, or restore master.key in the data folder",
				db.Path, r.id, db.keys.CurrentID(), r.id)
		}
		if plain, err := db.keys.openAD(r.check, keyCheckAD, "the key check value"); err != nil || string(plain) != keyCheckPlain {
			return fmt.Errorf("master key %s does not open the check value in database %s: the key or the database is damaged", k.id, db.Path)
		}
	}
	// After a rotation that committed but did not rename its key file, the database's key is the
	// pending one: new secrets must be sealed with it.
	db.keys.makeCurrent(active[len(active)-1].id)
	return nil
}

func (db *DB) recordKey(ctx context.Context, tx *sql.Tx, k masterKey) error {
	check, err := db.keys.sealWith(k, []byte(keyCheckPlain), keyCheckAD)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, "INSERT INTO master_keys (id, check_value, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING", k.id, check, db.now())
	return err
}

// KeySource says where the master key came from, for the log.
type KeySource struct {
	// Description is "SMTPOAUTH_MASTER_KEY", "file /run/secrets/key" or "data folder file …".
	Description string
	// Generated is true when the key was created on this start.
	Generated bool
	// File is the key file in the data folder, when the key lives there (rotation rewrites it).
	File string
}

// KeyFileName is the generated key's name in the data folder.
const KeyFileName = "master.key"

// LoadKeys finds the master key: SMTPOAUTH_MASTER_KEY (base64), SMTPOAUTH_MASTER_KEY_FILE, or the
// data folder's master.key, generated with mode 0600 when nothing else exists. A pending rotation's
// new key (master.key.new) is loaded too, so a crash between commit and rename loses nothing.
func LoadKeys(getenv func(string) string, dataDir string) (*Keyring, KeySource, error) {
	if v := getenv("SMTPOAUTH_MASTER_KEY"); v != "" {
		key, err := decodeKey(v)
		if err != nil {
			return nil, KeySource{}, fmt.Errorf("SMTPOAUTH_MASTER_KEY: %w", err)
		}
		kr, err := NewKeyring(key)
		return kr, KeySource{Description: "SMTPOAUTH_MASTER_KEY"}, err
	}
	if path := getenv("SMTPOAUTH_MASTER_KEY_FILE"); path != "" {
		key, err := readKeyFile(path)
		if err != nil {
			return nil, KeySource{}, fmt.Errorf("SMTPOAUTH_MASTER_KEY_FILE: %w", err)
		}
		kr, err := NewKeyring(key)
		return kr, KeySource{Description: "file " + path}, err
	}
	path := filepath.Join(dataDir, KeyFileName)
	src := KeySource{Description: "data folder file " + path, File: path}
	key, err := readKeyFile(path)
	if errors.Is(err, os.ErrNotExist) {
		// A database that already holds sealed values needs its own key: a new one would only
		// be refused later, and would leave a useless key file that looks like the real one.
		if err := refuseNewKey(filepath.Join(dataDir, FileName), path); err != nil {
			return nil, src, err
		}
		key, err = generateKeyFile(path)
		src.Generated = true
	}
	if err != nil {
		return nil, src, err
	}
	keys := [][]byte{key}
	if pending, err := readKeyFile(path + ".new"); err == nil {
		keys = append(keys, pending)
	}
	kr, err := NewKeyring(keys...)
	return kr, src, err
}

func decodeKey(s string) ([]byte, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil {
		return nil, errors.New("not valid base64 (generate one with: head -c 32 /dev/urandom | base64)")
	}
	if len(key) != KeySize {
		return nil, fmt.Errorf("decodes to %d bytes, want %d (generate one with: head -c 32 /dev/urandom | base64)", len(key), KeySize)
	}
	return key, nil
}

// maxKeyFileBytes bounds a master key file: a key is 32 bytes, or 44 in base64 with a newline.
const maxKeyFileBytes = 4 << 10

// readKeyFile reads a master key file: a regular file of at most maxKeyFileBytes. A FIFO would
// block the start, a device such as /dev/zero would fill the memory.
func readKeyFile(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file: a master key file holds the key itself", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxKeyFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxKeyFileBytes {
		return nil, fmt.Errorf("%s is larger than %d KiB: it cannot be a master key file", path, maxKeyFileBytes>>10)
	}
	if len(b) == KeySize {
		return b, nil
	}
	key, err := decodeKey(string(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return key, nil
}

// generateKeyFile creates a new random key file; O_EXCL so two starting processes cannot race.
func generateKeyFile(path string) ([]byte, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("data folder %s does not exist and cannot be created: %w", filepath.Dir(path), err)
	}
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	if err := writeKeyFile(path, key); err != nil {
		return nil, err
	}
	return key, nil
}

func writeKeyFile(path string, key []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("writing master key %s: %w", path, err)
	}
	_, err = f.WriteString(base64.StdEncoding.EncodeToString(key) + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// refuseNewKey fails when the database at dbPath already names a key, in its check values or
// in its sealed secrets, so that no key file is written for a database it cannot open.
func refuseNewKey(dbPath, keyFile string) error {
	if _, err := os.Stat(dbPath); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	ids, err := sealedKeyIDs(context.Background(), dbPath)
	if err != nil {
		return fmt.Errorf("master key %s does not exist, and database %s cannot be read to tell whether it needs one: %w; nothing was written",
			keyFile, dbPath, err)
	}
	if len(ids) == 0 {
		return nil
	}
	return fmt.Errorf("no master key: %s does not exist and neither SMTPOAUTH_MASTER_KEY nor SMTPOAUTH_MASTER_KEY_FILE is set, "+
		"but database %s holds secrets sealed with key %s. Restore master.key from your backup of it, or set SMTPOAUTH_MASTER_KEY "+
		"or SMTPOAUTH_MASTER_KEY_FILE to that key; nothing was written", keyFile, dbPath, strings.Join(ids, ", "))
}

// sealedKeyIDs lists the keys a database depends on: its active check values and the key IDs
// inside its sealed secrets. It opens the file read-only and changes nothing.
func sealedKeyIDs(ctx context.Context, path string) ([]string, error) {
	conn, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	var tables int
	if err := conn.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('master_keys', 'profiles')").Scan(&tables); err != nil {
		return nil, err
	}
	if tables < 2 {
		return nil, nil // an empty file or one that was never migrated: nothing is sealed yet
	}
	rows, err := conn.QueryContext(ctx, `SELECT id FROM master_keys WHERE retired_at IS NULL
		UNION ALL SELECT secret_sealed FROM profiles WHERE secret_sealed IS NOT NULL
		UNION ALL SELECT private_key_sealed FROM profiles WHERE private_key_sealed IS NOT NULL`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	seen := map[string]bool{}
	var ids []string
	for rows.Next() {
		var v []byte
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		id := string(v)
		// A sealed value carries its key ID after a version byte and a length byte.
		if len(v) >= 2 && v[0] == sealVersion && len(v) >= 2+int(v[1]) && int(v[1]) > 0 {
			id = string(v[2 : 2+int(v[1])])
		}
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids, rows.Err()
}
