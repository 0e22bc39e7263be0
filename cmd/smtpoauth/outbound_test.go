package main

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/mailer/mailertest"
	"github.com/smtpoauth/smtpoauth/store"
)

// The CLI saves no override the console's policy would refuse: a clear error naming the flag,
// the endpoint and why, and nothing stored.
func TestProfileCLI_AddRefusesOverrideOutsidePolicy(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"USER": "alice"}
	base := []string{"profile", "add", "--data-dir", dir, "--name", "Probe", "--tenant", mailertest.ContosoTenantID,
		"--client-id", "11111111-aaaa-4bbb-8ccc-000000000001", "--mailbox", "billing@contoso.com", "--secret-file", "-"}
	cases := []struct{ flag, value, want string }{
		{"--smtp-host", "10.9.9.9:22", "--smtp-host: 10.9.9.9:22 is not an allowed endpoint (10.9.9.9 is neither one of Microsoft's endpoints"},
		{"--smtp-host", "smtp.office365.com:22", "port 22 is not allowed for smtp.office365.com (allowed: 587)"},
		{"--authority", "https://169.254.169.254", "--authority: 169.254.169.254 is not an allowed endpoint"},
		{"--authority", "https://login.microsoftonline.com:22", "port 22 is not allowed for login.microsoftonline.com (allowed: 443)"},
	}
	for _, tc := range cases {
		t.Run(tc.value, func(t *testing.T) {
			res := runCLI(t, env, mailertest.WorkingSecret+"\n", append(base, tc.flag, tc.value)...)
			if res.code != 2 || !strings.Contains(res.stderr, tc.want) || !strings.Contains(res.stderr, "--allowed-hosts") {
				t.Fatalf("got exit %d %q, want 2 and %q", res.code, res.stderr, tc.want)
			}
			if strings.Contains(res.stderr+res.stdout, mailertest.WorkingSecret) {
				t.Fatal("the error shows the secret")
			}
		})
	}
	if list := runCLI(t, env, "", "profile", "list", "--data-dir", dir); strings.Contains(list.stdout, "Probe") {
		t.Fatalf("a refused profile was saved:\n%s", list.stdout)
	}
	// An operator's --allowed-hosts with a port allows exactly that endpoint.
	allowed := append(base, "--smtp-host", "relay.example.net:2525", "--allowed-hosts", "relay.example.net:2525")
	if res := runCLI(t, env, mailertest.WorkingSecret+"\n", allowed...); res.code != 0 {
		t.Fatalf("allowed host: exit %d %s", res.code, res.stderr)
	}
	edit := []string{"profile", "edit", "--data-dir", dir, "--smtp-host", "relay.example.net:25", "--allowed-hosts", "relay.example.net:2525", "Probe"}
	if res := runCLI(t, env, "", edit...); res.code != 2 || !strings.Contains(res.stderr, "port 25 is not allowed for relay.example.net (allowed: 2525)") {
		t.Fatalf("edit to another port: exit %d %s", res.code, res.stderr)
	}
	if res := runCLI(t, env, "", "profile", "add", "--data-dir", dir, "--allowed-hosts", "relay.example.net:99999"); res.code != 2 || !strings.Contains(res.stderr, "--allowed-hosts") {
		t.Fatalf("malformed --allowed-hosts: exit %d %s", res.code, res.stderr)
	}
}

