package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/smtpoauth/smtpoauth/store"
)

const importHeader = "name,tenant,client_id,mailbox,tags,secret_expires_on\n"

func importLine(name string) string {
	return name + ",contoso.onmicrosoft.com,11111111-aaaa-4bbb-8ccc-000000000001,billing@contoso.com,\"Contoso, north\",2027-01-31\n"
}

// problems lists an ImportError's problems as "line column code".
func problems(t *testing.T, err error) []string {
	t.Helper()
	var ie *store.ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("got %v, want an ImportError", err)
	}
	var out []string
	for _, p := range ie.Problems {
		out = append(out, fmt.Sprintf("%d %s %s", p.Line, p.Column, p.Code))
	}
	return out
}

func TestReadImportCSV(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		rows, err := store.ReadImportCSV(strings.NewReader("\xef\xbb\xbfName,Tenant,client_id,mailbox,tags,secret_file,notes\n"+
			"A,contoso.onmicrosoft.com,11111111-aaaa-4bbb-8ccc-000000000001,a@contoso.com,\"x, y\",a.txt,'=not a formula\n"), "secret_file")
		if err != nil || len(rows) != 1 {
			t.Fatalf("got %v %v", rows, err)
		}
		r := rows[0]
		if r.Line != 2 || r.Input.Name != "A" || fmt.Sprint(r.Input.Tags) != "[x y]" || r.Extra["secret_file"] != "a.txt" || r.Input.Notes != "=not a formula" {
			t.Fatalf("got %+v", r)
		}
	})
	t.Run("Semicolons", func(t *testing.T) {
		rows, err := store.ReadImportCSV(strings.NewReader("name;tenant;client_id;mailbox\nA;t.onmicrosoft.com;c;a@b.c\n"))
		if err != nil || len(rows) != 1 || rows[0].Input.Mailbox != "a@b.c" {
			t.Fatalf("got %+v %v, want the semicolon file read", rows, err)
		}
	})
	for _, tc := range []struct {
		name, file string
		want       string
	}{
		{"ErrEmpty", "", "[0  store.import_empty]"},
		{"ErrHeaderOnly", importHeader, "[0  store.import_empty]"},
		{"ErrUnknownColumn", "name,tenant,client_id,mailbox,colour\n", "[1 colour store.import_column_unknown]"},
		{"ErrMissingColumn", "name,tenant,client_id\n", "[1 mailbox store.import_column_missing]"},
		{"ErrSecretColumn", "name,tenant,client_id,mailbox,secret\n", "[1 secret store.import_secret_column]"},
		{"ErrSecretFileNotAsked", "name,tenant,client_id,mailbox,secret_file\n", "[1 secret_file store.import_secret_column]"},
		{"ErrFieldCount", importHeader + importLine("A") + "B,only two\n" + importLine("C"), "[3  store.import_field_count]"},
		{"ErrQuote", importHeader + importLine("A") + "\"B,x\n", "[3  store.import_quote]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := store.ReadImportCSV(strings.NewReader(tc.file))
			if got := fmt.Sprint(problems(t, err)); got != tc.want {
				t.Fatalf("got %s, want %s", got, tc.want)
			}
		})
	}
	t.Run("ErrTooLarge", func(t *testing.T) {
		_, err := store.ReadImportCSV(strings.NewReader(importHeader + strings.Repeat("x", store.MaxImportBytes)))
		if got := fmt.Sprint(problems(t, err)); got != "[0  store.import_too_large]" {
			t.Fatalf("got %s", got)
		}
	})
	t.Run("ErrTooManyRows", func(t *testing.T) {
		_, err := store.ReadImportCSV(strings.NewReader(importHeader + strings.Repeat(importLine("A"), store.MaxImportRows+1)))
		if got := fmt.Sprint(problems(t, err)); got != "[0  store.import_too_many_rows]" {
			t.Fatalf("got %s", got)
		}
	})
}

func TestImportProfiles(t *testing.T) {
	ctx := context.Background()
	read := func(t *testing.T, file string) []store.ImportRow {
		t.Helper()
		rows, err := store.ReadImportCSV(strings.NewReader(file))
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	t.Run("OKSecretMissing", func(t *testing.T) {
		db := MustOpenDB(t)
		ids, err := db.ImportProfiles(ctx, read(t, importHeader+importLine("A")+importLine("B")), "alice", store.ImportOptions{SecretMissing: true})
		if err != nil || len(ids) != 2 {
			t.Fatalf("got %v %v", ids, err)
		}
		p, _ := db.Profile(ctx, ids[1])
		if p.Name != "B" || p.HasCredential() || fmt.Sprint(p.Tags) != "[Contoso north]" || p.SecretExpiresOn != "2027-01-31" || p.CreatedBy != "alice" {
			t.Fatalf("got %+v", p)
		}
		pg, _ := db.QueryProfiles(ctx, store.ProfileQuery{Status: store.FilterSecretMissing})
		if pg.Counts.SecretMissing != 2 || len(pg.Profiles) != 2 {
			t.Fatalf("got %+v, want both counted and listed as secret missing", pg.Counts)
		}
		// Testing such a connection says what is missing, not that a sealed value is broken.
		_, err = db.Request(ctx, p, "")
		var ve *store.ValidationError
		if !errors.As(err, &ve) || ve.Fields["secret"].Code != store.CodeSecretMissing {
			t.Fatalf("got %v, want the secret reported missing", err)
		}
	})
	t.Run("OKWithSecrets", func(t *testing.T) {
		db := MustOpenDB(t)
		rows := read(t, importHeader+importLine("A"))
		rows[0].Input.Secret = validInput().Secret
		ids, err := db.ImportProfiles(ctx, rows, "alice", store.ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		p, _ := db.Profile(ctx, ids[0])
		cred, err := db.Credential(ctx, p.ID)
		if err != nil || cred.Secret != validInput().Secret || !p.HasCredential() {
			t.Fatalf("got %v, want the secret sealed and readable", err)
		}
	})
	t.Run("ErrNothingSavedEveryProblemNamed", func(t *testing.T) {
		db := MustOpenDB(t)
		MustCreateProfile(t, db, validInput()) // "Contoso billing"
		file := importHeader + importLine("A") +
			"B,not a tenant!,nope,not-an-address,=x,31.12.2026\n" +
			importLine("a") + importLine("Contoso billing")
		_, err := db.ImportProfiles(ctx, read(t, file), "alice", store.ImportOptions{SecretMissing: true})
		got := strings.Join(problems(t, err), "; ")
		for _, want := range []string{"3 tenant ", "3 client_id ", "3 mailbox ", "3 secret_expires_on store.expiry_date_invalid", "3 tags store.tag_invalid",
			"4 name store.import_duplicate", "5 name store.profile_name_taken"} {
			if !strings.Contains(got, want) {
				t.Errorf("problems %q lack %q", got, want)
			}
		}
		if n, _ := db.CountProfiles(ctx); n != 1 {
			t.Fatalf("got %d connections, want none imported", n)
		}
	})
	t.Run("ErrSecretRequiredWithSecrets", func(t *testing.T) {
		db := MustOpenDB(t)
		_, err := db.ImportProfiles(ctx, read(t, importHeader+importLine("A")), "alice", store.ImportOptions{})
		if got := fmt.Sprint(problems(t, err)); !strings.Contains(got, "2 secret_file") {
			t.Fatalf("got %s, want the missing secret on secret_file", got)
		}
	})
}
