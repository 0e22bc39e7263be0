package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/smtpoauth/smtpoauth/mailer/mailertest"
	"github.com/smtpoauth/smtpoauth/store"
)

// fleetWorld stores connections against the fake: five that work (tag "contoso", all sending
// through billing@contoso.com, with it@contoso.com as test recipient) and one with the secret's
// ID pasted instead of its value (tag "fabrikam").
func fleetWorld(t *testing.T) (srv *mailertest.Server, env map[string]string, dir string) {
	t.Helper()
	srv, scenarios, caFile := fakeExchange(t)
	dir = t.TempDir()
	env = map[string]string{"SSL_CERT_FILE": caFile, "USER": "alice", "SMTPOAUTH_ALLOWED_HOSTS": allowFake(srv)}
	ctx := context.Background()
	db, _, err := (&dataFlags{dataDir: dir, logFormat: "text"}).openStore(ctx, testEnv(env, nil, io.Discard, io.Discard), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	add := func(name, scenarioName string, tags ...string) {
		sc := scenario(t, scenarios, scenarioName)
		in := store.ProfileInput{Name: name, Tenant: sc.Tenant, ClientID: sc.ClientID, Secret: sc.Secret, Mailbox: sc.Mailbox,
			TestRecipient: "it@contoso.com", SMTPHost: srv.SMTPAddr, Authority: srv.URL, Tags: tags}
		if _, err := db.CreateProfile(ctx, in, "alice"); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	for _, name := range []string{"Contoso A", "Contoso B", "Contoso C", "Contoso D", "Contoso E"} {
		add(name, "works", "contoso")
	}
	add("Fabrikam", "wrong-secret", "fabrikam")
	return srv, env, dir
}

// jsonLines splits check --all --json output into its connection lines and its summary.
func jsonLines(t *testing.T, out string) (lines []map[string]any, summary map[string]any) {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("a line is not JSON: %v\n%s", err, sc.Text())
		}
		if s, ok := m["summary"].(map[string]any); ok {
			summary = s
			continue
		}
		if summary != nil {
			t.Fatalf("a line after the summary:\n%s", out)
		}
		lines = append(lines, m)
	}
	if summary == nil {
		t.Fatalf("no summary line:\n%s", out)
	}
	return lines, summary
}

// check --all tests every stored connection: one JSON line each with its name, a summary last,
// exit 1 because one failed, at most three sessions on the shared mailbox, one token for the
// five connections of the working app, nothing secret printed.
func TestCheckAllCLI_JSONLinesAndSummary(t *testing.T) {
	srv, env, dir := fleetWorld(t)
	res := runCLI(t, env, "", "check", "--all", "--json", "--data-dir", dir, "--concurrency", "6")
	if res.code != 1 {
		t.Fatalf("exit %d, want 1 (one connection fails)\n%s%s", res.code, res.stdout, res.stderr)
	}
	lines, summary := jsonLines(t, res.stdout)
	byName := map[string]map[string]any{}
	for _, l := range lines {
		byName[l["name"].(string)] = l
	}
	if len(lines) != 6 || len(byName) != 6 {
		t.Fatalf("got %d lines for %d names, want 6:\n%s", len(lines), len(byName), res.stdout)
	}
	if byName["Contoso A"]["ok"] != true || byName["Contoso A"]["stage"] != "done" || byName["Fabrikam"]["ok"] != false {
		t.Fatalf("wrong verdicts:\n%s", res.stdout)
	}
	if d, _ := byName["Fabrikam"]["diagnosis"].(map[string]any); d == nil || d["code"] != "TOKEN_SECRET_INVALID" || d["title"] == "" {
		t.Fatalf("Fabrikam's diagnosis: %v", byName["Fabrikam"]["diagnosis"])
	}
	if summary["total"] != 6.0 || summary["passed"] != 5.0 || summary["failed"] != 1.0 || summary["by_diagnosis"].(map[string]any)["TOKEN_SECRET_INVALID"] != 1.0 {
		t.Fatalf("got summary %v", summary)
	}
	if summary["token_requests"] != 2.0 {
		t.Fatalf("got %v token requests, want 2 (one per app registration)", summary["token_requests"])
	}
	if c := srv.Counters(); c.PeakSessions["billing@contoso.com"] > 3 || c.ThreadLimited != 0 {
		t.Fatalf("the fake saw %+v", c)
	}
	if len(srv.Messages()) != 0 {
		t.Fatal("check --all sent messages without --send")
	}
	for _, secret := range []string{mailertest.WorkingSecret, mailertest.SecretID} {
		if strings.Contains(res.stdout+res.stderr, secret) {
			t.Fatal("the output holds a client secret")
		}
	}
	for _, tok := range srv.IssuedTokens() {
		if strings.Contains(res.stdout, tok) {
			t.Fatal("the output holds an access token")
		}
	}
}

// --tag and --failing narrow the fleet; --send sends each connection's test message; the runs
// are recorded, so --failing after a run finds the one that failed.
func TestCheckAllCLI_TagFailingSend(t *testing.T) {
	srv, env, dir := fleetWorld(t)
	res := runCLI(t, env, "", "check", "--all", "--tag", "Contoso", "--send", "--data-dir", dir)
	if res.code != 0 || strings.Count(res.stdout, "PASSED") != 5 || strings.Contains(res.stdout, "Fabrikam") {
		t.Fatalf("--tag contoso --send: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	if n := len(srv.Messages()); n != 5 {
		t.Fatalf("%d messages arrived, want 5", n)
	}
	if res := runCLI(t, env, "", "check", "--all", "--failing", "--data-dir", dir); res.code != 0 || !strings.Contains(res.stdout, "0 tested") {
		t.Fatalf("--failing before Fabrikam was ever tested: exit %d\n%s", res.code, res.stdout)
	}
	if res := runCLI(t, env, "", "check", "--all", "--data-dir", dir); res.code != 1 {
		t.Fatalf("--all: exit %d\n%s", res.code, res.stdout)
	}
	res = runCLI(t, env, "", "check", "--all", "--failing", "--json", "--data-dir", dir)
	lines, summary := jsonLines(t, res.stdout)
	if res.code != 1 || len(lines) != 1 || lines[0]["name"] != "Fabrikam" || summary["total"] != 1.0 {
		t.Fatalf("--failing: exit %d\n%s", res.code, res.stdout)
	}
}

// Flags that contradict each other, an unknown tag or a silly concurrency are bad input: exit
// 2, a message naming the problem, and nothing tested.
func TestCheckAllCLI_BadInput(t *testing.T) {
	srv, env, dir := fleetWorld(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--tag", "contoso"}, "--tag needs --all"},
		{[]string{"--failing"}, "--failing needs --all"},
		{[]string{"--all", "--profile", "Contoso A"}, "takes no --profile"},
		{[]string{"--all", "--to", "it@contoso.com"}, "takes no --to"},
		{[]string{"--all", "--tag", "nobody"}, `no connection has the tag "nobody"`},
		{[]string{"--all", "--tag", " "}, "--tag needs a tag"},
		{[]string{"--all", "--concurrency", "0"}, "--concurrency must be between 1 and 200"},
	} {
		res := runCLI(t, env, "", append([]string{"check", "--data-dir", dir}, tc.args...)...)
		if res.code != 2 || !strings.Contains(res.stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, res.code, res.stderr, tc.want)
		}
	}
	if c := srv.Counters(); c.TokenRequests != 0 {
		t.Fatalf("bad input reached the token endpoint %d times", c.TokenRequests)
	}
}
