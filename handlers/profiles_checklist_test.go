package handlers_test

import (
	"net/url"
	"strings"
	"testing"
)

// runScenario saves a scenario's connection, runs it, and returns the run page's path.
func (c *console) runScenario(t *testing.T, name string) string {
	t.Helper()
	resp, _ := c.post(t, "/profiles", c.scenarioForm(t, name))
	path := resp.Header.Get("Location")
	c.waitRun(t, path)
	return path
}

func TestChecklist_StatusPerScenario(t *testing.T) {
	cases := map[string]map[string]string{
		"works": {"prerequisites": "ok", "permission": "ok", "secret": "ok", "service-principal": "ok", "mailbox-permission": "ok", "smtp-auth": "ok", "live-test": "ok"},
		// The connection says it uses the API permission and the token has no roles: that proves the
		// permission missing; the rest of what 535 5.7.3 leaves open are possible causes.
		"missing-role": {"prerequisites": "ok", "permission": "failed", "service-principal": "suspect", "live-test": "failed"},
		// 535 5.7.3 with SMTP.SendAsApp in the token: the permission model's pieces, ranked, none proven.
		"no-service-principal": {"permission": "ok", "service-principal": "suspect", "mailbox-permission": "suspect", "smtp-auth": "unknown", "live-test": "failed"},
		"rbac-works":           {"permission": "ok", "service-principal": "ok", "management-scope": "ok", "role-assignment": "ok", "live-test": "ok"},
		"rbac-out-of-scope":    {"permission": "ok", "role-assignment": "suspect", "management-scope": "suspect", "service-principal": "suspect", "live-test": "failed"},
		"wrong-secret":         {"secret": "failed", "permission": "unknown"},
		"smtp-auth-disabled":   {"smtp-auth": "failed", "service-principal": "unknown"},
		"send-as-denied":       {"send-as": "failed", "service-principal": "ok"},
	}
	for name, want := range cases {
		t.Run(name, func(t *testing.T) {
			c := newConsole(t)
			f := c.scenarioForm(t, name)
			if name == "send-as-denied" {
				f.Set("mode", "send")
			}
			resp, _ := c.post(t, "/profiles", f)
			c.waitRun(t, resp.Header.Get("Location"))
			_, body := c.get(t, "/profiles/1/setup")
			d := doc(t, body)
			for step, status := range want {
				got, _ := testid(d, "step-"+step).Attr("data-status")
				if got != status {
					t.Errorf("step %s: got %q, want %q", step, got, status)
				}
			}
			if name == "works" || name == "rbac-works" {
				if n := d.Find(`[data-status="failed"], [data-status="suspect"], [data-status="unknown"]`).Length(); n != 0 {
					t.Errorf("a passing connection has %d steps that are not green", n)
				}
			}
		})
	}
}

func TestChecklist_DiagnosisLinksToStepThatShowsTheFailure(t *testing.T) {
	c := newConsole(t)
	runPath := c.runScenario(t, "no-service-principal")
	_, body := c.get(t, runPath)
	href, ok := testid(doc(t, body), "checklist-link").Attr("href")
	if !ok || href != "/profiles/1/setup#step-service-principal" {
		t.Fatalf("remediation link: %q", href)
	}
	_, body = c.get(t, "/profiles/1/setup")
	step := testid(doc(t, body), "step-service-principal")
	finding := step.Find(`[data-testid="finding"]`).Text()
	if !strings.Contains(finding, "535 5.7.3") {
		t.Fatalf("the step does not show the failure: %q", finding)
	}
	if !strings.Contains(step.Text(), "a1000000-0000-4000-8000-000000000004") || !strings.Contains(step.Text(), "Enterprise applications") {
		t.Fatal("the step does not show the token's oid and the portal names")
	}
	// An English page names the portal in English only (issue 13).
	if strings.Contains(step.Text(), "Unternehmensanwendungen") {
		t.Fatalf("the English step shows the German portal name: %q", step.Text())
	}
}

// The oid of a token issued by the (fake) Entra lands in -ObjectId of the downloaded script.
func TestSetupScript_OIDFromTokenLandsInObjectID(t *testing.T) {
	c := newConsole(t)
	f := c.scenarioForm(t, "wrong-object-id")
	c.runScenario(t, "wrong-object-id")
	resp, script := c.get(t, "/profiles/1/setup.ps1")
	if !strings.Contains(resp.Header.Get("Content-Disposition"), ".ps1") {
		t.Fatal("not a .ps1 download")
	}
	if !strings.Contains(script, "$ObjectId    = 'a1000000-0000-4000-8000-000000000005'") {
		t.Fatalf("the token's oid is not the script's object ID:\n%s", script[:min(len(script), 1200)])
	}
	if strings.Contains(script, f.Get("secret")) {
		t.Fatal("the script contains the secret")
	}
	// Before any token, the script carries a placeholder and refuses to run.
	c.post(t, "/profiles", url.Values{"name": {"fresh"}, "tenant": {"contoso.onmicrosoft.com"}, "client_id": {"11111111-aaaa-4bbb-8ccc-000000000009"},
		"credential_kind": {"secret"}, "secret": {"x-secret-value"}, "mailbox": {"a@contoso.com"}, "mode": {"none"}})
	_, script = c.get(t, "/profiles/2/setup.ps1")
	if !strings.Contains(script, "throw 'Set $ObjectId") || !strings.Contains(script, "<object ID") {
		t.Fatal("a script without a token does not refuse to run")
	}
}

func TestChecklist_GUIDShapedSecretFlagged(t *testing.T) {
	c := newConsole(t)
	f := c.scenarioForm(t, "wrong-secret")
	f.Set("mode", "none")
	c.post(t, "/profiles", f)
	_, body := c.get(t, "/profiles/1/setup")
	step := testid(doc(t, body), "step-secret")
	if st, _ := step.Attr("data-status"); st != "failed" || !strings.Contains(step.Text(), "Secret ID") {
		t.Fatalf("a GUID-shaped secret is not flagged before any test: %q", st)
	}
}
