package handlers_test

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/pem"
	"strings"
	"testing"

	"github.com/smtpoauth/smtpoauth/mailer/mailertest"
)

// After a pass the verdict card says how to send the same way: the values the test used and
// snippets filled in with them, never the secret. A failed run shows none of it.
func TestRunPage_UseTheseSettingsAfterAPass(t *testing.T) {
	c := newConsole(t)
	sc, _ := mailertest.ScenarioByName(c.Scenarios, "works")
	d := doc(t, mustBody(t, c, c.runScenario(t, "works")))
	settings := testid(d, "settings")
	if settings.Length() == 0 {
		t.Fatal("a passed run shows no settings")
	}
	host := c.Fake.SMTPAddr[:strings.LastIndex(c.Fake.SMTPAddr, ":")]
	port := c.Fake.SMTPAddr[strings.LastIndex(c.Fake.SMTPAddr, ":")+1:]
	for id, want := range map[string]string{"settings-host": host, "settings-port": port, "settings-client-id": sc.ClientID,
		"settings-mailbox": sc.Mailbox, "settings-scope": "https://outlook.office365.com/.default",
		"settings-token-url": c.Fake.URL + "/" + sc.Tenant + "/oauth2/v2.0/token"} {
		if got := strings.TrimSpace(testid(d, id).Text()); got != want {
			t.Errorf("%s: got %q, want %q", id, got, want)
		}
	}
	for _, id := range []string{"snippet-python", "snippet-token", "snippet-msmtp", "snippet-csharp", "snippet-php"} {
		text := testid(d, id).Find("code").Text()
		if text == "" {
			t.Errorf("%s: got no snippet", id)
		}
		if id != "snippet-msmtp" && !strings.Contains(text, sc.ClientID) {
			t.Errorf("%s: got no client ID in\n%s", id, text)
		}
	}
	if strings.Contains(settings.Text(), sc.Secret) || strings.Contains(d.Text(), sc.Secret) {
		t.Fatal("the run page shows the client secret")
	}

	failed := doc(t, mustBody(t, c, c.runScenario(t, "no-service-principal")))
	if testid(failed, "settings").Length() != 0 {
		t.Fatal("a failed run shows settings to use")
	}
}

// A connection that signs in with a certificate gets snippets that use it, with its thumbprint.
func TestRunPage_UseTheseSettingsWithACertificate(t *testing.T) {
	c := newConsole(t)
	sc, _ := mailertest.ScenarioByName(c.Scenarios, "certificate")
	form := c.scenarioForm(t, "certificate")
	form.Set("credential_kind", "certificate")
	form.Set("secret", "")
	form.Set("certificate_pem", string(sc.CertPEM))
	form.Set("private_key_pem", string(sc.KeyPEM))
	resp, _ := c.post(t, "/profiles", form)
	d := c.waitRun(t, resp.Header.Get("Location"))
	block, _ := pem.Decode(sc.CertPEM)
	sum := sha1.Sum(block.Bytes)
	thumb := strings.ToUpper(hex.EncodeToString(sum[:]))
	if !strings.Contains(testid(d, "settings-values").Text(), thumb) {
		t.Fatalf("settings: got %q, want the thumbprint %s", testid(d, "settings-values").Text(), thumb)
	}
	if py := testid(d, "snippet-python").Text(); !strings.Contains(py, `"thumbprint": "`+thumb+`"`) || strings.Contains(py, "SMTP_CLIENT_SECRET") {
		t.Fatalf("the Python snippet does not sign in with the certificate:\n%s", py)
	}
	if strings.Contains(d.Text(), "PRIVATE KEY") {
		t.Fatal("the run page shows the private key")
	}
}

func mustBody(t *testing.T, c *console, path string) string {
	t.Helper()
	_, body := c.get(t, path)
	return body
}
