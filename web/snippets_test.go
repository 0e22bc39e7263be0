package web_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/smtpoauth/smtpoauth/web"
)

// needTool finds a checker nobody here wrote. CI sets SMTPOAUTH_REQUIRE_TOOLS so that a missing
// tool fails instead of skipping.
func needTool(t *testing.T, name, pkg string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("SMTPOAUTH_REQUIRE_TOOLS") != "" {
			t.Fatalf("%s is required (install it: apt-get install %s)", name, pkg)
		}
		t.Skipf("%s not installed", name)
	}
	return path
}

// settingsCases are a plain connection, a certificate one, and one whose values carry every
// character a careless quoting would turn into code.
func settingsCases() map[string]web.SettingsView {
	plain := web.SettingsView{Host: "smtp.office365.com", Port: 587, TokenURL: "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token",
		Authority: "https://login.microsoftonline.com/contoso.onmicrosoft.com", Scope: "https://outlook.office365.com/.default",
		ClientID: "6f1c7a52-0000-4000-8000-000000000001", Mailbox: "relay@contoso.com", From: "relay@contoso.com"}
	cert := plain
	cert.Certificate, cert.Thumbprint = true, "0123456789ABCDEF0123456789ABCDEF01234567"
	hostile := plain
	hostile.Mailbox = `o'brien"$x{\}@contoso.com`
	hostile.From = "m\u00fcller'\"\\$(id)@contoso.com\u2028"
	hostile.ClientID = `a"b'c\d$e`
	return map[string]web.SettingsView{"plain": plain, "certificate": cert, "hostile": hostile}
}

func snippet(t *testing.T, v web.SettingsView, id string) string {
	t.Helper()
	for _, s := range web.BuildSnippets(v) {
		if s.ID == id {
			return s.Text
		}
	}
	t.Fatalf("no snippet %s", id)
	return ""
}

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSnippets_PythonCompiles(t *testing.T) {
	py := needTool(t, "python3", "python3")
	for name, v := range settingsCases() {
		for _, id := range []string{"snippet-python", "snippet-token"} {
			text := snippet(t, v, id)
			p := writeFile(t, "s.py", text)
			if out, err := exec.Command(py, "-m", "py_compile", p).CombinedOutput(); err != nil {
				t.Errorf("%s %s: py_compile: %v\n%s\n%s", name, id, err, out, text)
			}
		}
	}
}

// The Python snippet verifies the server's certificate: smtplib's starttls() without a context
// does not.
func TestSnippets_PythonVerifiesTheServer(t *testing.T) {
	text := snippet(t, settingsCases()["plain"], "snippet-python")
	if !strings.Contains(text, "smtp.starttls(context=ssl.create_default_context())") {
		t.Fatalf("got\n%s\nwant starttls with a verifying context", text)
	}
}

// The Python snippet's values are the connection's, as Python reads them back.
func TestSnippets_PythonValuesSurviveQuoting(t *testing.T) {
	py := needTool(t, "python3", "python3")
	v := settingsCases()["hostile"]
	// Evaluate the literal the snippet wrote for the mailbox: it must be the mailbox.
	text := snippet(t, v, "snippet-python")
	start := strings.Index(text, `"user=" + `) + len(`"user=" + `)
	end := strings.Index(text[start:], ` + "\x01auth`)
	if start < len(`"user=" + `) || end < 0 {
		t.Fatalf("no user= literal in:\n%s", text)
	}
	out, err := exec.Command(py, "-c", "import sys; sys.stdout.write("+text[start:start+end]+")").Output()
	if err != nil || string(out) != v.Mailbox {
		t.Fatalf("mailbox literal reads back as %q (%v), want %q", out, err, v.Mailbox)
	}
}

func TestSnippets_PHPLints(t *testing.T) {
	php := needTool(t, "php", "php-cli")
	for name, v := range settingsCases() {
		text := snippet(t, v, "snippet-php")
		p := writeFile(t, "s.php", text)
		if out, err := exec.Command(php, "-l", p).CombinedOutput(); err != nil {
			t.Errorf("%s: php -l: %v\n%s\n%s", name, err, out, text)
		}
	}
}

func TestSnippets_CSharpParses(t *testing.T) {
	mcs := needTool(t, "mcs", "mono-mcs")
	for name, v := range settingsCases() {
		text := snippet(t, v, "snippet-csharp")
		p := writeFile(t, "SendMail.cs", text)
		// --parse checks the syntax only: MailKit and MSAL are not needed.
		if out, err := exec.Command(mcs, "--parse", p).CombinedOutput(); err != nil || strings.Contains(string(out), "error") {
			t.Errorf("%s: mcs --parse: %v\n%s\n%s", name, err, out, text)
		}
	}
}

// msmtp reads the configuration and prints what it would do, without connecting (--pretend).
func TestSnippets_MsmtpConfigReads(t *testing.T) {
	msmtp := needTool(t, "msmtp", "msmtp")
	// --pretend still runs passwordeval: a stand-in python3 prints a token instead of asking Entra.
	bin := t.TempDir()
	if err := os.WriteFile(filepath.Join(bin, "python3"), []byte("#!/bin/sh\necho stand-in-token\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	for name, v := range settingsCases() {
		text := snippet(t, v, "snippet-msmtp")
		p := writeFile(t, "msmtprc", text)
		cmd := exec.Command(msmtp, "--pretend", "-C", p, "-a", "exchange", "someone@example.com")
		cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("%s: msmtp --pretend: %v\n%s\n%s", name, err, out, text)
			continue
		}
		// How msmtp prints a value with quotes in it is its own business: the hostile case only
		// has to be read without an error.
		wants := []string{"host = " + v.Host, "port = 587", "auth = xoauth2", "tls = on", "tls_starttls = on"}
		if name != "hostile" {
			wants = append(wants, "user = "+v.Mailbox, "from = "+v.From)
		}
		for _, want := range wants {
			if !strings.Contains(strings.ToLower(string(out)), strings.ToLower(want)) {
				t.Errorf("%s: msmtp read %q, want %q in it", name, out, want)
			}
		}
	}
}

// No snippet carries a secret: they read it from the environment or a key file.
func TestSnippets_NeverTheSecret(t *testing.T) {
	for name, v := range settingsCases() {
		for _, s := range web.BuildSnippets(v) {
			if !strings.Contains(s.Text, v.ClientID) && !strings.Contains(s.Text, strings.ReplaceAll(v.ClientID, `"`, `\"`)) && name == "plain" && s.ID != "snippet-msmtp" {
				t.Errorf("%s %s: got no client ID", name, s.ID)
			}
			if strings.Contains(strings.ToLower(s.Text), "client_secret = \"") {
				t.Errorf("%s %s: got a literal secret", name, s.ID)
			}
		}
	}
}
