package handlers_test

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/pem"
	"strings"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/mailer/mailertest"
	"github.com/smtpoauth/smtpoauth/store"
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

// Without JavaScript the transcript is a plain list of every line: the filter, search and copy
// tools stay hidden (run.js shows them), and the verdict card comes first with its outcome.
func TestRunPage_PlainListWithoutJavaScript(t *testing.T) {
	c := newConsole(t)
	path := c.runScenario(t, "works")
	d := doc(t, mustBody(t, c, path))
	if _, hidden := testid(d, "transcript-tools").Attr("hidden"); !hidden {
		t.Fatal("the transcript tools show without JavaScript, where they cannot work")
	}
	run, err := c.DB.Run(t.Context(), path[strings.LastIndex(path, "/")+1:])
	if err != nil {
		t.Fatal(err)
	}
	if n := d.Find(`[data-testid="transcript"] > li[data-testid="event"]`).Length(); n != len(run.Events) {
		t.Fatalf("got %d lines in the list, want all %d", n, len(run.Events))
	}
	v := testid(d, "verdict")
	if role, _ := v.Attr("role"); role != "status" {
		t.Fatalf("verdict role %q, want status", role)
	}
	if outcome, _ := v.Attr("data-outcome"); outcome != "passed" {
		t.Fatalf("data-outcome %q, want passed", outcome)
	}
	// The card precedes the transcript in the document, so it comes first for every reader.
	if html, _ := d.Html(); strings.Index(html, `data-testid="verdict"`) > strings.Index(html, `data-testid="transcript"`) {
		t.Fatal("the verdict comes after the transcript in the page")
	}
}

// A run cut off by a shutdown says so to people who automate the console: data-outcome is
// "interrupted", not "failed", even when it had reached a stage.
func TestRunPage_InterruptedRunOutcome(t *testing.T) {
	c := newConsole(t)
	f := c.scenarioForm(t, "works")
	f.Set("mode", "none")
	c.post(t, "/profiles", f)
	run := &store.Run{ProfileID: 1, ProfileName: "Test works", StartedBy: adminName, StartedAt: time.Now()}
	if err := c.DB.StartRun(t.Context(), run); err != nil {
		t.Fatal(err)
	}
	res := &mailer.Result{Stage: mailer.StageAuth, Started: time.Now(), Finished: time.Now(), Timings: map[mailer.Stage]int64{}}
	if err := c.DB.InterruptRun(t.Context(), run.ID, res); err != nil {
		t.Fatal(err)
	}
	d := doc(t, mustBody(t, c, "/runs/"+run.ID))
	if outcome, _ := testid(d, "verdict").Attr("data-outcome"); outcome != "interrupted" {
		t.Fatalf("data-outcome %q, want interrupted", outcome)
	}
}
