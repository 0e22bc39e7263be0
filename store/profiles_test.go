package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/smtpoauth/smtpoauth/store"
)

func TestCreateProfile(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		db := MustOpenDB(t)
		p := MustCreateProfile(t, db, validInput())
		if p.ID == 0 || p.Name != "Contoso billing" || p.SecretHint != "Abc" || p.SecretSetAt.IsZero() || p.CreatedBy != "tester" {
			t.Fatalf("got %+v, want a saved profile with hint Abc", p)
		}
		cred, err := db.Credential(context.Background(), p.ID)
		if err != nil || cred.Secret != validInput().Secret {
			t.Fatalf("got credential %v, %v; want the secret back", cred.Secret == validInput().Secret, err)
		}
	})

	invalid := []struct {
		name, field string
		change      func(*store.ProfileInput)
	}{
		{"ErrNameRequired", "name", func(in *store.ProfileInput) { in.Name = " " }},
		{"ErrNameHasLineBreak", "name", func(in *store.ProfileInput) { in.Name = "a\r\nBcc: x@evil.example" }},
		{"ErrCloudUnknown", "cloud", func(in *store.ProfileInput) { in.Cloud = "mars" }},
		{"ErrTenantInvalid", "tenant", func(in *store.ProfileInput) { in.Tenant = "not a tenant" }},
		{"ErrTenantCommon", "tenant", func(in *store.ProfileInput) { in.Tenant = "common" }},
		{"ErrClientIDInvalid", "client_id", func(in *store.ProfileInput) { in.ClientID = "billing-app" }},
		{"ErrMailboxInvalid", "mailbox", func(in *store.ProfileInput) { in.Mailbox = "billing" }},
		{"ErrMailboxCRLF", "mailbox", func(in *store.ProfileInput) { in.Mailbox = "billing@contoso.com\r\nRCPT TO:<x@y.z>" }},
		{"ErrRecipientInvalid", "test_recipient", func(in *store.ProfileInput) { in.TestRecipient = "it at contoso" }},
		{"ErrSecretRequired", "secret", func(in *store.ProfileInput) { in.Secret = "" }},
		{"ErrSecretNewline", "secret", func(in *store.ProfileInput) { in.Secret = "abc\n" }},
		{"ErrSMTPHostInvalid", "smtp_host", func(in *store.ProfileInput) { in.SMTPHost = "smtp.office365.com" }},
		{"ErrAuthorityInvalid", "authority", func(in *store.ProfileInput) { in.Authority = "http://login.example.com" }},
		{"ErrExpiryInvalid", "secret_expires_on", func(in *store.ProfileInput) { in.SecretExpiresOn = "28.11.2026" }},
		{"ErrCertificateInvalid", "certificate", func(in *store.ProfileInput) { in.CredentialKind = store.KindCertificate; in.CertificatePEM = "nope" }},
	}
	for _, tc := range invalid {
		t.Run(tc.name, func(t *testing.T) {
			db := MustOpenDB(t)
			in := validInput()
			tc.change(&in)
			_, err := db.CreateProfile(context.Background(), in, "tester")
			var ve *store.ValidationError
			if !errors.As(err, &ve) || ve.Fields[tc.field].Code == "" {
				t.Fatalf("got %v, want a validation error on %s", err, tc.field)
			}
			if strings.Contains(err.Error(), validInput().Secret) {
				t.Fatalf("error message contains the secret: %v", err)
			}
			if ps, _ := db.Profiles(context.Background(), ""); len(ps) != 0 {
				t.Fatalf("got %d profiles after invalid input, want none", len(ps))
			}
		})
	}

	t.Run("ErrNameTaken", func(t *testing.T) {
		db := MustOpenDB(t)
		MustCreateProfile(t, db, validInput())
		in := validInput()
		in.Name = "CONTOSO BILLING"
		_, err := db.CreateProfile(context.Background(), in, "tester")
		if !errors.Is(err, store.ErrConflict) {
			t.Fatalf("got %v, want ErrConflict", err)
		}
		if ps, _ := db.Profiles(context.Background(), ""); len(ps) != 1 {
			t.Fatalf("got %d profiles, want 1", len(ps))
		}
	})
}

