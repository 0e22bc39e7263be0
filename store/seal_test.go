package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/smtpoauth/smtpoauth/store"
)

// rawDB opens the same file without the store, as an attacker with the file would.
func rawDB(tb testing.TB, path string) *sql.DB {
	tb.Helper()
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { raw.Close() })
	return raw
}

func TestSealedSecrets(t *testing.T) {
	ctx := context.Background()
	setup := func(t *testing.T) (*store.DB, *sql.DB, *store.Profile, *store.Profile) {
		path := filepath.Join(t.TempDir(), store.FileName)
		db := MustOpenDBAt(t, path, testKey)
		a := MustCreateProfile(t, db, validInput())
		in := validInput()
		in.Name, in.Secret = "Second", "Second-secret-value-xyz"
		b := MustCreateProfile(t, db, in)
		return db, rawDB(t, path), a, b
	}

	t.Run("ErrTampered", func(t *testing.T) {
		db, raw, a, _ := setup(t)
		var sealed []byte
		raw.QueryRow("SELECT secret_sealed FROM profiles WHERE id = ?", a.ID).Scan(&sealed)
		sealed[len(sealed)-1] ^= 1
		raw.Exec("UPDATE profiles SET secret_sealed = ? WHERE id = ?", sealed, a.ID)
		_, err := db.Credential(ctx, a.ID)
		if !errors.Is(err, store.ErrSealed) || !strings.Contains(err.Error(), "altered") {
			t.Fatalf("got %v, want ErrSealed saying it was altered", err)
		}
	})
	t.Run("ErrTruncated", func(t *testing.T) {
		db, raw, a, _ := setup(t)
		for _, v := range [][]byte{{}, {1}, {1, 200}, {1, 12, 'a'}, {9, 0}} {
			raw.Exec("UPDATE profiles SET secret_sealed = ? WHERE id = ?", v, a.ID)
			if _, err := db.Credential(ctx, a.ID); !errors.Is(err, store.ErrSealed) {
				t.Fatalf("value %v: got %v, want ErrSealed (and no panic)", v, err)
			}
		}
	})
	t.Run("ErrSwappedRows", func(t *testing.T) {
		db, raw, a, b := setup(t)
		var sealedB []byte
		raw.QueryRow("SELECT secret_sealed FROM profiles WHERE id = ?", b.ID).Scan(&sealedB)
		raw.Exec("UPDATE profiles SET secret_sealed = ? WHERE id = ?", sealedB, a.ID)
		if _, err := db.Credential(ctx, a.ID); !errors.Is(err, store.ErrSealed) {
			t.Fatalf("got %v, want ErrSealed for a ciphertext copied from another row", err)
		}
	})
	t.Run("ErrSwappedColumns", func(t *testing.T) {
		db, raw, a, _ := setup(t)
		raw.Exec("UPDATE profiles SET private_key_sealed = secret_sealed, credential_kind = 'certificate', certificate_pem = 'x' WHERE id = ?", a.ID)
		if _, err := db.Credential(ctx, a.ID); !errors.Is(err, store.ErrSealed) {
			t.Fatalf("got %v, want ErrSealed for a ciphertext moved to another column", err)
		}
	})
	t.Run("FileNeverHoldsPlaintext", func(t *testing.T) {
		db, _, _, _ := setup(t)
		db.Close()
		for _, suffix := range []string{"", "-wal"} {
			b, err := os.ReadFile(db.Path + suffix)
			if err != nil && suffix == "" {
				t.Fatal(err)
			}
			for _, secret := range []string{validInput().Secret, "Second-secret-value-xyz"} {
				if bytes.Contains(b, []byte(secret)) {
					t.Fatalf("%s contains a secret in plaintext", db.Path+suffix)
				}
			}
		}
	})
}

func TestOpen_WrongKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), store.FileName)
	db := MustOpenDBAt(t, path, testKey)
	MustCreateProfile(t, db, validInput())
	db.Close()
	other, _ := store.NewKeyring(bytes.Repeat([]byte{7}, 32))
	_, err := store.Open(context.Background(), path, other)
	if err == nil || !strings.Contains(err.Error(), store.KeyID(testKey)) || !strings.Contains(err.Error(), "does not fit") {
		t.Fatalf("got %v, want a refusal naming key %s", err, store.KeyID(testKey))
	}
}

