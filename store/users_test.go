package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/smtpoauth/smtpoauth/store"
)

func TestPasswordHash(t *testing.T) {
	h, err := store.HashPassword("a long enough passphrase", store.PasswordParams{Time: 1, Memory: 1024, Threads: 1})
	if err != nil || !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Fatalf("got %q %v", h, err)
	}
	if !store.VerifyPassword(h, "a long enough passphrase") || store.VerifyPassword(h, "a long enough passphrasE") || store.VerifyPassword("garbage", "x") {
		t.Fatal("VerifyPassword misjudges")
	}
	h2, _ := store.HashPassword("a long enough passphrase", store.PasswordParams{Time: 1, Memory: 1024, Threads: 1})
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
			if _, err := db.CreateUser(ctx, "alice", pw, store.RoleAdmin); !errors.As(err, &ve) || ve.Fields["password"].Code == "" {
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

// Two databases in one process each hash with their own cost: a test lowering it (or an
// operator's second console) cannot change what another database stores.
func TestUsers_PasswordCostIsPerDatabase(t *testing.T) {
	ctx := context.Background()
	cheap := MustOpenDB(t)
	dear := MustOpenDB(t, func(o *store.Options) { o.Password = store.PasswordParams{Time: 2, Memory: 2048, Threads: 1} })
	for _, db := range []*store.DB{cheap, dear} {
		if _, err := db.CreateUser(ctx, "alice", "a long enough passphrase", store.RoleAdmin); err != nil {
			t.Fatal(err)
		}
	}
	for db, want := range map[*store.DB]string{cheap: "$m=1024,t=1,p=1$", dear: "$m=2048,t=2,p=1$"} {
		var hash string
		if err := rawDB(t, db.Path).QueryRow("SELECT password_hash FROM users WHERE username = 'alice'").Scan(&hash); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(hash, want) {
			t.Errorf("got hash %s, want cost %s", hash[:strings.LastIndexByte(hash, '$')], want)
		}
		if _, err := db.SignIn(ctx, "alice", "a long enough passphrase", "192.0.2.1"); err != nil {
			t.Errorf("signing in with the stored hash: %v", err)
		}
	}
}
