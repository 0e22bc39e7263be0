package mailer_test

import (
	"strings"
	"testing"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

// Every diagnosis that links to a checklist step links to one the connection's checklist shows,
// whatever its model and whether or not it sends from the mailbox itself (issue 13: the Send As
// fix pointed at #step-send-as, which only exists when From differs from the mailbox).
func TestChecklist_EveryDiagnosisLinksToAStepThatExists(t *testing.T) {
	const oid = "11111111-2222-3333-4444-555555555555"
	for _, d := range mailer.Catalogue() {
		if mailer.StepForDiagnosis(d.Code) == "" {
			continue
		}
		for _, model := range mailer.AuthModels() {
			step := mailer.StepForDiagnosisIn(d.Code, model)
			for _, from := range []string{"", "relay@contoso.example", "Relay@Contoso.example", "other@contoso.example"} {
				v := mailer.SetupValues{Cloud: mailer.CloudGlobal, Tenant: "contoso.example", AppID: "app", ObjectID: oid,
					Mailbox: "relay@contoso.example", From: from, AuthModel: model, Words: i18n.WordsIn(i18n.EN)}
				steps := mailer.Checklist(mailer.ChecklistInput{Values: v, LastCode: d.Code, Tested: true})
				found := false
				for _, s := range steps {
					found = found || s.ID == step
				}
				if !found {
					t.Errorf("%s (model %s, From %q) links to #step-%s: got no such step", d.Code, model, from, step)
				}
			}
		}
	}
}

// When the From address is the authenticating mailbox, the Send As fix must not tell the reader
// to "send from the mailbox (X), or send as X": it says what else Exchange's refusal means.
func TestDiagnosis_SendAsDeniedFromTheMailboxItselfIsNotCircular(t *testing.T) {
	for _, code := range []string{mailer.CodeSendAsDenied, mailer.CodeSendAsEnvelope} {
		for _, from := range []string{"", "relay@contoso.example", "RELAY@contoso.example"} {
			steps := mailer.DiagnosisSteps(code, mailer.DiagnosisValues{AppID: "app", ObjectID: "oid", Mailbox: "relay@contoso.example", From: from, Tenant: "contoso.example"})
			if from == "" {
				// A request without From sends from the mailbox: newValues fills From in.
				steps = mailer.DiagnosisSteps(code, mailer.DiagnosisValues{AppID: "app", ObjectID: "oid", Mailbox: "relay@contoso.example", From: "relay@contoso.example", Tenant: "contoso.example"})
			}
			for _, s := range steps {
				if s.Msg.Code == "step.send_as.1" || strings.Contains(s.Command, "Add-RecipientPermission") {
					t.Errorf("%s with From %q: got the Send As grant for the mailbox itself: %q %q", code, from, s.Msg.Code, s.Command)
				}
			}
			if len(steps) == 0 || !strings.Contains(steps[0].Command, "Get-Mailbox") {
				t.Errorf("%s with From %q: got %+v, want a first step that shows the mailbox's addresses", code, from, steps)
			}
		}
		steps := mailer.DiagnosisSteps(code, mailer.DiagnosisValues{AppID: "app", ObjectID: "oid", Mailbox: "relay@contoso.example", From: "news@contoso.example"})
		if len(steps) == 0 || !strings.Contains(steps[0].Command, "Add-RecipientPermission -Identity 'news@contoso.example'") {
			t.Errorf("%s from another address: got %+v, want the Send As grant", code, steps)
		}
	}
}

// No copy block removes a service principal unconditionally: pasting the diagnosis's command
// must only replace one registered with another object ID, and never when the right ID is unknown.
func TestDiagnosis_RemoveServicePrincipalOnlyWhenTheObjectIDIsWrong(t *testing.T) {
	for _, oid := range []string{"11111111-2222-3333-4444-555555555555", ""} {
		for _, d := range mailer.Catalogue() {
			for _, s := range mailer.DiagnosisSteps(d.Code, mailer.DiagnosisValues{AppID: "app", ObjectID: oid, Mailbox: "m@contoso.example", From: "m@contoso.example", Tenant: "contoso.example"}) {
				checkRemoveGuarded(t, d.Code, oid, s.Command)
			}
		}
		v := mailer.SetupValues{Cloud: mailer.CloudGlobal, AppID: "app", ObjectID: oid, Mailbox: "m@contoso.example", Words: i18n.WordsIn(i18n.EN)}
		for _, c := range mailer.SetupCommands(v) {
			checkRemoveGuarded(t, "setup", oid, c.Command)
		}
	}
}

func checkRemoveGuarded(t *testing.T, where, oid, cmd string) {
	t.Helper()
	lines := strings.Split(cmd, "\n")
	for i, l := range lines {
		if !strings.Contains(l, "Remove-ServicePrincipal") {
			continue
		}
		if oid == "" || strings.Contains(oid, "<") {
			t.Errorf("%s: got Remove-ServicePrincipal although the object ID is unknown:\n%s", where, cmd)
			continue
		}
		// The removal must sit inside an if that compares the registered ObjectId with the right one.
		guarded := false
		for j := i - 1; j >= 0; j-- {
			if strings.HasPrefix(strings.TrimSpace(lines[j]), "if (") && strings.Contains(lines[j], "-ne '"+oid+"'") && strings.HasPrefix(l, "    ") {
				guarded = true
				break
			}
		}
		if !guarded {
			t.Errorf("%s: got an unconditional Remove-ServicePrincipal:\n%s", where, cmd)
		}
	}
}
