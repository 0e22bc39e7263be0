package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer/mailertest"
	"github.com/smtpoauth/smtpoauth/store"
)

// testEnv is the process environment of an in-process run: env's variables only, and argon2 at
// its lowest cost, since at full cost under the race detector each sign-in takes seconds.
func testEnv(vars map[string]string, stdin io.Reader, stdout, stderr io.Writer) env {
	return env{getenv: func(k string) string { return vars[k] }, stdin: stdin, stdout: stdout, stderr: stderr,
		store: store.Options{Password: store.PasswordParams{Time: 1, Memory: 1024, Threads: 1}}}
}

// result is what one in-process run of the binary produced.
type result struct {
	stdout, stderr string
	code           int
}

// runCLI runs the real run function with its own environment, as the process would.
func runCLI(t testing.TB, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var out, errOut bytes.Buffer
	err := dispatch(ctx, args, testEnv(env, strings.NewReader(stdin), &out, &errOut))
	code := exitCode(err, &errOut)
	return result{stdout: out.String(), stderr: errOut.String(), code: code}
}

// fakeExchange starts the fake with its standard world and writes its CA where SSL_CERT_FILE can point.
func fakeExchange(t testing.TB) (*mailertest.Server, []mailertest.Scenario, string) {
	t.Helper()
	srv, err := mailertest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	scenarios, err := srv.InstallStandardWorld()
	if err != nil {
		t.Fatal(err)
	}
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, srv.CACertPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	return srv, scenarios, caFile
}

// checkArgs turns a scenario into check flags and environment; certificates go to files.
func checkArgs(t testing.TB, srv *mailertest.Server, sc mailertest.Scenario, caFile string) ([]string, map[string]string) {
	t.Helper()
	args := []string{"check", "--authority", srv.URL, "--smtp-host", srv.SMTPAddr, "--tenant", sc.Tenant,
		"--client-id", sc.ClientID, "--mailbox", sc.Mailbox, "--reply-timeout", "2s", "--timeout", "20s"}
	if sc.From != "" {
		args = append(args, "--from", sc.From)
	}
	if sc.To != "" {
		args = append(args, "--to", sc.To)
	}
	if sc.AuthModel != "" {
		args = append(args, "--auth-model", string(sc.AuthModel))
	}
	env := map[string]string{"SSL_CERT_FILE": caFile, "SMTPOAUTH_ALLOWED_HOSTS": allowFake(srv)}
	if sc.CertPEM != nil {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "cert.pem"), sc.CertPEM, 0o600)
		os.WriteFile(filepath.Join(dir, "key.pem"), sc.KeyPEM, 0o600)
		args = append(args, "--cert-file", filepath.Join(dir, "cert.pem"), "--key-file", filepath.Join(dir, "key.pem"))
	} else {
		env["SMTPOAUTH_CLIENT_SECRET"] = sc.Secret
	}
	return args, env
}

// allowFake is an --allowed-hosts value for exactly the fake's endpoints (and extra ones): the
// outbound policy refuses loopback unless the exact address and port are named.
func allowFake(srv *mailertest.Server, extra ...string) string {
	return strings.Join(append(srv.Endpoints(), extra...), ",")
}

func scenario(t testing.TB, all []mailertest.Scenario, name string) mailertest.Scenario {
	t.Helper()
	sc, ok := mailertest.ScenarioByName(all, name)
	if !ok {
		t.Fatalf("no scenario %q", name)
	}
	return sc
}
