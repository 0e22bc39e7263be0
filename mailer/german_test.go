package mailer_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/smtpoauth/smtpoauth/mailer"
)

// Every diagnosis has its German: title, explanation and the same steps with the same commands.
func TestCatalogue_GermanComplete(t *testing.T) {
	en, de := mailer.CatalogueIn("en"), mailer.CatalogueIn("de")
	for i := range en {
		e, d := en[i], de[i]
		if d.Title == "" || d.Title == e.Title && e.Code != mailer.CodeTokenNotJSON {
			t.Errorf("%s: German title %q", e.Code, d.Title)
		}
		if e.Explanation != "" && (d.Explanation == "" || d.Explanation == e.Explanation) {
			t.Errorf("%s: German explanation missing", e.Code)
		}
		if len(d.Steps) != len(e.Steps) {
			t.Fatalf("%s: %d German steps, %d English", e.Code, len(d.Steps), len(e.Steps))
		}
		for j := range e.Steps {
			if d.Steps[j].Text == e.Steps[j].Text {
				t.Errorf("%s step %d not translated: %q", e.Code, j+1, e.Steps[j].Text)
			}
			if d.Steps[j].Command != e.Steps[j].Command {
				t.Errorf("%s step %d: a command changed with the language", e.Code, j+1)
			}
		}
	}
}

func TestLocalize_KeepsQuoteCodeAndValues(t *testing.T) {
	d := mailer.Diagnose(mailer.Facts{Stage: mailer.StageAuth, Err: &mailer.ReplyError{Stage: mailer.StageAuth,
		Reply: mailer.Reply{Code: 535, Enhanced: "5.7.3", Lines: []string{"Authentication unsuccessful [X]"}}},
		Claims: &mailer.Claims{ObjectID: "a1000000-0000-4000-8000-000000000004", Roles: []string{mailer.SMTPRole}}, Req: mailer.Request{ClientID: "app-id", Mailbox: "billing@contoso.com"}})
	g := mailer.Localize(d, "de")
	if g.Code != d.Code || g.Quote != d.Quote || g.Title != "Exchange hat das Token abgelehnt (535 5.7.3)" {
		t.Fatalf("got %+v", g)
	}
	if g.Steps[1].Command != d.Steps[1].Command || d.Steps[1].Command == "" {
		t.Fatal("the filled-in command differs between languages")
	}
}

func TestSetupScript_GermanGolden(t *testing.T) {
	sv := mailer.ScriptValues{ProfileName: "Contoso Buchhaltung", CredentialKind: "secret",
		SetupValues: mailer.SetupValues{AuthModel: mailer.AuthModelPermission, Cloud: mailer.CloudGlobal, Tenant: "contoso.onmicrosoft.com", AppID: "11111111-aaaa-4bbb-8ccc-000000000001",
			ObjectID: "a1000000-0000-4000-8000-000000000001", Mailbox: "buchhaltung@contoso.com", From: "noreply@contoso.com", DisplayName: "smtpoauth: Contoso Buchhaltung", Lang: "de"}}
	got := mailer.SetupScript(sv)
	path := filepath.Join("testdata", "golden", "script-global-secret-de.ps1")
	if *update {
		os.WriteFile(path, []byte(got), 0o644)
	}
	want, err := os.ReadFile(path)
	if err != nil || got != string(want) {
		t.Fatalf("German script differs from %s (%v):\n%s", path, err, got)
	}
}
