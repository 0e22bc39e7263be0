package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestDashboard_EmptyState(t *testing.T) {
	c := newConsole(t)
	resp, body := c.get(t, "/")
	d := doc(t, body)
	if resp.StatusCode != 200 || testid(d, "empty").Length() != 1 {
		t.Fatalf("got %d, want the empty state", resp.StatusCode)
	}
	if !strings.Contains(testid(d, "empty").Text(), "--demo") || testid(d, "empty").Find(`a[href="/wizard"]`).Length() != 1 {
		t.Fatal("the empty state does not point to New connection and the demo")
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Fatalf("pages must not be cached: got Cache-Control %q", cc)
	}
}

func TestWizard_CreateValidationKeepsInputAndSavesNothing(t *testing.T) {
	c := newConsole(t)
	form := c.scenarioForm(t, "works")
	cases := []struct{ field, value string }{
		{"name", ""}, {"tenant", "not a tenant"}, {"client_id", "billing-app"}, {"secret", ""}, {"mailbox", "billing"},
		{"test_recipient", "it at contoso"}, {"smtp_host", "no-port"}, {"authority", "http://x"}, {"secret_expires_on", "tomorrow"},
	}
	for _, tc := range cases {
		t.Run(tc.field, func(t *testing.T) {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			f.Set(tc.field, tc.value)
			f.Set("notes", "keep me <b>typed</b>")
			resp, body := c.post(t, "/profiles", f)
			d := doc(t, body)
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("got %d, want 422", resp.StatusCode)
			}
			if testid(d, "error-"+tc.field).Length() != 1 {
				t.Fatalf("no message next to %s:\n%s", tc.field, testid(d, "profile-form").Text())
			}
			if got, _ := d.Find("#" + tc.field).Attr("aria-invalid"); got != "true" {
				t.Errorf("%s not marked aria-invalid", tc.field)
			}
			if v, _ := d.Find("#tenant").Attr("value"); tc.field != "tenant" && v != form.Get("tenant") {
				t.Errorf("the form lost what was typed: tenant=%q", v)
			}
			if !strings.Contains(d.Find("#notes").Text(), "keep me <b>typed</b>") {
				t.Error("notes not kept")
			}
			if strings.Contains(body, form.Get("secret")) {
				t.Fatal("the secret was echoed back into the page")
			}
			if n, _ := c.DB.CountProfiles(t.Context()); n != 0 {
				t.Fatalf("invalid input saved %d profiles", n)
			}
		})
	}
}

func TestWizard_DuplicateName(t *testing.T) {
	c := newConsole(t)
	f := c.scenarioForm(t, "works")
	f.Set("mode", "none")
	if resp, _ := c.post(t, "/profiles", f); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("first create: %d", resp.StatusCode)
	}
	f.Set("name", strings.ToUpper(f.Get("name")))
	resp, body := c.post(t, "/profiles", f)
	if resp.StatusCode != http.StatusUnprocessableEntity || testid(doc(t, body), "error-name").Length() != 1 {
		t.Fatalf("duplicate: got %d", resp.StatusCode)
	}
}

// After saving, no response of the console contains the secret: not pages, not fragments,
// not downloads, not the live stream.
func TestSecretNeverInAnyResponseAfterSave(t *testing.T) {
	c := newConsole(t)
	f := c.scenarioForm(t, "works")
	secret := f.Get("secret")
	resp, _ := c.post(t, "/profiles", f)
	runPath := resp.Header.Get("Location")
	if !strings.HasPrefix(runPath, "/runs/") {
		t.Fatalf("create did not start a run: %s", runPath)
	}
	c.waitRun(t, runPath)
	paths := []string{"/", "/?q=contoso", "/profiles/1", "/profiles/1/edit", "/runs", runPath, runPath + "/transcript.txt", runPath + "/evidence.txt", runPath + "/events"}
	for _, p := range paths {
		_, body := c.get(t, p)
		if strings.Contains(body, secret) {
			t.Fatalf("%s contains the secret", p)
		}
		for _, tok := range c.Fake.IssuedTokens() {
			if strings.Contains(body, tok) {
				t.Fatalf("%s contains an access token", p)
			}
		}
	}
	_, body := c.get(t, "/profiles/1/edit")
	d := doc(t, body)
	if v, _ := d.Find("#secret").Attr("value"); v != "" {
		t.Fatalf("the secret field is not write-only: value %q", v)
	}
	if st := testid(d, "secret-status").Text(); !strings.Contains(st, "starts with Abc") || !strings.Contains(st, "set on") {
		t.Fatalf("secret status: %q", st)
	}
}

func TestEdit_EmptySecretKeepsStoredOne(t *testing.T) {
	c := newConsole(t)
	f := c.scenarioForm(t, "works")
	f.Set("mode", "none")
	c.post(t, "/profiles", f)
	f.Set("secret", "")
	f.Set("notes", "changed")
	f.Set("mode", "auth")
	resp, _ := c.post(t, "/profiles/1", f)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("update: %d", resp.StatusCode)
	}
	d := c.waitRun(t, resp.Header.Get("Location"))
	if !strings.Contains(testid(d, "verdict-summary").Text(), "Passed") {
		t.Fatalf("after an edit without a secret the test fails: %s", testid(d, "verdict").Text())
	}
}

