package handlers_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/smtpoauth/smtpoauth/handlers"
	"github.com/smtpoauth/smtpoauth/store"
)

// The API goes through the console's own rules: recipient policy, run rate limits, body
// limits and the outbound policy, each refused as problem details with nothing started or saved.
func TestAPI_SamePolicyAndLimitsAsConsole(t *testing.T) {
	c := newConsole(t, func(cfg *handlers.Config) { cfg.Security.RunsPerMinuteUser, cfg.Security.RunsPerMinuteProfile = 1, 0 })
	f := c.scenarioForm(t, "works")
	f.Set("mode", "none")
	c.post(t, "/profiles", f)
	desk := c.mustAPIToken(t, "desk", store.RoleHelpdesk)
	admin := c.mustAPIToken(t, "admin", store.RoleAdmin)
	k := newContract(t)

	t.Run("ErrRecipientNotAllowed", func(t *testing.T) {
		resp, b := c.api(t, k, apiCall{method: "POST", path: "/api/v1/connections/1/runs", token: desk, body: map[string]any{"mode": "send", "to": "someone@elsewhere.example"}})
		if p := problemOf(t, resp, b); resp.StatusCode != 403 || p["code"] != "forbidden" {
			t.Fatalf("got %d %s", resp.StatusCode, b)
		}
		if log, _ := c.DB.AuditLog(t.Context(), store.AuditFilter{Actor: "token:desk", Action: "run.refused"}); len(log) != 1 {
			t.Fatal("the refused recipient is not audited")
		}
	})
	t.Run("ErrRateLimitPerToken", func(t *testing.T) {
		c.apiJSON(t, k, apiCall{method: "POST", path: "/api/v1/connections/1/runs", token: desk, body: map[string]any{"mode": "auth"}}, 202, nil)
		resp, b := c.api(t, k, apiCall{method: "POST", path: "/api/v1/connections/1/runs", token: desk, body: map[string]any{"mode": "auth"}})
		if p := problemOf(t, resp, b); resp.StatusCode != 429 || p["code"] != "rate_limited" || resp.Header.Get("Retry-After") == "" {
			t.Fatalf("got %d %s", resp.StatusCode, b)
		}
		// Another token is another caller, as another person would be.
		c.apiJSON(t, k, apiCall{method: "POST", path: "/api/v1/connections/1/runs", token: admin, body: map[string]any{"mode": "auth"}}, 202, nil)
	})
	t.Run("ErrBodyTooLarge", func(t *testing.T) {
		big := `{"notes":"` + strings.Repeat("x", 100<<10) + `"}`
		resp, b := c.api(t, k, apiCall{method: "PUT", path: "/api/v1/connections/1/notes", token: desk, body: big, bad: true})
		if p := problemOf(t, resp, b); resp.StatusCode != 413 || p["code"] != "too_large" {
			t.Fatalf("got %d %s", resp.StatusCode, b)
		}
	})
	t.Run("ErrNotJSON", func(t *testing.T) {
		resp, b := c.api(t, k, apiCall{method: "PUT", path: "/api/v1/connections/1/notes", token: desk, body: "notes=x", headers: []string{"Content-Type", "application/x-www-form-urlencoded"}, bad: true})
		if p := problemOf(t, resp, b); resp.StatusCode != 415 || p["code"] != "unsupported_media_type" {
			t.Fatalf("got %d %s", resp.StatusCode, b)
		}
	})
	t.Run("ErrOutboundPolicy", func(t *testing.T) {
		body := c.connectionBody(t, "works")
		body["name"], body["smtp_host"] = "Private", "10.1.2.3:587"
		resp, b := c.api(t, k, apiCall{method: "POST", path: "/api/v1/connections", token: admin, body: body})
		p := problemOf(t, resp, b)
		if resp.StatusCode != 422 || p["errors"].(map[string]any)["smtp_host"] == nil {
			t.Fatalf("got %d %s", resp.StatusCode, b)
		}
		if _, err := c.DB.ProfileByName(t.Context(), "Private"); err == nil {
			t.Fatal("a connection to a private address was saved")
		}
	})
	if p, _ := c.DB.Profile(t.Context(), 1); p.Notes != "" {
		t.Fatal("a refused request changed the notes")
	}
	_ = http.StatusOK
}
