package store_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/store"
)

func TestMain(m *testing.M) {
	store.PasswordParams.Time, store.PasswordParams.Memory, store.PasswordParams.Threads = 1, 1024, 1
	os.Exit(m.Run())
}

func TestPasswordHash(t *testing.T) {
	h, err := store.HashPassword("a long enough passphrase")
	if err != nil || !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Fatalf("got %q %v", h, err)
	}
	if !store.VerifyPassword(h, "a long enough passphrase") || store.VerifyPassword(h, "a long enough passphrasE") || store.VerifyPassword("garbage", "x") {
		t.Fatal("VerifyPassword misjudges")
	}
	h2, _ := store.HashPassword("a long enough passphrase")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: no salt")
	}
}

func TestUsers(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	t.Run("ErrWeakPassword", func(t *testing.T) {
		for _, pw := range []string{"short", "password1234", "alice-is-great-123"} {
			var ve *store.ValidationError
			if _, err := db.CreateUser(ctx, "alice", pw, store.RoleAdmin); !errors.As(err, &ve) || ve.Fields["password"] == "" {
				t.Errorf("password %q: got %v", pw, err)
			}
		}
	})
	u, err := db.CreateUser(ctx, "alice", "a long enough passphrase", store.RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("ErrDuplicate", func(t *testing.T) {
		if _, err := db.CreateUser(ctx, "ALICE", "a long enough passphrase", store.RoleHelpdesk); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("Authenticate", func(t *testing.T) {
		if got, err := db.Authenticate(ctx, "Alice", "a long enough passphrase"); err != nil || got.ID != u.ID {
			t.Fatalf("got %v %v", got, err)
		}
		_, e1 := db.Authenticate(ctx, "alice", "wrong")
		_, e2 := db.Authenticate(ctx, "nobody", "wrong")
		if !errors.Is(e1, store.ErrBadCredentials) || !errors.Is(e2, store.ErrBadCredentials) || e1.Error() != e2.Error() {
			t.Fatalf("unknown user and wrong password differ: %v / %v", e1, e2)
		}
	})
	t.Run("ErrLastAdmin", func(t *testing.T) {
		if err := db.DeleteUser(ctx, u.ID); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("got %v", err)
		}
	})
}

func TestSessions_Timeouts(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	u, _ := db.CreateUser(ctx, "alice", "a long enough passphrase", store.RoleAdmin)
	policy := store.SessionPolicy{Idle: 30 * time.Minute, Absolute: 2 * time.Hour}
	tok, _ := db.CreateSession(ctx, u.ID)
	for i := range 5 { // active every 25 minutes: idle never runs out, absolute does
		now = now.Add(25 * time.Minute)
		_, err := db.SessionUser(ctx, tok, policy)
		if i < 4 && err != nil {
			t.Fatalf("session ended after %d active intervals: %v", i+1, err)
		}
		if i == 4 && err == nil {
			t.Fatal("session outlived its absolute timeout")
		}
	}
	tok2, _ := db.CreateSession(ctx, u.ID)
	now = now.Add(31 * time.Minute)
	if _, err := db.SessionUser(ctx, tok2, policy); err == nil {
		t.Fatal("session outlived its idle timeout")
	}
	tok3, _ := db.CreateSession(ctx, u.ID)
	db.SetPassword(ctx, u.ID, "a new long passphrase")
	if _, err := db.SessionUser(ctx, tok3, policy); err == nil {
		t.Fatal("a password change left sessions alive")
	}
}

func TestSetupToken_OnceAndExpiry(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	now := time.Now()
	db.Now = func() time.Time { return now }
	expired, _ := db.CreateSetupToken(ctx, time.Hour)
	now = now.Add(2 * time.Hour)
	if _, err := db.UseSetupToken(ctx, expired, "root", "a long enough passphrase"); !errors.Is(err, store.ErrSetupLinkInvalid) {
		t.Fatalf("expired token: got %v", err)
	}
	tok, _ := db.CreateSetupToken(ctx, time.Hour)
	if _, err := db.UseSetupToken(ctx, tok, "root", "a long enough passphrase"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.UseSetupToken(ctx, tok, "root2", "a long enough passphrase"); !errors.Is(err, store.ErrSetupLinkInvalid) {
		t.Fatalf("replayed token: got %v", err)
	}
}

func TestAuditLog_AppendOnly(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	db.Audit(ctx, store.AuditEntry{Actor: "alice", Action: "profile.created", Target: "x"})
	raw := rawDB(t, db.Path)
	if _, err := raw.Exec("UPDATE audit_log SET actor = 'mallory'"); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Fatalf("update: got %v", err)
	}
	if _, err := raw.Exec("DELETE FROM audit_log"); err == nil {
		t.Fatal("delete succeeded")
	}
	entries, _ := db.AuditLog(ctx, store.AuditFilter{Action: "profile."})
	if len(entries) != 1 || entries[0].Actor != "alice" {
		t.Fatalf("got %+v", entries)
	}
}

// An idle timeout of seconds keeps a user who is active more often than that signed in.
func TestSessions_ShortIdleKeepsActiveUsers(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	u, _ := db.CreateUser(ctx, "alice", "a long enough passphrase", store.RoleAdmin)
	policy := store.SessionPolicy{Idle: 30 * time.Second, Absolute: time.Hour}
	tok, _ := db.CreateSession(ctx, u.ID)
	for i := range 10 {
		now = now.Add(25 * time.Second)
		if _, err := db.SessionUser(ctx, tok, policy); err != nil {
			t.Fatalf("signed out after %d requests 25 s apart with a 30 s idle timeout: %v", i+1, err)
		}
	}
	now = now.Add(31 * time.Second)
	if _, err := db.SessionUser(ctx, tok, policy); err == nil {
		t.Fatal("the session outlived 31 s of idleness")
	}
}

// BenchmarkSessionUser is the lookup every signed-in request makes (session, then user).
func BenchmarkSessionUser(b *testing.B) {
	ctx := context.Background()
	db := MustOpenDB(b)
	u, err := db.CreateUser(ctx, "alice", "a long enough passphrase", store.RoleAdmin)
	if err != nil {
		b.Fatal(err)
	}
	tok, _ := db.CreateSession(ctx, u.ID)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := db.SessionUser(ctx, tok, store.DefaultSessionPolicy); err != nil {
			b.Fatal(err)
		}
	}
}
