package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/store"
)

func TestSetupToken_OnceAndExpiry(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	db := MustOpenDB(t, clockAt(&now))
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

func TestSetupToken_WrongTokenCostsNoHash(t *testing.T) {
	c := &hashCounter{}
	db := MustOpenDB(t, c.option)
	total, _ := c.start()
	if _, err := db.UseSetupToken(context.Background(), "no-such-token", "root", alicePassword); !errors.Is(err, store.ErrSetupLinkInvalid) {
		t.Fatalf("got %v", err)
	}
	if n := total(); n != 0 {
		t.Fatalf("a wrong setup link cost %d argon2 hashes, want 0", n)
	}
}

func TestSetupToken_OnlyNewestWorks(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	old, _ := db.CreateSetupToken(ctx, time.Hour)
	newest, _ := db.CreateSetupToken(ctx, time.Hour)
	if db.SetupTokenValid(ctx, old) {
		t.Fatal("an older setup link still works")
	}
	if _, err := db.UseSetupToken(ctx, old, "root", alicePassword); !errors.Is(err, store.ErrSetupLinkInvalid) {
		t.Fatalf("older link: got %v", err)
	}
	if _, err := db.UseSetupToken(ctx, newest, "root", alicePassword); err != nil {
		t.Fatalf("newest link: %v", err)
	}
}
