package mailer_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

func TestSetupScript_GermanGolden(t *testing.T) {
	sv := mailer.ScriptValues{ProfileName: "Contoso Buchhaltung", CredentialKind: "secret",
		SetupValues: mailer.SetupValues{AuthModel: mailer.AuthModelPermission, Cloud: mailer.CloudGlobal, Tenant: "contoso.onmicrosoft.com", AppID: "11111111-aaaa-4bbb-8ccc-000000000001",
			ObjectID: "a1000000-0000-4000-8000-000000000001", Mailbox: "buchhaltung@contoso.com", From: "noreply@contoso.com", DisplayName: "smtpoauth: Contoso Buchhaltung", Words: i18n.WordsIn(i18n.DE)}}
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
