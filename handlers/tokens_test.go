package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// An admin makes a token in the console: it is shown once, works on the API, is listed without
// itself, and stops working when revoked.
func TestTokensPage_CreateShowOnceRevoke(t *testing.T) {
	c := newConsole(t)
	resp, body := c.post(t, "/tokens", url.Values{"name": {"ticketing"}, "role": {"helpdesk"}, "scopes": {"api"}, "expires": {"90"}})
	d := doc(t, body)
	token := strings.TrimSpace(d.Find("#new-token-value").Text())
	if resp.StatusCode != 201 || !strings.HasPrefix(token, "smtpoauth_") || resp.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("got %d, token %q", resp.StatusCode, token)
	}
	_, page := c.get(t, "/tokens")
	if strings.Contains(page, token) || testid(doc(t, page), "token-row").Length() != 1 {
		t.Fatal("the list shows the token again, or not the row")
	}
	if r, b := c.api(t, nil, apiCall{method: "GET", path: "/api/v1/connections", token: token}); r.StatusCode != 200 {
		t.Fatalf("the new token is refused: %d %s", r.StatusCode, b)
	}
	resp, _ = c.post(t, "/tokens", url.Values{"name": {"bad name"}, "role": {"root"}, "expires": {"90"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("invalid token: got %d", resp.StatusCode)
	}
	resp, _ = c.post(t, "/tokens/1/revoke", nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: got %d", resp.StatusCode)
	}
	if r, _ := c.api(t, nil, apiCall{method: "GET", path: "/api/v1/connections", token: token}); r.StatusCode != 401 {
		t.Fatalf("a revoked token works: %d", r.StatusCode)
	}
	_, page = c.get(t, "/tokens")
	if !strings.Contains(testid(doc(t, page), "token-state").Text(), "revoked") {
		t.Fatal("the list does not say revoked")
	}
}
