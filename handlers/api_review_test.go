package handlers_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/smtpoauth/smtpoauth/store"
)

// Refusals that name no known token can be sent by anyone, as fast as they like: the append-only
// audit log takes at most one of them a minute from one address, so a flood cannot grow it.
func TestAPI_AnonymousRefusalsFloodNoAuditLog(t *testing.T) {
	c := newConsole(t)
	for i := 0; i < 50; i++ {
		resp, _ := c.api(t, nil, apiCall{method: "GET", path: "/api/v1/connections", token: "smtpoauth_nope"})
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("unknown token: got %d, want 401", resp.StatusCode)
		}
		req, _ := http.NewRequest("GET", c.URL+"/api/v1/connections", nil)
		req.Header.Set("Origin", "https://evil.example")
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}
	rows, err := c.DB.AuditLog(t.Context(), store.AuditFilter{Action: "api.refused", Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 {
		t.Fatalf("got %d api.refused rows for 100 anonymous refusals from one address, want 1", len(rows))
	}
}

// The console's anonymous entries keep the short target bound, as entries without an actor do.
func TestAudit_AnonymousActorKeepsTheShortTarget(t *testing.T) {
	c := newConsole(t)
	target := strings.Repeat("é", 200) // 400 bytes
	if err := c.DB.Audit(t.Context(), store.AuditEntry{Actor: store.AnonymousActor, Action: "signin.failed", Target: target}); err != nil {
		t.Fatal(err)
	}
	rows, _ := c.DB.AuditLog(t.Context(), store.AuditFilter{Action: "signin.failed", Limit: 1})
	if len(rows) != 1 || len(rows[0].Target) > store.MaxAnonymousTarget {
		t.Fatalf("got %d rows, target %d bytes; want one of at most %d bytes", len(rows), len(rows[0].Target), store.MaxAnonymousTarget)
	}
}

// A PATCH that leaves auth_model out keeps it; one that sends it changes it; reads show it.
func TestAPI_PatchKeepsAndSetsTheAuthModel(t *testing.T) {
	c := newConsole(t)
	admin := c.mustAPIToken(t, "admin-script", store.RoleAdmin)
	body := c.connectionBody(t, "works")
	body["auth_model"] = "rbac"
	var created map[string]any
	c.apiJSON(t, nil, apiCall{method: "POST", path: "/api/v1/connections", token: admin, body: body}, http.StatusCreated, &created)
	if created["auth_model"] != "rbac" {
		t.Fatalf("created with auth_model rbac, got %v", created["auth_model"])
	}
	path := fmt.Sprintf("/api/v1/connections/%d", int(created["id"].(float64)))
	var patched map[string]any
	c.apiJSON(t, nil, apiCall{method: "PATCH", path: path, token: admin, body: map[string]any{"notes": "ticket 4711"}}, http.StatusOK, &patched)
	if patched["auth_model"] != "rbac" || patched["notes"] != "ticket 4711" {
		t.Fatalf("PATCH of the notes: got auth_model %v, notes %v; want rbac kept", patched["auth_model"], patched["notes"])
	}
	c.apiJSON(t, nil, apiCall{method: "PATCH", path: path, token: admin, body: map[string]any{"auth_model": "permission"}}, http.StatusOK, &patched)
	if patched["auth_model"] != "permission" {
		t.Fatalf("PATCH auth_model permission: got %v", patched["auth_model"])
	}
}
