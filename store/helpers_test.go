package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/smtpoauth/smtpoauth/store"
)

var testKey = []byte("0123456789abcdef0123456789abcdef")

// MustOpenDB opens a real SQLite file in a temporary folder and closes it when the test ends.
func MustOpenDB(tb testing.TB) *store.DB {
	tb.Helper()
	return MustOpenDBAt(tb, filepath.Join(tb.TempDir(), store.FileName), testKey)
}

func MustOpenDBAt(tb testing.TB, path string, key []byte) *store.DB {
	tb.Helper()
	kr, err := store.NewKeyring(key)
	if err != nil {
		tb.Fatal(err)
	}
	db, err := store.Open(context.Background(), path, kr)
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
