package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer/mailertest"
	"github.com/smtpoauth/smtpoauth/store"
)

// runCLIWithin runs the CLI and fails the test, instead of hanging it, when the command does
// not return in time; unblock is called then, to free whatever the command waits on.
func runCLIWithin(t *testing.T, ctx context.Context, stdin io.Reader, unblock func(), args ...string) result {
	t.Helper()
	done := make(chan result, 1)
	go func() {
		var out, errOut bytes.Buffer
		err := run(ctx, args, func(string) string { return "" }, stdin, &out, &errOut)
		code := exitCode(err, &errOut)
		done <- result{stdout: out.String(), stderr: errOut.String(), code: code}
	}()
	select {
	case res := <-done:
		return res
	case <-time.After(20 * time.Second):
		unblock()
		t.Fatalf("smtpoauth %s did not return", strings.Join(args, " "))
		return result{}
	}
}

func profileAddArgs(dir string, extra ...string) []string {
	return append([]string{"profile", "add", "--data-dir", dir, "--name", "Contoso billing", "--tenant", mailertest.ContosoTenantID,
		"--client-id", "11111111-aaaa-4bbb-8ccc-000000000001", "--mailbox", "billing@contoso.com"}, extra...)
}

// Files the CLI reads must be small regular files: a device never ends, a FIFO blocks the open,
// a directory is a mistake. Each is refused at once with the flag and the reason.
func TestCLIFiles_OnlySmallRegularFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(t.TempDir(), "big")
	os.WriteFile(big, bytes.Repeat([]byte("s"), maxInputBytes+1), 0o600)
	exact := filepath.Join(t.TempDir(), "exact")
	os.WriteFile(exact, bytes.Repeat([]byte("s"), maxInputBytes), 0o600)
	hugeChain := filepath.Join(t.TempDir(), "chain.pem")
	os.WriteFile(hugeChain, bytes.Repeat([]byte("c"), maxCABundleBytes+1), 0o600)
	serveArgs := func(cert, key string) []string {
		return []string{"serve", "--addr", "127.0.0.1:0", "--data-dir", t.TempDir(), "--tls-cert", cert, "--tls-key", key}
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"ErrFIFO", profileAddArgs(dir, "--secret-file", fifo), "--secret-file: " + fifo + " is a named pipe (FIFO), not a regular file"},
		{"ErrDirectory", profileAddArgs(dir, "--secret-file", dir), "is a directory, not a regular file"},
		{"ErrDevice", profileAddArgs(dir, "--secret-file", "/dev/zero"), "--secret-file: /dev/zero is a device, not a regular file"},
		{"ErrTooLarge", profileAddArgs(dir, "--secret-file", big), "--secret-file: " + big + " is larger than 64 KiB"},
		{"ErrPasswordFIFO", []string{"user", "add", "--data-dir", dir, "--name", "carol", "--password-file", fifo}, "--password-file: " + fifo + " is a named pipe"},
		{"ErrKeyTooLarge", []string{"check", "--tenant", mailertest.ContosoTenantID, "--client-id", "11111111-aaaa-4bbb-8ccc-000000000001",
			"--mailbox", "billing@contoso.com", "--cert-file", exact, "--key-file", big}, "--key-file: " + big + " is larger than 64 KiB; it cannot be a private key"},
		{"ErrServeTLSCertFIFO", serveArgs(fifo, exact), "--tls-cert: " + fifo + " is a named pipe (FIFO), not a regular file"},
		{"ErrServeTLSKeyDirectory", serveArgs(exact, dir), "--tls-key: " + dir + " is a directory, not a regular file"},
		{"ErrServeTLSCertTooLarge", serveArgs(hugeChain, exact), "--tls-cert: " + hugeChain + " is larger than 4 MiB; it cannot be a certificate chain"},
		{"ErrServeTLSNotAPair", serveArgs(exact, exact), "--tls-cert " + exact + " and --tls-key " + exact + ": "},
		{"ErrHealthcheckCertFIFO", []string{"healthcheck", "--addr", "127.0.0.1:1", "--tls-cert", fifo}, "--tls-cert: " + fifo + " is a named pipe (FIFO), not a regular file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Opening the FIFO for writing frees a reader stuck in open (the old behaviour).
			unblock := func() {
				if f, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
					f.Close()
				}
			}
			res := runCLIWithin(t, context.Background(), strings.NewReader(""), unblock, tc.args...)
			if res.code != 2 || !strings.Contains(res.stderr, tc.want) {
				t.Fatalf("got exit %d %q, want exit 2 saying %q", res.code, res.stderr, tc.want)
			}
		})
	}
	t.Run("OKExactlyTheLimit", func(t *testing.T) {
		if _, err := readInputFile(context.Background(), "--secret-file", exact, maxInputBytes); err != nil {
			t.Fatalf("a file of exactly %d bytes: %v", maxInputBytes, err)
		}
	})
}

