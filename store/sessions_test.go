package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/store"
)

func TestSessions_Timeouts(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	db := MustOpenDB(t, clockAt(&now))
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

// An idle timeout of seconds keeps a user who is active more often than that signed in.
func TestSessions_ShortIdleKeepsActiveUsers(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	db := MustOpenDB(t, clockAt(&now))
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
