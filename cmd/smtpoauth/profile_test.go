package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smtpoauth/smtpoauth/mailer/mailertest"
)

func TestProfileCLI_AddListShowEditCheckRotateBackupRemove(t *testing.T) {
	srv, _, caFile := fakeExchange(t)
	dir := t.TempDir()
	env := map[string]string{"SSL_CERT_FILE": caFile, "USER": "alice", "SMTPOAUTH_ALLOWED_HOSTS": allowFake(srv)}
	d := []string{"--data-dir", dir}

	add := append([]string{"profile", "add"}, d...)
	add = append(add, "--name", "Contoso billing", "--tenant", mailertest.ContosoTenantID, "--client-id", "11111111-aaaa-4bbb-8ccc-000000000001",
		"--mailbox", "billing@contoso.com", "--smtp-host", srv.SMTPAddr, "--authority", srv.URL, "--secret-file", "-")
	if res := runCLI(t, env, mailertest.WorkingSecret+"\n", add...); res.code != 0 {
		t.Fatalf("add: exit %d %s", res.code, res.stderr)
	}
	if res := runCLI(t, env, mailertest.WorkingSecret+"\n", add...); res.code != 2 || !strings.Contains(res.stderr, "already exists") {
		t.Fatalf("duplicate add: exit %d %s", res.code, res.stderr)
	}
	bad := append([]string{"profile", "add"}, d...)
	bad = append(bad, "--name", "Bad", "--tenant", "x y", "--client-id", "nope", "--mailbox", "m", "--secret-file", "-")
	if res := runCLI(t, env, "s\n", bad...); res.code != 2 || !strings.Contains(res.stderr, "tenant:") || !strings.Contains(res.stderr, "client_id:") {
		t.Fatalf("invalid add: exit %d %s", res.code, res.stderr)
	}

	list := runCLI(t, env, "", append([]string{"profile", "list"}, d...)...)
	show := runCLI(t, env, "", append(append([]string{"profile", "show"}, d...), "Contoso billing")...)
	for _, out := range []string{list.stdout, show.stdout} {
		if !strings.Contains(out, "Contoso billing") && !strings.Contains(out, "billing@contoso.com") {
			t.Fatalf("listing lacks the profile:\n%s", out)
		}
		if strings.Contains(out, mailertest.WorkingSecret) {
			t.Fatal("list/show printed the secret")
		}
	}
	if !strings.Contains(show.stdout, "secret Abc… set") || !strings.Contains(show.stdout, "by "+cliActor()) {
		t.Fatalf("show: %s", show.stdout)
	}

	edit := append(append([]string{"profile", "edit"}, d...), "--notes", "ticket 4711", "Contoso billing")
	if res := runCLI(t, env, "", edit...); res.code != 0 {
		t.Fatalf("edit: %d %s", res.code, res.stderr)
	}
	if res := runCLI(t, env, "", append(append([]string{"profile", "show"}, d...), "Contoso billing")...); !strings.Contains(res.stdout, "ticket 4711") || !strings.Contains(res.stdout, srv.SMTPAddr) {
		t.Fatalf("edit lost or did not apply fields:\n%s", res.stdout)
	}

	check := append(append([]string{"check"}, d...), "--profile", "Contoso billing")
	if res := runCLI(t, env, "", check...); res.code != 0 || !strings.Contains(res.stdout, "PASSED") {
		t.Fatalf("check --profile: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}

	if res := runCLI(t, env, "", append([]string{"key", "rotate"}, d...)...); res.code != 0 || !strings.Contains(res.stdout, "Rotated the master key") {
		t.Fatalf("key rotate: %d %s %s", res.code, res.stdout, res.stderr)
	}
	if res := runCLI(t, env, "", check...); res.code != 0 {
		t.Fatalf("check after rotation: exit %d\n%s", res.code, res.stderr)
	}

	backup := filepath.Join(t.TempDir(), "backup.db")
	if res := runCLI(t, env, "", append(append([]string{"backup"}, d...), backup)...); res.code != 0 || !strings.Contains(res.stdout, "keep a copy of that key") {
		t.Fatalf("backup: %d %s %s", res.code, res.stdout, res.stderr)
	}
	// The backup opens with the same key: copy the key next to it as a restore would.
	restore := t.TempDir()
	b, _ := os.ReadFile(backup)
	os.WriteFile(filepath.Join(restore, "smtpoauth.db"), b, 0o600)
	k, _ := os.ReadFile(filepath.Join(dir, "master.key"))
	os.WriteFile(filepath.Join(restore, "master.key"), k, 0o600)
	if res := runCLI(t, env, "", "check", "--data-dir", restore, "--profile", "Contoso billing"); res.code != 0 {
		t.Fatalf("check on restored backup: %d %s", res.code, res.stderr)
	}
	if raw, _ := os.ReadFile(backup); strings.Contains(string(raw), mailertest.WorkingSecret) {
		t.Fatal("the backup holds the secret in plaintext")
	}

	if res := runCLI(t, env, "", append(append([]string{"profile", "rm"}, d...), "Contoso billing")...); res.code != 0 {
		t.Fatalf("rm: %d %s", res.code, res.stderr)
	}
	if res := runCLI(t, env, "", append(append([]string{"profile", "show"}, d...), "Contoso billing")...); res.code != 2 || !strings.Contains(res.stderr, "no profile named") {
		t.Fatalf("show after rm: %d %s", res.code, res.stderr)
	}
}

func TestUserCLI(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"USER": "root"}
	d := []string{"--data-dir", dir}
	add := func(name, role, pw string) result {
		return runCLI(t, env, pw+"\n", append(append([]string{"user", "add"}, d...), "--name", name, "--role", role, "--password-file", "-")...)
	}
	if res := add("alice", "admin", "a long enough passphrase"); res.code != 0 {
		t.Fatalf("add: %d %s", res.code, res.stderr)
	}
	if res := add("bob", "helpdesk", "password1234"); res.code != 2 || !strings.Contains(res.stderr, "most common passwords") {
		t.Fatalf("common password: %d %s", res.code, res.stderr)
	}
	if res := add("bob", "helpdesk", "short"); res.code != 2 || !strings.Contains(res.stderr, "at least 12") {
		t.Fatalf("short password: %d %s", res.code, res.stderr)
	}
	add("bob", "helpdesk", "another long passphrase")
	list := runCLI(t, env, "", append([]string{"user", "list"}, d...)...)
	if !strings.Contains(list.stdout, "alice") || !strings.Contains(list.stdout, "helpdesk") || strings.Contains(list.stdout, "passphrase") {
		t.Fatalf("list:\n%s", list.stdout)
	}
	if res := runCLI(t, env, "yet another long passphrase\n", append(append([]string{"user", "passwd"}, d...), "--password-file", "-", "bob")...); res.code != 0 {
		t.Fatalf("passwd: %d %s", res.code, res.stderr)
	}
	if res := runCLI(t, env, "", append(append([]string{"user", "rm"}, d...), "alice")...); res.code != 2 || !strings.Contains(res.stderr, "last administrator") {
		t.Fatalf("removing the last admin: %d %s", res.code, res.stderr)
	}
	if res := runCLI(t, env, "", append(append([]string{"user", "rm"}, d...), "bob")...); res.code != 0 {
		t.Fatalf("rm: %d %s", res.code, res.stderr)
	}
}

// A refused user name is reported as a user problem, not a connection's.
func TestUserCLI_BadNameSaysUser(t *testing.T) {
	dir := t.TempDir()
	res := runCLI(t, nil, "a long enough passphrase\n", "user", "add", "--data-dir", dir, "--password-file", "-", "--name", "bad name!")
	if res.code != 2 || !strings.Contains(res.stderr, "invalid user: username") || strings.Contains(res.stderr, "profile") {
		t.Fatalf("got exit %d %q, want a usage error naming the user name", res.code, res.stderr)
	}
}