// Standard input has the same bound as files, and past it an error: never a silent cut.
func TestCLIStdin_LongInputIsWholeOrRefused(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("a long passphrase ", 300) // 5,400 bytes: more than the old 4 KiB cut
	if res := runCLI(t, nil, long+"\n", "user", "add", "--data-dir", dir, "--name", "alice", "--role", "admin", "--password-file", "-"); res.code != 0 {
		t.Fatalf("add with a long password: exit %d %s", res.code, res.stderr)
	}
	db := openData(t, dir)
	if _, err := db.Authenticate(context.Background(), "alice", long); err != nil {
		t.Fatalf("the long password does not sign in (stored cut?): %v", err)
	}
	db.Close()

	tooLong := strings.Repeat("s", maxInputBytes+1)
	res := runCLI(t, nil, tooLong, profileAddArgs(dir, "--secret-file", "-")...)
	if res.code != 2 || !strings.Contains(res.stderr, "--secret-file -: standard input holds more than 64 KiB") {
		t.Fatalf("over-long secret on standard input: exit %d %q", res.code, res.stderr)
	}
	res = runCLI(t, nil, tooLong, "user", "passwd", "--data-dir", dir, "--password-file", "-", "alice")
	if res.code != 2 || !strings.Contains(res.stderr, "standard input holds more than 64 KiB; it cannot be a password") {
		t.Fatalf("over-long password on standard input: exit %d %q", res.code, res.stderr)
	}
}

// A command waiting on standard input stops when it is cancelled (Ctrl-C, SIGTERM).
func TestCLIStdin_CancelStopsTheRead(t *testing.T) {
	dir := t.TempDir()
	pr, pw := io.Pipe()
	defer pw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	// Cancel once the command is really waiting on standard input (not while it still opens the
	// database, which takes long on a loaded machine).
	stdin := &firstReadSignal{r: pr, reading: cancel}
	res := runCLIWithin(t, ctx, stdin, func() { pw.Close() }, profileAddArgs(dir, "--secret-file", "-")...)
	if res.code == 0 || !strings.Contains(res.stderr, "canceled") {
		t.Fatalf("got exit %d %q, want a cancelled command", res.code, res.stderr)
	}
}

// firstReadSignal calls reading when the first Read starts, then blocks in it as the pipe does.
type firstReadSignal struct {
	r       io.Reader
	once    sync.Once
	reading func()
}

func (f *firstReadSignal) Read(p []byte) (int, error) {
	f.once.Do(func() { time.AfterFunc(50*time.Millisecond, f.reading) })
	return f.r.Read(p)
}

