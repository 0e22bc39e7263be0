package exchange_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/mailer/mailertest"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

// A token without roles is what Exchange RBAC for Applications issues: the check notes it and
// goes on to AUTH, where Exchange decides.
func TestCheck_TokenWithoutRolesGoesOnToAUTH(t *testing.T) {
	srv, scenarios := mustFake(t)
	res, _ := runScenario(t, srv, mustScenario(t, scenarios, "missing-role"))
	if res.Stage != mailer.StageAuth || res.Diagnosis == nil || !strings.HasPrefix(res.Diagnosis.Quote, "535 5.7.3 ") {
		t.Fatalf("got stage %s diagnosis %+v, want AUTH tried and answered 535 5.7.3\n%s", res.Stage, res.Diagnosis, mailer.RenderText(res.Events))
	}
	i := slices.IndexFunc(res.Checks, func(c mailer.ClaimCheck) bool { return c.Claim == "roles" })
	if i < 0 || !res.Checks[i].OK || !res.Checks[i].Note || !strings.Contains(i18n.ClaimDetail(i18n.EN, res.Checks[i]), "Exchange RBAC") {
		t.Fatalf("got roles check %+v, want a note naming Exchange RBAC, not a failure", res.Checks)
	}
}

func TestCheck_RBACTenantPassesWithoutRoles(t *testing.T) {
	srv, scenarios := mustFake(t)
	res, _ := runScenario(t, srv, mustScenario(t, scenarios, "rbac-works"))
	if !res.OK || !res.Sent {
		t.Fatalf("got ok=%v sent=%v (%v), want the RBAC app to authenticate and send\n%s", res.OK, res.Sent, res.Err, mailer.RenderText(res.Events))
	}
	if res.Claims == nil || len(res.Claims.Roles) != 0 {
		t.Fatalf("got claims %+v, want a token without roles", res.Claims)
	}
}

// The fake applies the model the token shows: a role assignment does not help a token that
// carries SMTP.SendAsApp, and FullAccess does not help a token without it.
func TestFake_TokenDecidesTheModel(t *testing.T) {
	srv, scenarios := mustFake(t)
	sc := mustScenario(t, scenarios, "rbac-works")
	srv.AddRoleAssignment(mailertest.RoleAssignment{TenantID: mailertest.ContosoTenantID, Name: "x", Role: mailer.RBACRole,
		App: mustScenario(t, scenarios, "no-mailbox-permission").ClientID, Scope: mailertest.RBACScope})
	if res, _ := runScenario(t, srv, mustScenario(t, scenarios, "no-mailbox-permission")); res.OK {
		t.Fatal("got success for a token with SMTP.SendAsApp and no FullAccess, want 535 5.7.3 despite the role assignment")
	}
	if res, _ := runScenario(t, srv, sc); !res.OK {
		t.Fatalf("got %v, want the RBAC scenario to pass", res.Err)
	}
}

// 535 5.7.3 names no cause; the token and the connection's model rank the candidates.
func TestCheck_535CausesRankedByTheEvidence(t *testing.T) {
	srv, scenarios := mustFake(t)
	cases := []struct {
		scenario string
		want     []string
		absent   string
	}{
		// Roles present: the permission model; RBAC pieces are no candidates.
		{"no-mailbox-permission", []string{mailer.StepSP, mailer.StepMailbox, ""}, mailer.StepRoleAssignment},
		// Roles absent, RBAC connection: the role assignment and its scope first; FullAccess is no candidate.
		{"rbac-out-of-scope", []string{mailer.StepRoleAssignment, mailer.StepScope, mailer.StepSP, "", mailer.StepPermission}, mailer.StepMailbox},
		// Roles absent, permission connection: the permission and its consent first.
		{"missing-role", []string{mailer.StepPermission, mailer.StepSP, mailer.StepRoleAssignment, mailer.StepScope, ""}, mailer.StepMailbox},
	}
	for _, c := range cases {
		t.Run(c.scenario, func(t *testing.T) {
			res, _ := runScenario(t, srv, mustScenario(t, scenarios, c.scenario))
			if res.Diagnosis == nil {
				t.Fatal("got no diagnosis")
			}
			var got []string
			for i, cause := range res.Diagnosis.Causes {
				if cause.Rank != i+1 || cause.Msg.Code == "" {
					t.Errorf("cause %d: %+v", i, cause)
				}
				got = append(got, cause.Step)
			}
			if !slices.Equal(got, c.want) || slices.Contains(got, c.absent) {
				t.Fatalf("got causes %q, want %q", got, c.want)
			}
			en, de := i18n.Localize(res.Diagnosis, i18n.EN), i18n.Localize(res.Diagnosis, i18n.DE)
			if len(de.Causes) != len(got) || de.Causes[0].Text == "" || de.Causes[0].Text == en.Causes[0].Text {
				t.Fatalf("got German causes %+v, want the same ranking in German", de.Causes)
			}
		})
	}
}