func TestUpdateProfile(t *testing.T) {
	ctx := context.Background()
	t.Run("OKKeepsSecret", func(t *testing.T) {
		db := MustOpenDB(t)
		p := MustCreateProfile(t, db, validInput())
		in := validInput()
		in.Secret = ""
		in.Notes = "customer 4711"
		got, err := db.UpdateProfile(ctx, p.ID, in, "helpdesk")
		if err != nil || got.Notes != "customer 4711" || got.UpdatedBy != "helpdesk" {
			t.Fatalf("got %+v, %v", got, err)
		}
		if cred, _ := db.Credential(ctx, p.ID); cred.Secret != validInput().Secret {
			t.Fatal("an update without a secret lost the stored secret")
		}
	})
	t.Run("OKReplacesSecret", func(t *testing.T) {
		db := MustOpenDB(t)
		p := MustCreateProfile(t, db, validInput())
		in := validInput()
		in.Secret = "Xyz-new-secret-value"
		got, err := db.UpdateProfile(ctx, p.ID, in, "admin")
		if err != nil || got.SecretHint != "Xyz" {
			t.Fatalf("got %+v, %v; want hint Xyz", got, err)
		}
		if cred, _ := db.Credential(ctx, p.ID); cred.Secret != "Xyz-new-secret-value" {
			t.Fatal("secret not replaced")
		}
	})
	t.Run("ErrInvalidChangesNothing", func(t *testing.T) {
		db := MustOpenDB(t)
		p := MustCreateProfile(t, db, validInput())
		in := validInput()
		in.Mailbox = "nope"
		in.Notes = "should not be saved"
		if _, err := db.UpdateProfile(ctx, p.ID, in, "admin"); err == nil {
			t.Fatal("got nil, want a validation error")
		}
		got, _ := db.Profile(ctx, p.ID)
		if got.Notes != "" || got.Mailbox != "billing@contoso.com" {
			t.Fatalf("invalid update changed the row: %+v", got)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		db := MustOpenDB(t)
		if _, err := db.UpdateProfile(ctx, 42, validInput(), "admin"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("got %v, want ErrNotFound", err)
		}
	})
}

func TestProfiles_FilterAndLiterals(t *testing.T) {
	db := MustOpenDB(t)
	for i, name := range []string{"Contoso billing", "Fabrikam scanner", `Robert'); DROP TABLE profiles;-- 100%_`} {
		in := validInput()
		in.Name = name
		in.Mailbox = fmt.Sprintf("box%d@contoso.com", i)
		MustCreateProfile(t, db, in)
	}
	cases := map[string]int{"": 3, "fabrikam": 1, "box0@": 1, "7c0c36f5": 3, "100%_": 1, "%": 1, "DROP TABLE": 1}
	for filter, want := range cases {
		got, err := db.Profiles(context.Background(), filter)
		if err != nil || len(got) != want {
			t.Errorf("filter %q: got %d profiles (%v), want %d", filter, len(got), err, want)
		}
	}
	p, err := db.ProfileByName(context.Background(), `Robert'); DROP TABLE profiles;-- 100%_`)
	if err != nil || p.Name != `Robert'); DROP TABLE profiles;-- 100%_` {
		t.Fatalf("SQL metacharacters not stored literally: %v %v", p, err)
	}
}

func TestConcurrentWriters(t *testing.T) {
	db := MustOpenDB(t)
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in := validInput()
			in.Name = fmt.Sprintf("profile %02d", i)
			if _, err := db.CreateProfile(context.Background(), in, "tester"); err != nil {
				errs <- err
			}
			if _, err := db.Profiles(context.Background(), ""); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent write: %v", err)
	}
	if ps, _ := db.Profiles(context.Background(), ""); len(ps) != 40 {
		t.Fatalf("got %d profiles, want 40", len(ps))
	}
}

func TestDeleteProfile_KeepsRuns(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	p := MustCreateProfile(t, db, validInput())
	run := &store.Run{ProfileID: p.ID, ProfileName: p.Name, StartedBy: "helpdesk"}
	if err := db.StartRun(ctx, run); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteProfile(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	got, err := db.Run(ctx, run.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.DisplayName() != "deleted profile Contoso billing" {
		t.Fatalf("got %q, want %q", got.DisplayName(), "deleted profile Contoso billing")
	}
	if err := db.DeleteProfile(ctx, p.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("second delete: got %v, want ErrNotFound", err)
	}
}
