package mailertest_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smtpoauth/smtpoauth/mailer/mailertest"
)

// needTool finds a real client nobody here wrote. CI sets SMTPOAUTH_REQUIRE_TOOLS so that a
// missing tool fails instead of skipping.
func needTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("SMTPOAUTH_REQUIRE_TOOLS") != "" {
			t.Fatalf("%s is required (install it: apt-get install %s)", name, name)
		}
		t.Skipf("%s not installed", name)
	}
	return path
}

func startWorld(t *testing.T) (*mailertest.Server, string) {
	t.Helper()
	srv, err := mailertest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	if _, err := srv.InstallStandardWorld(); err != nil {
		t.Fatal(err)
	}
	ca := filepath.Join(t.TempDir(), "ca.pem")
	os.WriteFile(ca, srv.CACertPEM, 0o644)
	return srv, ca
}

// curlToken asks the fake's token endpoint with curl, as any HTTP client would Entra ID.
func curlToken(t *testing.T, srv *mailertest.Server, ca, tenant, clientID, secret string) (int, map[string]any) {
	t.Helper()
	curl := needTool(t, "curl")
	form := filepath.Join(t.TempDir(), "form")
	// The secret goes in a file, not on curl's command line (the process list).
	os.WriteFile(form, []byte(secret), 0o600)
	out, err := exec.Command(curl, "-sS", "--cacert", ca, "-w", "\n%{http_code}",
		"--data-urlencode", "client_id="+clientID, "--data-urlencode", "scope=https://outlook.office365.com/.default",
		"--data-urlencode", "grant_type=client_credentials", "--data-urlencode", "client_secret@"+form,
		srv.URL+"/"+tenant+"/oauth2/v2.0/token").CombinedOutput()
	if err != nil {
		t.Fatalf("curl: %v\n%s", err, out)
	}
	body, status, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	if i := strings.LastIndex(string(out), "\n"); i >= 0 {
		body, status = string(out[:i]), string(out[i+1:])
	}
	var code int
	fmt.Sscan(status, &code)
	var doc map[string]any
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatalf("token endpoint answered non-JSON to curl: %v\n%s", err, body)
	}
	return code, doc
}

func TestInterop_CurlFetchesToken(t *testing.T) {
	srv, ca := startWorld(t)
	status, doc := curlToken(t, srv, ca, mailertest.ContosoTenantID, "11111111-aaaa-4bbb-8ccc-000000000001", mailertest.WorkingSecret)
	if status != 200 || doc["token_type"] != "Bearer" || doc["access_token"] == nil || doc["expires_in"] != float64(3599) {
		t.Fatalf("got %d %v", status, doc)
	}
	status, doc = curlToken(t, srv, ca, mailertest.ContosoTenantID, "11111111-aaaa-4bbb-8ccc-000000000001", mailertest.SecretID)
	if status != 401 || doc["error"] != "invalid_client" || !strings.HasPrefix(doc["error_description"].(string), "AADSTS7000215: Invalid client secret provided.") {
		t.Fatalf("wrong secret: got %d %v", status, doc)
	}
	if codes, _ := doc["error_codes"].([]any); len(codes) != 1 || codes[0] != float64(7000215) {
		t.Fatalf("error_codes: got %v", doc["error_codes"])
	}
}

// msmtp authenticates with XOAUTH2 (token from passwordeval) after STARTTLS with certificate
// checks, and submits a message, exactly as a customer's appliance would.
func TestInterop_MsmtpSendsThroughFake(t *testing.T) {
	msmtp := needTool(t, "msmtp")
	srv, ca := startWorld(t)
	status, doc := curlToken(t, srv, ca, mailertest.ContosoTenantID, "11111111-aaaa-4bbb-8ccc-000000000001", mailertest.WorkingSecret)
	if status != 200 {
		t.Fatalf("no token: %v", doc)
	}
	send := func(token, from string) (string, error) {
		dir := t.TempDir()
		tokenFile := filepath.Join(dir, "token")
		// msmtp reads the first line of passwordeval output; without a final newline it can miss EOF.
		os.WriteFile(tokenFile, []byte(token+"\n"), 0o600)
		host, port, _ := strings.Cut(srv.SMTPAddr, ":")
		conf := fmt.Sprintf("defaults\ntls on\ntls_starttls on\ntls_trust_file %s\n\naccount fake\nhost %s\nport %s\nfrom %s\nauth xoauth2\nuser billing@contoso.com\npasswordeval cat %s\n\naccount default : fake\n",
			ca, host, port, from, tokenFile)
		confFile := filepath.Join(dir, "msmtprc")
		os.WriteFile(confFile, []byte(conf), 0o600)
		cmd := exec.Command(msmtp, "-C", confFile, "it@contoso.com")
		cmd.Stdin = strings.NewReader("From: <" + from + ">\r\nTo: <it@contoso.com>\r\nSubject: msmtp interop\r\n\r\nhello from msmtp\r\n")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := send(doc["access_token"].(string), "billing@contoso.com"); err != nil {
		t.Fatalf("msmtp failed: %v\n%s", err, out)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 || !strings.Contains(msgs[0].Data, "hello from msmtp") || msgs[0].To[0] != "it@contoso.com" {
		t.Fatalf("the fake did not receive msmtp's message: %+v", msgs)
	}
	// A token the fake did not issue gets Exchange's 535 5.7.3, which msmtp reports.
	out, err := send("eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJ4In0.c2ln", "billing@contoso.com")
	if err == nil || !strings.Contains(out, "5.7.3 Authentication unsuccessful") {
		t.Fatalf("forged token: got err=%v\n%s", err, out)
	}
	// And a From the mailbox may not send as gets SendAsDenied after DATA.
	out, err = send(doc["access_token"].(string), "noreply@contoso.com")
	if err == nil || !strings.Contains(out, "SendAsDenied") {
		t.Fatalf("send-as: got err=%v\n%s", err, out)
	}
}
