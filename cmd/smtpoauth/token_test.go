package main

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/store"
)

// A token made on the command line is printed once, alone on stdout, works until revoked, is
// listed without itself, and each change is audited as the OS user.
func TestTokenCLI_CreateListRevoke(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"USER": "alice"}
	d := []string{"--data-dir", dir}
	res := runCLI(t, env, "", append([]string{"token", "create"}, append(d, "--name", "prometheus", "--role", "helpdesk", "--scopes", "metrics,api", "--expires", "90d")...)...)
	if res.code != 0 {
		t.Fatalf("create: exit %d %s", res.code, res.stderr)
	}
	token := strings.TrimSpace(res.stdout)
	if !strings.HasPrefix(token, store.TokenPrefix) || strings.Contains(token, "\n") || !strings.Contains(res.stderr, "not shown again") {
		t.Fatalf("create printed %q / %q", res.stdout, res.stderr)
	}
	list := runCLI(t, env, "", append([]string{"token", "list"}, d...)...)
	if !strings.Contains(list.stdout, "prometheus") || !strings.Contains(list.stdout, "api,metrics") || !strings.Contains(list.stdout, "…"+token[len(token)-4:]) ||
		strings.Contains(list.stdout, token) {
		t.Fatalf("list:\n%s", list.stdout)
	}
	for _, bad := range [][]string{
		{"--name", "x", "--role", "root"},
		{"--name", "prometheus", "--role", "admin"},
		{"--name", "y", "--role", "admin", "--expires", "soon"},
		{"--name", "z"},
	} {
		if res := runCLI(t, env, "", append([]string{"token", "create"}, append(d, bad...)...)...); res.code != 2 {
			t.Errorf("create %v: exit %d, want 2: %s", bad, res.code, res.stderr)
		}
	}
	if res := runCLI(t, env, "", append(append([]string{"token", "revoke"}, d...), "prometheus")...); res.code != 0 {
		t.Fatalf("revoke: exit %d %s", res.code, res.stderr)
	}
	if res := runCLI(t, env, "", append(append([]string{"token", "revoke"}, d...), "nobody")...); res.code != 2 {
		t.Fatalf("revoke unknown: exit %d", res.code)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	keys, _, err := store.LoadKeys(func(k string) string { return env[k] }, dir)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, filepath.Join(dir, store.FileName), keys)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.LookupAPIToken(ctx, token); !errors.Is(err, store.ErrTokenUnusable) {
		t.Fatalf("revoked token: got %v", err)
	}
	all, _ := db.AuditLog(ctx, store.AuditFilter{})
	got := map[string]string{}
	for _, e := range all {
		got[e.Action] = e.Actor + " " + e.Target
	}
	for _, action := range []string{"token.created", "token.revoked"} {
		if !strings.HasPrefix(got[action], "cli:") || !strings.HasSuffix(got[action], " prometheus") {
			t.Errorf("audit of %s: %q", action, got[action])
		}
	}
}
