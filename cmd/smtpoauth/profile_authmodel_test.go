package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/smtpoauth/smtpoauth/mailer/mailertest"
)

// A stored profile keeps its authorisation model; edit changes only it; check --profile runs with it.
func TestProfileCLI_AuthModel(t *testing.T) {
	srv, scenarios, caFile := fakeExchange(t)
	sc := scenario(t, scenarios, "rbac-out-of-scope")
	env := map[string]string{"SSL_CERT_FILE": caFile, "USER": "alice", "SMTPOAUTH_ALLOWED_HOSTS": allowFake(srv)}
	d := []string{"--data-dir", t.TempDir()}
	add := append(append([]string{"profile", "add"}, d...), "--name", "RBAC", "--tenant", mailertest.ContosoTenantID, "--client-id", sc.ClientID,
		"--mailbox", sc.Mailbox, "--smtp-host", srv.SMTPAddr, "--authority", srv.URL, "--secret-file", "-", "--auth-model", "rbac")
	if res := runCLI(t, env, sc.Secret+"\n", add...); res.code != 0 {
		t.Fatalf("add: exit %d %s", res.code, res.stderr)
	}
	if res := runCLI(t, env, "", append(append([]string{"profile", "show"}, d...), "RBAC")...); !regexp.MustCompile(`Authorisation model:\s+rbac`).MatchString(res.stdout) {
		t.Fatalf("show lacks the model:\n%s", res.stdout)
	}
	check := runCLI(t, env, "", append(append([]string{"check"}, d...), "--profile", "RBAC")...)
	if !strings.Contains(check.stdout, "AUTH_UNSUCCESSFUL_NO_ROLES") || !strings.Contains(check.stdout, " 1. Exchange RBAC: the app has no role assignment") {
		t.Fatalf("check --profile: want the RBAC role assignment ranked first\n%s", check.stdout)
	}
	if res := runCLI(t, env, "", append(append([]string{"profile", "edit"}, d...), "--auth-model", "permission", "RBAC")...); res.code != 0 {
		t.Fatalf("edit: %d %s", res.code, res.stderr)
	}
	check = runCLI(t, env, "", append(append([]string{"check"}, d...), "--profile", "RBAC")...)
	if !strings.Contains(check.stdout, " 1. API-permission model: SMTP.SendAsApp is not added") {
		t.Fatalf("after edit to permission: want the permission ranked first\n%s", check.stdout)
	}
	if res := runCLI(t, env, "", append(append([]string{"profile", "edit"}, d...), "--auth-model", "basic", "RBAC")...); res.code != 2 || !strings.Contains(res.stderr, "auth_model") {
		t.Fatalf("edit with an unknown model: exit %d %s", res.code, res.stderr)
	}
}