func TestLoadKeys(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	t.Run("GeneratedOnFirstStart", func(t *testing.T) {
		dir := t.TempDir()
		kr, src, err := store.LoadKeys(env(nil), dir)
		if err != nil || !src.Generated {
			t.Fatalf("got %v, generated=%v", err, src.Generated)
		}
		fi, err := os.Stat(filepath.Join(dir, store.KeyFileName))
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("key file mode %v (%v), want 0600", fi.Mode().Perm(), err)
		}
		again, src2, _ := store.LoadKeys(env(nil), dir)
		if src2.Generated || again.CurrentID() != kr.CurrentID() {
			t.Fatal("second start generated another key")
		}
	})
	t.Run("FromEnvironment", func(t *testing.T) {
		kr, src, err := store.LoadKeys(env(map[string]string{"SMTPOAUTH_MASTER_KEY": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="}), t.TempDir())
		if err != nil || kr.CurrentID() != store.KeyID(testKey) || src.Description != "SMTPOAUTH_MASTER_KEY" {
			t.Fatalf("got %v %v", src, err)
		}
	})
	t.Run("FromFile", func(t *testing.T) {
		f := filepath.Join(t.TempDir(), "key")
		os.WriteFile(f, []byte("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=\n"), 0o600)
		kr, _, err := store.LoadKeys(env(map[string]string{"SMTPOAUTH_MASTER_KEY_FILE": f}), t.TempDir())
		if err != nil || kr.CurrentID() != store.KeyID(testKey) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ErrShortKey", func(t *testing.T) {
		_, _, err := store.LoadKeys(env(map[string]string{"SMTPOAUTH_MASTER_KEY": "c2hvcnQ="}), t.TempDir())
		if err == nil || !strings.Contains(err.Error(), "want 32") {
			t.Fatalf("got %v, want a length error", err)
		}
	})
}

func TestRotate(t *testing.T) {
	ctx := context.Background()
	t.Run("ErrKeyRotatedForAProcessStillOnTheOldKey", func(t *testing.T) {
		// A is a `profile add` waiting at its prompt; B is `key rotate` meanwhile.
		path := filepath.Join(t.TempDir(), store.FileName)
		a := MustOpenDBAt(t, path, testKey)
		b := MustOpenDBAt(t, path, testKey)
		newKey := store.NewKey()
		if _, err := b.Rotate(ctx, newKey); err != nil {
			t.Fatal(err)
		}
		if _, err := a.CreateProfile(ctx, validInput(), "tester"); !errors.Is(err, store.ErrKeyRotated) || !strings.Contains(err.Error(), "run it again") {
			t.Fatalf("saving a secret under the retired key: got %v, want ErrKeyRotated", err)
		}
		// Nothing was saved that the new key could not open.
		after := MustOpenDBAt(t, path, newKey)
		if ps, _ := after.Profiles(ctx, ""); len(ps) != 0 {
			t.Fatalf("%d profiles saved under the retired key", len(ps))
		}
	})
	t.Run("OK", func(t *testing.T) {
		dir := t.TempDir()
		kr, src, _ := store.LoadKeys(func(string) string { return "" }, dir)
		db, err := store.Open(ctx, filepath.Join(dir, store.FileName), kr)
		if err != nil {
			t.Fatal(err)
		}
		p := MustCreateProfile(t, db, validInput())
		oldID := kr.CurrentID()
		newID, err := db.RotateKeyFile(ctx, src.File)
		if err != nil || newID == oldID {
			t.Fatalf("rotate: %v (new %s, old %s)", err, newID, oldID)
		}
		db.Close()
		kr2, _, _ := store.LoadKeys(func(string) string { return "" }, dir)
		db2, err := store.Open(ctx, filepath.Join(dir, store.FileName), kr2)
		if err != nil {
			t.Fatalf("reopen with the rotated key: %v", err)
		}
		defer db2.Close()
		if cred, err := db2.Credential(ctx, p.ID); err != nil || cred.Secret != validInput().Secret {
			t.Fatalf("secret after rotation: %v", err)
		}
	})
	t.Run("CrashHalfwayLosesNothing", func(t *testing.T) {
		dir := t.TempDir()
		kr, src, _ := store.LoadKeys(func(string) string { return "" }, dir)
		path := filepath.Join(dir, store.FileName)
		crash := func(o *store.Options) {
			o.RotateHook = func(row int) error {
				if row == 2 {
					return errors.New("simulated crash")
				}
				return nil
			}
		}
		db, _ := store.OpenWith(ctx, path, kr, testOptions(crash))
		var ids []int64
		for _, name := range []string{"a", "b", "c"} {
			in := validInput()
			in.Name = name
			ids = append(ids, MustCreateProfile(t, db, in).ID)
		}
		if _, err := db.RotateKeyFile(ctx, src.File); err == nil {
			t.Fatal("rotation with a crash halfway reported success")
		}
		db.Close()
		kr2, _, _ := store.LoadKeys(func(string) string { return "" }, dir)
		db2, err := store.Open(ctx, path, kr2)
		if err != nil {
			t.Fatalf("reopen after failed rotation: %v", err)
		}
		defer db2.Close()
		for _, id := range ids {
			if cred, err := db2.Credential(ctx, id); err != nil || cred.Secret != validInput().Secret {
				t.Fatalf("profile %d after failed rotation: %v", id, err)
			}
		}
	})
	t.Run("CrashAfterCommitBeforeRename", func(t *testing.T) {
		dir := t.TempDir()
		kr, src, _ := store.LoadKeys(func(string) string { return "" }, dir)
		path := filepath.Join(dir, store.FileName)
		db, _ := store.Open(ctx, path, kr)
		p := MustCreateProfile(t, db, validInput())
		// Do what RotateKeyFile does, but stop before the rename.
		newKey := store.NewKey()
		os.WriteFile(src.File+".new", []byte(base64Key(newKey)), 0o600)
		if _, err := db.Rotate(ctx, newKey); err != nil {
			t.Fatal(err)
		}
		db.Close()
		kr2, _, _ := store.LoadKeys(func(string) string { return "" }, dir)
		db2, err := store.Open(ctx, path, kr2)
		if err != nil {
			t.Fatalf("reopen: %v", err)
		}
		defer db2.Close()
		if done, err := db2.CompletePendingRotation(src.File); !done || err != nil {
			t.Fatalf("pending rotation not completed: %v %v", done, err)
		}
		if cred, err := db2.Credential(ctx, p.ID); err != nil || cred.Secret != validInput().Secret {
			t.Fatalf("secret: %v", err)
		}
		if kr3, _, _ := store.LoadKeys(func(string) string { return "" }, dir); kr3.CurrentID() != store.KeyID(newKey) {
			t.Fatal("master.key is not the new key after completion")
		}
	})
}
