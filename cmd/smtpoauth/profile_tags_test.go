package main

import (
	"strings"
	"testing"

	"github.com/smtpoauth/smtpoauth/mailer/mailertest"
)

// --tags sets the tags on add; on edit, a given --tags replaces them, an absent one keeps them.
func TestProfileCLI_Tags(t *testing.T) {
	env := map[string]string{"USER": "alice"}
	d := []string{"--data-dir", t.TempDir()}
	add := append(append([]string{"profile", "add"}, d...), "--name", "Contoso billing", "--tenant", mailertest.ContosoTenantID,
		"--client-id", "11111111-aaaa-4bbb-8ccc-000000000001", "--mailbox", "billing@contoso.com", "--secret-file", "-", "--tags", "Contoso, north")
	if res := runCLI(t, env, mailertest.WorkingSecret+"\n", add...); res.code != 0 {
		t.Fatalf("add: exit %d %s", res.code, res.stderr)
	}
	show := func() string {
		return runCLI(t, env, "", append(append([]string{"profile", "show"}, d...), "Contoso billing")...).stdout
	}
	if out := show(); !strings.Contains(out, "Contoso, north") {
		t.Fatalf("show lacks the tags:\n%s", out)
	}
	edit := func(args ...string) result {
		return runCLI(t, env, "", append(append(append([]string{"profile", "edit"}, d...), args...), "Contoso billing")...)
	}
	if res := edit("--notes", "n"); res.code != 0 || !strings.Contains(show(), "Contoso, north") {
		t.Fatalf("edit without --tags: exit %d %s; want the tags kept:\n%s", res.code, res.stderr, show())
	}
	if res := edit("--tags", "=1+1"); res.code != 2 || !strings.Contains(res.stderr, "tags:") {
		t.Fatalf("bad tag: exit %d %s, want 2 naming tags", res.code, res.stderr)
	}
	if res := edit("--tags", ""); res.code != 0 || strings.Contains(show(), "Contoso, north") {
		t.Fatalf("edit --tags \"\": exit %d; want the tags cleared:\n%s", res.code, show())
	}
}
