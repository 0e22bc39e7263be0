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

func TestAPIToken(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	db := MustOpenDB(t, func(o *store.Options) { o.Now = func() time.Time { return now } })

	token, rec, err := db.CreateAPIToken(ctx, store.APITokenInput{Name: "prometheus", Role: store.RoleHelpdesk, Scopes: []string{"metrics", "api", "api"}, TTL: 90 * 24 * time.Hour}, "alice")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		if !strings.HasPrefix(token, store.TokenPrefix) || len(token) < 50 {
			t.Fatalf("token %q: want the prefix and 256 random bits", token)
		}
		if rec.Hint != token[len(token)-4:] || strings.Join(rec.Scopes, ",") != "api,metrics" || !rec.ExpiresAt.Equal(now.Add(90*24*time.Hour)) {
			t.Fatalf("record: %+v", rec)
		}
		got, err := db.LookupAPIToken(ctx, token)
		if err != nil || got.Name != "prometheus" || got.IsAdmin() || !got.HasScope(store.ScopeMetrics) {
			t.Fatalf("lookup: %+v %v", got, err)
		}
		if got, _ := db.APITokenByName(ctx, "prometheus"); !got.LastUsed.Equal(now) {
			t.Fatalf("last use not noted: %v", got.LastUsed)
		}
	})
	t.Run("OnlyHashStored", func(t *testing.T) {
		raw, _ := os.ReadFile(db.Path)
		wal, _ := os.ReadFile(db.Path + "-wal")
		secret := strings.TrimPrefix(token, store.TokenPrefix)
		if strings.Contains(string(raw)+string(wal), secret) {
			t.Fatal("the token is in the database file")
		}
	})
	t.Run("ErrUnknown", func(t *testing.T) {
		for _, tok := range []string{"", "smtpoauth_nope", token + "x", strings.TrimPrefix(token, store.TokenPrefix)} {
			if _, err := db.LookupAPIToken(ctx, tok); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("%q: got %v, want not found", tok, err)
			}
		}
	})
	t.Run("ErrExpired", func(t *testing.T) {
		now = now.Add(91 * 24 * time.Hour)
		defer func() { now = now.Add(-91 * 24 * time.Hour) }()
		got, err := db.LookupAPIToken(ctx, token)
		if !errors.Is(err, store.ErrTokenUnusable) || got == nil || got.Name != "prometheus" {
			t.Fatalf("got %v %v, want unusable with its name", got, err)
		}
	})
	t.Run("ErrRevoked", func(t *testing.T) {
		tok2, rec2, err := db.CreateAPIToken(ctx, store.APITokenInput{Name: "script", Role: store.RoleAdmin, Scopes: []string{"api"}}, "alice")
		if err != nil || !rec2.ExpiresAt.IsZero() {
			t.Fatal(err, rec2)
		}
		if err := db.RevokeAPIToken(ctx, rec2.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.LookupAPIToken(ctx, tok2); !errors.Is(err, store.ErrTokenUnusable) {
			t.Fatalf("got %v, want unusable", err)
		}
		if err := db.RevokeAPIToken(ctx, 999); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("unknown id: got %v", err)
		}
	})
	t.Run("ErrNameReused", func(t *testing.T) {
		_, _, err := db.CreateAPIToken(ctx, store.APITokenInput{Name: "SCRIPT", Role: store.RoleAdmin, Scopes: []string{"api"}}, "alice")
		if !errors.Is(err, store.ErrConflict) {
			t.Fatalf("got %v, want a conflict", err)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		_, _, err := db.CreateAPIToken(ctx, store.APITokenInput{Name: "bad name", Role: "root", Scopes: []string{"all"}, TTL: -time.Hour}, "alice")
		var ve *store.ValidationError
		if !errors.As(err, &ve) || len(ve.Fields) != 4 {
			t.Fatalf("got %v, want four field errors", err)
		}
		list, _ := db.APITokens(ctx)
		if len(list) != 2 {
			t.Fatalf("a refused token was saved: %d tokens", len(list))
		}
	})
}

// A person who is removed does not keep the API through the tokens they created; other
// people's tokens go on working.
func TestDeleteUser_RevokesTheTokensTheyCreated(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	db.CreateUser(ctx, "alice", "a long enough passphrase", store.RoleAdmin)
	bob, err := db.CreateUser(ctx, "bob", "another long passphrase", store.RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	bobs, _, err := db.CreateAPIToken(ctx, store.APITokenInput{Name: "bob-script", Role: store.RoleAdmin, Scopes: []string{"api"}}, "bob")
	if err != nil {
		t.Fatal(err)
	}
	alices, _, err := db.CreateAPIToken(ctx, store.APITokenInput{Name: "alice-script", Role: store.RoleAdmin, Scopes: []string{"api"}}, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteUser(ctx, bob.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.LookupAPIToken(ctx, bobs); !errors.Is(err, store.ErrTokenUnusable) {
		t.Fatalf("the removed user's token: got %v, want it revoked", err)
	}
	if _, err := db.LookupAPIToken(ctx, alices); err != nil {
		t.Fatalf("another user's token: got %v, want it still working", err)
	}
}
