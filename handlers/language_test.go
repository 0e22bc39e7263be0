package handlers_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestLanguage_AcceptLanguageAndSwitch(t *testing.T) {
	c := newConsole(t)
	req, _ := http.NewRequest(http.MethodGet, c.URL+"/", nil)
	req.Header.Set("Accept-Language", "de-DE,de;q=0.9,en;q=0.5")
	d := doc(t, readAll(t, c.client, req))
	if lang, _ := d.Find("html").Attr("lang"); lang != "de" || !strings.Contains(d.Find("h1").Text(), "Verbindungen") {
		t.Fatalf("Accept-Language de: lang=%q h1=%q", lang, d.Find("h1").Text())
	}
	// The page's switch remembers English in a cookie, which beats Accept-Language.
	resp2, _ := c.post(t, "/lang", url.Values{"lang": {"en"}, "next": {"/runs"}})
	if resp2.StatusCode != http.StatusSeeOther || resp2.Header.Get("Location") != "/runs" {
		t.Fatalf("switch: %d %s", resp2.StatusCode, resp2.Header.Get("Location"))
	}
	req, _ = http.NewRequest(http.MethodGet, c.URL+"/", nil)
	req.Header.Set("Accept-Language", "de")
	if !strings.Contains(doc(t, readAll(t, c.client, req)).Find("h1").Text(), "Connections") {
		t.Fatal("the chosen language did not stick")
	}
	if resp, _ := c.post(t, "/lang", url.Values{"lang": {"de"}, "next": {"//evil.example/"}}); resp.Header.Get("Location") != "/" {
		t.Fatalf("open redirect through the language switch: %s", resp.Header.Get("Location"))
	}
}

func readAll(t *testing.T, cl *http.Client, req *http.Request) string {
	t.Helper()
	resp, err := cl.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// German everywhere a person reads: validation errors, diagnoses, the checklist, dates.
func TestLanguage_GermanMessages(t *testing.T) {
	c := newConsole(t)
	c.post(t, "/lang", url.Values{"lang": {"de"}})
	f := c.scenarioForm(t, "works")
	f.Set("tenant", "kein mandant")
	_, body := c.post(t, "/profiles", f)
	if got := testid(doc(t, body), "error-tenant").Text(); !strings.Contains(got, "weder eine Verzeichnis-ID") {
		t.Fatalf("German validation error: %q", got)
	}
	runPath := c.runScenario(t, "missing-role")
	_, body = c.get(t, runPath)
	d := doc(t, body)
	if got := testid(d, "diagnosis-title").Text(); got != "Exchange hat die App abgelehnt, deren Token keine Rollen hat (535 5.7.3)" {
		t.Fatalf("German diagnosis title: %q", got)
	}
	if !strings.Contains(testid(d, "remediation").Text(), "Administratorzustimmung") {
		t.Fatal("remediation not German")
	}
	if !strings.Contains(testid(d, "verdict-summary").Text(), "Fehlgeschlagen im Schritt") {
		t.Fatalf("verdict: %q", testid(d, "verdict-summary").Text())
	}
	_, body = c.get(t, "/profiles/1/setup")
	d = doc(t, body)
	if !strings.Contains(testid(d, "step-permission").Text(), "SMTP.SendAsApp mit Administratorzustimmung erteilt") ||
		!strings.Contains(testid(d, "step-permission").Text(), "fehlerhaft") {
		t.Fatalf("German checklist: %s", testid(d, "step-permission").Text())
	}
	_, script := c.get(t, "/profiles/1/setup.ps1")
	if !strings.Contains(script, "# Teil 1 liest nur.") {
		t.Fatal("the downloaded script's comments are not German")
	}
}
