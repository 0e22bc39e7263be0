package store_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/store"
)

var testKey = []byte("0123456789abcdef0123456789abcdef")

// MustOpenDB opens a real SQLite file in a temporary folder and closes it when the test ends;
// each tweak changes the test options (a clock, a hook) before the database opens.
func MustOpenDB(tb testing.TB, tweaks ...func(*store.Options)) *store.DB {
	tb.Helper()
	return MustOpenDBAt(tb, filepath.Join(tb.TempDir(), store.FileName), testKey, tweaks...)
}

// MustOpenDBAt is MustOpenDB on a given file and key.
func MustOpenDBAt(tb testing.TB, path string, key []byte, tweaks ...func(*store.Options)) *store.DB {
	tb.Helper()
	kr, err := store.NewKeyring(key)
	if err != nil {
		tb.Fatal(err)
	}
	db, err := store.OpenWith(context.Background(), path, kr, testOptions(tweaks...))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// validInput is a profile that passes validation; tests change one field at a time.
func validInput() store.ProfileInput {
	return store.ProfileInput{
		Name: "Contoso billing", Cloud: "global", Tenant: "7c0c36f5-af83-4c24-8844-9962e0163719",
		ClientID: "11111111-aaaa-4bbb-8ccc-000000000001", CredentialKind: store.KindSecret,
		Secret: "Abc8Q~super.secret.value-0123456789", Mailbox: "billing@contoso.com", TestRecipient: "it@contoso.com",
	}
}

// MustCreateProfile saves a profile or fails the test.
func MustCreateProfile(tb testing.TB, db *store.DB, in store.ProfileInput) *store.Profile {
	tb.Helper()
	p, err := db.CreateProfile(context.Background(), in, "tester")
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// testOptions are the store's options in tests: argon2 at its lowest cost, since the race
// detector makes the real cost take seconds per hash; tweaks change them further.
func testOptions(tweaks ...func(*store.Options)) store.Options {
	o := store.Options{Password: store.PasswordParams{Time: 1, Memory: 1024, Threads: 1}}
	for _, t := range tweaks {
		t(&o)
	}
	return o
}

// clockAt makes the database's clock read *now, which the test moves.
func clockAt(now *time.Time) func(*store.Options) {
	var mu sync.Mutex
	return func(o *store.Options) {
		o.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return *now }
	}
}
