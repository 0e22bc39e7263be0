package mailer_test

import (
	"strings"
	"testing"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

func statuses(steps []mailer.ChecklistStep) map[string]mailer.StepStatus {
	m := map[string]mailer.StepStatus{}
	for _, s := range steps {
		m[s.ID] = s.Status
	}
	return m
}

func findStep(t *testing.T, steps []mailer.ChecklistStep, id string) mailer.ChecklistStep {
	t.Helper()
	for _, s := range steps {
		if s.ID == id {
			return s
		}
	}
	t.Fatalf("no step %s", id)
	return mailer.ChecklistStep{}
}

func checklistAfter(model mailer.AuthModel, code string, roles []string, lang string) []mailer.ChecklistStep {
	return mailer.Checklist(mailer.ChecklistInput{Values: mailer.SetupValues{AuthModel: model, Cloud: mailer.CloudGlobal, Tenant: "t", AppID: "a", Mailbox: "billing@contoso.com", Words: i18n.WordsIn(i18n.Lang(lang))},
		Claims: &mailer.Claims{ObjectID: "o", Roles: roles}, Tested: true, LastCode: code})
}

// 535 5.7.3 does not say which step is missing: every candidate is a ranked possible cause and
// none is failing, and the SMTP AUTH switch is unlikely, not verified.
func TestChecklist_After535EveryCandidateIsARankedPossibleCause(t *testing.T) {
	steps := checklistAfter(mailer.AuthModelPermission, mailer.CodeAuthUnsuccessful, []string{mailer.SMTPRole}, "en")
	got := statuses(steps)
	if got[mailer.StepSP] != mailer.StepSuspect || got[mailer.StepMailbox] != mailer.StepSuspect {
		t.Fatalf("got %v, want service principal and mailbox permission as possible causes", got)
	}
	for id, st := range got {
		if st == mailer.StepFailed && id != mailer.StepLiveTest {
			t.Errorf("step %s is failing, want only the live test failing after 535 5.7.3", id)
		}
	}
	if f := findStep(t, steps, mailer.StepSP).Finding; !strings.Contains(f, "Possible cause 1 of 2") {
		t.Errorf("service principal finding %q, want rank 1 of 2", f)
	}
	if f := findStep(t, steps, mailer.StepMailbox).Finding; !strings.Contains(f, "Possible cause 2 of 2") {
		t.Errorf("mailbox finding %q, want rank 2 of 2", f)
	}
	smtp := findStep(t, steps, mailer.StepSMTPAuth)
	if smtp.Status != mailer.StepUnknown || !strings.Contains(smtp.Finding, "Unlikely") || !strings.Contains(smtp.Finding, "Not verified") {
		t.Errorf("SMTP AUTH step %s %q, want unknown: unlikely, not verified", smtp.Status, smtp.Finding)
	}
	de := checklistAfter(mailer.AuthModelPermission, mailer.CodeAuthUnsuccessful, []string{mailer.SMTPRole}, "de")
	if f := findStep(t, de, mailer.StepSP).Finding; !strings.Contains(f, "Mögliche Ursache 1 von 2") {
		t.Errorf("German finding %q", f)
	}
	if f := findStep(t, de, mailer.StepSMTPAuth).Finding; !strings.Contains(f, "Unwahrscheinlich") {
		t.Errorf("German SMTP AUTH finding %q", f)
	}
}

func TestChecklist_After535WithoutRolesRanksTheRBACPiecesForAnRBACConnection(t *testing.T) {
	steps := checklistAfter(mailer.AuthModelRBAC, mailer.CodeAuthUnsuccessfulNoRoles, nil, "en")
	got := statuses(steps)
	for _, id := range []string{mailer.StepRoleAssignment, mailer.StepScope, mailer.StepSP} {
		if got[id] != mailer.StepSuspect {
			t.Errorf("step %s is %s, want a possible cause", id, got[id])
		}
	}
	if _, ok := got[mailer.StepMailbox]; ok {
		t.Error("an RBAC connection's checklist asks for FullAccess")
	}
	if f := findStep(t, steps, mailer.StepRoleAssignment).Finding; !strings.Contains(f, "Possible cause 1 of 3") {
		t.Errorf("role assignment finding %q, want rank 1", f)
	}
	if got[mailer.StepPermission] == mailer.StepFailed {
		t.Error("no API permission is failing for an RBAC connection")
	}
}

// A token without roles proves the permission missing only for a connection that says it uses it.
func TestChecklist_TokenWithoutRolesFailsThePermissionOnlyForThePermissionModel(t *testing.T) {
	for model, want := range map[mailer.AuthModel]mailer.StepStatus{
		mailer.AuthModelPermission: mailer.StepFailed, mailer.AuthModelUnsure: mailer.StepSuspect, mailer.AuthModelRBAC: mailer.StepSuspect,
	} {
		got := statuses(checklistAfter(model, mailer.CodeAuthUnsuccessfulNoRoles, nil, "en"))[mailer.StepPermission]
		if model == mailer.AuthModelRBAC {
			// For RBAC the step reads "no API permission", which the token confirms.
			want = mailer.StepOK
		}
		if got != want {
			t.Errorf("%s: permission step %s, want %s", model, got, want)
		}
	}
}

func TestChecklist_PassingRBACTestVerifiesScopeAndAssignment(t *testing.T) {
	steps := mailer.Checklist(mailer.ChecklistInput{Values: mailer.SetupValues{AuthModel: mailer.AuthModelUnsure, Cloud: mailer.CloudGlobal, Mailbox: "billing@contoso.com", Words: i18n.WordsIn(i18n.EN)},
		Claims: &mailer.Claims{ObjectID: "o"}, Tested: true, LastOK: true, AuthPassed: true})
	got := statuses(steps)
	if got[mailer.StepScope] != mailer.StepOK || got[mailer.StepRoleAssignment] != mailer.StepOK || got[mailer.StepSP] != mailer.StepOK {
		t.Fatalf("got %v, want the RBAC steps verified by a passing token without roles", got)
	}
	if _, ok := got[mailer.StepMailbox]; ok {
		t.Fatalf("got %v, want no FullAccess step: the token showed Exchange used RBAC", got)
	}
	if p := findStep(t, steps, mailer.StepPermission); !strings.Contains(p.Title, "No SMTP.SendAsApp") {
		t.Fatalf("permission step %q, want the RBAC reading (no API permission)", p.Title)
	}
}

// A 5.7.139 naming security defaults is a tenant policy, not a Basic-authentication reply.
func TestDiagnose_SecurityDefaultsIsNotBasicAuthentication(t *testing.T) {
	d := mailer.Diagnose(mailer.Facts{Stage: mailer.StageAuth, Err: &mailer.ReplyError{Stage: mailer.StageAuth,
		Reply: mailer.Reply{Code: 535, Enhanced: "5.7.139", Lines: []string{"Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator."}}}})
	if d.Code != mailer.CodeAuthSecurityDefaults {
		t.Fatalf("got %s, want %s", d.Code, mailer.CodeAuthSecurityDefaults)
	}
	for _, lang := range []string{"en", "de"} {
		l := i18n.Localize(d, i18n.Lang(lang))
		if strings.Contains(strings.ToLower(l.Title), "basic") || len(l.Steps) == 0 {
			t.Errorf("%s: got %q with %d steps", lang, l.Title, len(l.Steps))
		}
	}
}