func TestProfilePage_ShowsClaimsHistoryAndPowerShell(t *testing.T) {
	c := newConsole(t)
	resp, _ := c.post(t, "/profiles", c.scenarioForm(t, "no-service-principal"))
	c.waitRun(t, resp.Header.Get("Location"))
	_, body := c.get(t, "/profiles/1")
	d := doc(t, body)
	if got := testid(d, "claim-oid").Text(); got != "a1000000-0000-4000-8000-000000000004" {
		t.Fatalf("oid: got %q", got)
	}
	if testid(d, "run-history").Find("li").Length() != 1 {
		t.Fatal("run history missing")
	}
	ps := testid(d, "powershell").Text()
	if !strings.Contains(ps, "New-ServicePrincipal -AppId '11111111-aaaa-4bbb-8ccc-000000000004' -ObjectId 'a1000000-0000-4000-8000-000000000004'") {
		t.Fatalf("PowerShell not filled with the token's oid:\n%s", ps)
	}
}

func TestDelete_NeedsConfirmationAndKeepsRuns(t *testing.T) {
	c := newConsole(t)
	resp, _ := c.post(t, "/profiles", c.scenarioForm(t, "works"))
	runPath := resp.Header.Get("Location")
	c.waitRun(t, runPath)
	if resp, _ := c.post(t, "/profiles/1/delete", url.Values{}); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("delete without confirmation: %d", resp.StatusCode)
	}
	if resp, _ := c.post(t, "/profiles/1/delete", url.Values{"confirm": {"yes"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", resp.StatusCode)
	}
	_, body := c.get(t, runPath)
	if got := testid(doc(t, body), "run-profile").Text(); got != "deleted profile Test works" {
		t.Fatalf("got %q", got)
	}
	if resp, _ := c.get(t, "/profiles/1"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("deleted profile page: %d", resp.StatusCode)
	}
}

func TestInjection_RendersInertAndRefusesCRLF(t *testing.T) {
	c := newConsole(t)
	f := c.scenarioForm(t, "works")
	payload := `<script>alert(1)</script><img src=x onerror=alert(2)>`
	f.Set("name", "X "+payload)
	f.Set("notes", payload+`"'><svg onload=alert(3)>`)
	f.Set("mode", "none")
	if resp, _ := c.post(t, "/profiles", f); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d", resp.StatusCode)
	}
	for _, p := range []string{"/", "/profiles/1", "/profiles/1/edit"} {
		_, body := c.get(t, p)
		if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") || strings.Contains(body, "<svg onload") {
			t.Fatalf("%s renders the payload as markup", p)
		}
	}
	f.Set("name", "other")
	f.Set("mailbox", "billing@contoso.com\r\nRCPT TO:<victim@example.com>")
	if resp, _ := c.post(t, "/profiles", f); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("CRLF in mailbox: got %d, want 422", resp.StatusCode)
	}
}

func TestCrossOriginPostRefused(t *testing.T) {
	c := newConsole(t)
	f := c.scenarioForm(t, "works")
	f.Set("mode", "none")
	resp, _ := c.post(t, "/profiles", f, "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example")
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-origin POST: got %d, want 403", resp.StatusCode)
	}
	if n, _ := c.DB.CountProfiles(t.Context()); n != 0 {
		t.Fatal("a cross-origin POST saved a profile")
	}
}

func TestNotFoundAndStatic(t *testing.T) {
	c := newConsole(t)
	if resp, body := c.get(t, "/nope"); resp.StatusCode != 404 || testid(doc(t, body), "error").Length() != 1 {
		t.Fatalf("got %d", resp.StatusCode)
	}
	_, body := c.get(t, "/")
	href, _ := doc(t, body).Find(`link[href*="app.css"]`).Attr("href")
	resp, _ := c.get(t, href)
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
		t.Fatalf("fingerprinted asset %s: %d %q", href, resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Fatalf("CSP: %q", csp)
	}
}

// A private key pasted into the tenant field of the wizard's token check is refused as a key
// in the wrong place, and the page never shows it back, not even in an error message.
func TestWizardToken_KeyInTenantFieldNotEchoed(t *testing.T) {
	c := newConsole(t)
	// On one line, as some paste paths leave it: short enough for a domain name's length check,
	// which would quote it.
	key := "-----BEGIN EC PRIVATE KEY----- MHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oGy3mpIsatjgoAoGCCqGSM49 -----END EC PRIVATE KEY-----"
	f := c.scenarioForm(t, "works")
	f.Set("tenant", key)
	for _, htmx := range []bool{true, false} {
		var headers []string
		if htmx {
			headers = []string{"HX-Request", "true"}
		}
		_, body := c.post(t, "/wizard/token", f, headers...)
		if strings.Contains(body, "MHcCAQEEIBkg4LVWM9nu") || strings.Contains(body, "BEGIN EC PRIVATE KEY") {
			t.Fatalf("htmx %v: the private key is shown back:\n%s", htmx, body)
		}
		if !strings.Contains(body, "private key") {
			t.Fatalf("htmx %v: no word about the misplaced key:\n%s", htmx, body)
		}
	}
}