// Profile changes made from the command line land in the console's audit log, with who made them.
func TestProfileCLI_ChangesAreAudited(t *testing.T) {
	dir := t.TempDir()
	d := []string{"--data-dir", dir}
	if res := runCLI(t, nil, mailertest.WorkingSecret+"\n", profileAddArgs(dir, "--secret-file", "-")...); res.code != 0 {
		t.Fatalf("add: exit %d %s", res.code, res.stderr)
	}
	if res := runCLI(t, nil, "another-secret-value\n", append(append([]string{"profile", "edit"}, d...), "--notes", "ticket 1", "--secret-file", "-", "Contoso billing")...); res.code != 0 {
		t.Fatalf("edit: exit %d %s", res.code, res.stderr)
	}
	if res := runCLI(t, nil, "", append(append([]string{"profile", "rm"}, d...), "Contoso billing")...); res.code != 0 {
		t.Fatalf("rm: exit %d %s", res.code, res.stderr)
	}
	db := openData(t, dir)
	defer db.Close()
	entries, err := db.AuditLog(context.Background(), store.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append([]string{e.Action + " " + e.Target + " by " + e.Actor}, got...)
	}
	actor := cliActor()
	want := []string{"profile.created Contoso billing by " + actor, "profile.updated Contoso billing by " + actor,
		"secret.replaced Contoso billing by " + actor, "profile.deleted Contoso billing by " + actor}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("audit log:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !strings.HasPrefix(actor, "cli:") || actor == "cli:" {
		t.Fatalf("actor %q does not name the operating system user", actor)
	}
}

// A certificate connection can be edited without giving its key again; the stored key stays and works.
func TestProfileCLI_CertificateEditKeepsTheKey(t *testing.T) {
	srv, scenarios, caFile := fakeExchange(t)
	sc := scenario(t, scenarios, "certificate")
	dir := t.TempDir()
	files := t.TempDir()
	os.WriteFile(filepath.Join(files, "cert.pem"), sc.CertPEM, 0o600)
	os.WriteFile(filepath.Join(files, "key.pem"), sc.KeyPEM, 0o600)
	// The fake's own endpoints are the only ones this connection may use (outbound policy).
	env := map[string]string{"SSL_CERT_FILE": caFile, "SMTPOAUTH_ALLOWED_HOSTS": allowFake(srv)}
	add := []string{"profile", "add", "--data-dir", dir, "--name", "Cert app", "--tenant", sc.Tenant, "--client-id", sc.ClientID,
		"--mailbox", sc.Mailbox, "--smtp-host", srv.SMTPAddr, "--authority", srv.URL,
		"--cert-file", filepath.Join(files, "cert.pem"), "--key-file", filepath.Join(files, "key.pem")}
	if res := runCLI(t, env, "", add...); res.code != 0 {
		t.Fatalf("add: exit %d %s", res.code, res.stderr)
	}
	if res := runCLI(t, env, "", "profile", "edit", "--data-dir", dir, "--notes", "renewed 2026", "Cert app"); res.code != 0 {
		t.Fatalf("edit without the key: exit %d %s", res.code, res.stderr)
	}
	show := runCLI(t, env, "", "profile", "show", "--data-dir", dir, "Cert app")
	if !strings.Contains(show.stdout, "renewed 2026") || !strings.Contains(show.stdout, "certificate ") {
		t.Fatalf("show after edit:\n%s", show.stdout)
	}
	if res := runCLI(t, env, "", "check", "--data-dir", dir, "--profile", "Cert app"); res.code != 0 || !strings.Contains(res.stdout, "PASSED") {
		t.Fatalf("check after edit: exit %d\n%s%s", res.code, res.stdout, res.stderr)
	}
	if res := runCLI(t, env, "", "profile", "edit", "--data-dir", dir, "--cert-file", filepath.Join(files, "cert.pem"), "Cert app"); res.code != 2 || !strings.Contains(res.stderr, "needs both --cert-file and --key-file") {
		t.Fatalf("edit with a certificate but no key: exit %d %s", res.code, res.stderr)
	}
}

// openData opens a data folder the CLI wrote, with the key it generated there.
func openData(t *testing.T, dir string) *store.DB {
	t.Helper()
	keys, _, err := store.LoadKeys(func(string) string { return "" }, dir)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), filepath.Join(dir, store.FileName), keys)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// The audit log names a CLI user by the operating system: when the account has no name, by
// its uid, never by $USER, which anyone running the command can set.
func TestCLIActor_UIDWhenAccountHasNoName(t *testing.T) {
	t.Setenv("USER", "alice")
	want := "cli:uid " + strconv.Itoa(os.Getuid())
	if got := actorName(nil, errors.New("user: unknown userid")); got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	if got := actorName(&user.User{Username: "bob"}, nil); got != "cli:bob" {
		t.Fatalf("got %q, want cli:bob", got)
	}
}