// `smtpoauth check` refuses a typed override outside the policy before connecting anywhere.
func TestCheckCLI_OverrideOutsidePolicyRefused(t *testing.T) {
	args := []string{"check", "--tenant", "contoso.onmicrosoft.com", "--client-id", "11111111-aaaa-4bbb-8ccc-000000000001",
		"--mailbox", "billing@contoso.com", "--smtp-host", "10.9.9.9:22"}
	res := runCLI(t, map[string]string{"SMTPOAUTH_CLIENT_SECRET": "s3cret-value"}, "", args...)
	if res.code != 2 || !strings.Contains(res.stderr, "--smtp-host: 10.9.9.9:22 is not an allowed endpoint") || strings.Contains(res.stdout, "connecting") {
		t.Fatalf("got exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
}

// Demo mode exempts exactly the simulated Exchange's endpoints: a connection whose SMTP host is
// another loopback port (stored directly, as an old row would be) is refused when tested.
func TestServe_DemoRefusesOtherLoopbackPorts(t *testing.T) {
	dir := t.TempDir()
	if res := runCLI(t, map[string]string{}, "a long enough passphrase\n", "user", "add", "--data-dir", dir, "--name", "demo-admin", "--role", "admin", "--password-file", "-"); res.code != 0 {
		t.Fatalf("user add: %d %s", res.code, res.stderr)
	}
	base, stop := startServe(t, map[string]string{}, "--data-dir", dir, "--demo")
	defer stop()
	other, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	setDemoSMTPHost(t, dir, other.Addr().String())

	client := signedInClient(t, base, "demo-admin", "a long enough passphrase")
	resp, err := client.PostForm(base+"/profiles/1/runs", url.Values{"mode": {"auth"}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("start run: %v %v", resp, err)
	}
	page := waitVerdict(t, client, base+resp.Header.Get("Location"))
	if !strings.Contains(page, mailer.CodeTargetRefused) || !strings.Contains(page, other.Addr().String()) {
		t.Fatalf("want a policy refusal naming %s:\n%s", other.Addr(), page)
	}
	// A sentinel connection: had the check connected, its connection would be accepted first.
	sentinel, err := net.Dial("tcp", other.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer sentinel.Close()
	first, err := other.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	if first.RemoteAddr().String() != sentinel.LocalAddr().String() {
		t.Fatalf("demo mode connected to another loopback port (from %s)", first.RemoteAddr())
	}
}

// setDemoSMTPHost points the first demo connection at addr straight in the store, skipping the
// save-time check as a row from an older version would.
func setDemoSMTPHost(t *testing.T, dir, addr string) {
	t.Helper()
	data := dataFlags{dataDir: dir, logFormat: "text"}
	db, _, err := data.openStore(t.Context(), testEnv(nil, nil, io.Discard, io.Discard), slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p, err := db.Profile(t.Context(), 1)
	if err != nil {
		t.Fatal(err)
	}
	in := store.ProfileInput{Name: p.Name, Cloud: string(p.Cloud), Tenant: p.Tenant, ClientID: p.ClientID, CredentialKind: p.CredentialKind,
		Mailbox: p.Mailbox, From: p.From, TestRecipient: p.TestRecipient, SMTPHost: addr, Authority: p.Authority, Notes: p.Notes}
	if _, err := db.UpdateProfile(t.Context(), p.ID, in, "old version"); err != nil {
		t.Fatal(err)
	}
}

func waitVerdict(t *testing.T, client *http.Client, runURL string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 15*time.Second)
	defer cancel()
	for ctx.Err() == nil {
		r, err := client.Get(runURL)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r.Body)
		r.Body.Close()
		if page := string(b); strings.Contains(page, `data-testid="verdict-summary"`) {
			return page
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("run never finished")
	return ""
}

// The command `smtpoauth demo-exchange` prints works as printed: its environment names exactly
// the simulation's endpoints, which the outbound policy then allows.
func TestDemoExchange_PrintedCheckCommandPasses(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"demo-exchange", "--ca-file", t.TempDir() + "/ca.pem"}, func(string) string { return "" }, strings.NewReader(""), pw, io.Discard)
		pw.Close()
	}()
	defer func() { cancel(); <-done }()
	env := map[string]string{}
	var command []string
	lines := bufio.NewScanner(pr)
	for lines.Scan() && !strings.Contains(lines.Text(), "Other simulated tenants") {
		line := strings.TrimSpace(strings.TrimSuffix(lines.Text(), `\`))
		if k, v, ok := strings.Cut(strings.TrimPrefix(line, "export "), "="); ok && strings.HasPrefix(line, "export ") {
			env[k] = strings.Trim(v, "'")
		} else if strings.HasPrefix(line, "smtpoauth check") || len(command) > 0 && strings.HasPrefix(line, "--") {
			command = append(command, strings.Fields(strings.TrimPrefix(line, "smtpoauth"))...)
		}
	}
	go io.Copy(io.Discard, pr) // let the command finish printing
	if env["SMTPOAUTH_ALLOWED_HOSTS"] == "" || len(command) == 0 {
		t.Fatalf("got env %v command %q", env, command)
	}
	if res := runCLI(t, env, "", command...); res.code != 0 || !strings.Contains(res.stdout, "PASSED") {
		t.Fatalf("printed command: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
}
