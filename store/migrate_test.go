package store_test

import (
	"context"
	"encoding/base64"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smtpoauth/smtpoauth/store"
)

func base64Key(k []byte) string { return base64.StdEncoding.EncodeToString(k) }

func TestMigrations(t *testing.T) {
	ctx := context.Background()
	t.Run("Fresh", func(t *testing.T) {
		db := MustOpenDB(t)
		raw := rawDB(t, db.Path)
		var v int
		raw.QueryRow("SELECT MAX(version) FROM schema_migrations").Scan(&v)
		if v != store.SchemaVersion() {
			t.Fatalf("got schema version %d, want %d", v, store.SchemaVersion())
		}
	})
	// An upgrade from every earlier version keeps the data written at that version.
	for from := 1; from < store.SchemaVersion(); from++ {
		t.Run("UpgradeFromVersion"+string(rune('0'+from)), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), store.FileName)
			if err := store.OpenAtVersion(ctx, path, from); err != nil {
				t.Fatal(err)
			}
			raw := rawDB(t, path)
			_, err := raw.Exec(`INSERT INTO profiles (name, cloud, tenant, client_id, credential_kind, mailbox, created_at, created_by, updated_at, updated_by)
				VALUES ('Old profile', 'global', 'contoso.onmicrosoft.com', '11111111-aaaa-4bbb-8ccc-000000000001', 'secret', 'old@contoso.com', '2025-01-01T00:00:00Z', 'old', '2025-01-01T00:00:00Z', 'old')`)
			if err != nil {
				t.Fatal(err)
			}
			raw.Close()
			db := MustOpenDBAt(t, path, testKey)
			p, err := db.ProfileByName(ctx, "Old profile")
			if err != nil || p.Mailbox != "old@contoso.com" {
				t.Fatalf("profile after upgrade: %+v %v", p, err)
			}
		})
	}
	t.Run("ErrNewerSchema", func(t *testing.T) {
		db := MustOpenDB(t)
		path := db.Path
		db.Close()
		raw := rawDB(t, path)
		raw.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, '0099_future.sql', 'now')")
		raw.Close()
		kr, _ := store.NewKeyring(testKey)
		_, err := store.Open(ctx, path, kr)
		if err == nil || !strings.Contains(err.Error(), "newer smtpoauth") || !strings.Contains(err.Error(), "99") {
			t.Fatalf("got %v, want a refusal naming the newer schema", err)
		}
	})
	// A database another build migrated (its 0007 was another file) is refused, untouched,
	// instead of skipping this build's 0007 and failing later.
	t.Run("ErrAppliedByAnotherBuild", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), store.FileName)
		if err := store.OpenAtVersion(ctx, path, 2); err != nil {
			t.Fatal(err)
		}
		raw := rawDB(t, path)
		raw.Exec("UPDATE schema_migrations SET name = '0002_something_else.sql' WHERE version = 2")
		raw.Close()
		kr, _ := store.NewKeyring(testKey)
		_, err := store.Open(ctx, path, kr)
		if err == nil || !strings.Contains(err.Error(), "0002_something_else.sql") || !strings.Contains(err.Error(), "different build") {
			t.Fatalf("got %v, want a refusal naming both migrations", err)
		}
		raw = rawDB(t, path)
		defer raw.Close()
		var v int
		raw.QueryRow("SELECT MAX(version) FROM schema_migrations").Scan(&v)
		if v != 2 {
			t.Fatalf("schema version %d after the refusal, want 2 (untouched)", v)
		}
	})
	t.Run("ErrFolderNotWritable", func(t *testing.T) {
		kr, _ := store.NewKeyring(testKey)
		_, err := store.Open(ctx, "/proc/smtpoauth/nope/"+store.FileName, kr)
		if err == nil || !strings.Contains(err.Error(), "/proc/smtpoauth/nope") {
			t.Fatalf("got %v, want a message naming the path", err)
		}
	})
}
