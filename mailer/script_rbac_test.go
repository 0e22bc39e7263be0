package mailer_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

func rbacScriptValues(model mailer.AuthModel, lang string) mailer.ScriptValues {
	return mailer.ScriptValues{ProfileName: "Contoso billing", CredentialKind: "secret",
		SetupValues: mailer.SetupValues{AuthModel: model, Cloud: mailer.CloudGlobal, Tenant: "7c0c36f5-af83-4c24-8844-9962e0163719", AppID: "11111111-aaaa-4bbb-8ccc-000000000008",
			ObjectID: "a1000000-0000-4000-8000-000000000008", Mailbox: "billing@contoso.com", DisplayName: "smtpoauth: Contoso billing", Words: i18n.WordsIn(i18n.Lang(lang))}}
}

func TestSetupScript_GoldenPerAuthModel(t *testing.T) {
	for _, c := range []struct {
		model mailer.AuthModel
		lang  string
	}{{mailer.AuthModelRBAC, "en"}, {mailer.AuthModelRBAC, "de"}, {mailer.AuthModelUnsure, "en"}, {mailer.AuthModelUnsure, "de"}} {
		name := "script-" + string(c.model) + "-" + c.lang
		t.Run(name, func(t *testing.T) {
			got := mailer.SetupScript(rbacScriptValues(c.model, c.lang))
			path := filepath.Join("testdata", "golden", name+".ps1")
			if *update {
				os.WriteFile(path, []byte(got), 0o644)
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run: go test ./mailer -run Golden -update)", err)
			}
			if got != string(want) {
				t.Fatalf("script differs from %s:\n%s", path, got)
			}
		})
	}
}

// The RBAC script checks before it changes: Test-ServicePrincipalAuthorization and the Get-
// commands come in Part 1, every New- is guarded by a Get- of the same thing, and nothing adds
// mailbox permissions, which RBAC does not need.
func TestSetupScript_RBACReadOnlyFirstAndIdempotent(t *testing.T) {
	script := mailer.SetupScript(rbacScriptValues(mailer.AuthModelRBAC, "en"))
	part2 := strings.Index(script, "# --- Part 2")
	if i := strings.Index(script, "Test-ServicePrincipalAuthorization -Identity $AppId -Resource $Mailbox"); i < 0 || i > part2 {
		t.Fatalf("Test-ServicePrincipalAuthorization at %d, Part 2 at %d: want the read-only check in Part 1", i, part2)
	}
	for _, cmd := range []string{"New-ManagementScope", "New-ManagementRoleAssignment", "New-ServicePrincipal"} {
		i := strings.Index(script, "    "+cmd+" ")
		if i < part2 {
			t.Fatalf("%s at %d, want it in Part 2 (from %d)", cmd, i, part2)
		}
		guard := regexp.MustCompile(`if \(-not \(?\$?\w*[^\n]*\n\s*` + regexp.QuoteMeta(cmd) + ` `)
		if cmd != "New-ServicePrincipal" && !guard.MatchString(script) {
			t.Errorf("%s is not guarded by a check", cmd)
		}
	}
	if !strings.Contains(script, "-Role 'Application SMTP.SendAsApp' -App $AppId -CustomResourceScope $ScopeName") {
		t.Error("role assignment is not over the scope")
	}
	if strings.Contains(script, "Add-MailboxPermission") {
		t.Error("the RBAC script adds a mailbox permission")
	}
	if unsure := mailer.SetupScript(rbacScriptValues(mailer.AuthModelUnsure, "en")); !strings.Contains(unsure, "Add-MailboxPermission") || !strings.Contains(unsure, "New-ManagementRoleAssignment") {
		t.Error("the script for an unsure connection does not cover both models")
	}
}

// A mailbox address with a quote stays inside both the OPATH filter and the PowerShell string.
func TestSetupCommands_RBACFilterQuotesTheMailbox(t *testing.T) {
	cmds := mailer.SetupCommands(mailer.SetupValues{AuthModel: mailer.AuthModelRBAC, Cloud: mailer.CloudGlobal, AppID: "a", Mailbox: "o'brien@contoso.com", Words: i18n.WordsIn(i18n.EN)})
	var all string
	for _, c := range cmds {
		all += c.Command + "\n"
	}
	i := strings.Index(all, "-RecipientRestrictionFilter ")
	if i < 0 {
		t.Fatalf("no scope in %s", all)
	}
	filter, _ := psString(t, all[i+len("-RecipientRestrictionFilter "):])
	if filter != "PrimarySmtpAddress -eq 'o''brien@contoso.com'" {
		t.Fatalf("got filter %q", filter)
	}
	if strings.Contains(all, "Add-MailboxPermission") {
		t.Error("RBAC commands add a mailbox permission")
	}
}
