package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/handlers"
	"github.com/smtpoauth/smtpoauth/store"
)

// Every API route refuses, in problem details and without changing anything: no token, an
// unknown, revoked or expired token, a token without the api scope, the wrong role, the
// console's session cookie instead of a token, and a request from another origin's page.
func TestAPI_EveryRouteRefuses(t *testing.T) {
	c := newConsole(t)
	// A token that expired: made through a second handle on the database whose clock stands two
	// days back.
	kr, _ := store.NewKeyring([]byte("0123456789abcdef0123456789abcdef"))
	past, err := store.OpenWith(t.Context(), c.DB.Path, kr, store.Options{Now: func() time.Time { return time.Now().Add(-48 * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	expired, _, err := past.CreateAPIToken(t.Context(), store.APITokenInput{Name: "expiring", Role: store.RoleAdmin, Scopes: []string{"api"}, TTL: 24 * time.Hour}, "test")
	past.Close()
	if err != nil {
		t.Fatal(err)
	}
	admin := c.mustAPIToken(t, "admin-script", store.RoleAdmin)
	desk := c.mustAPIToken(t, "desk-script", store.RoleHelpdesk)
	metricsOnly := c.mustAPIToken(t, "prometheus", store.RoleAdmin, store.ScopeMetrics)
	revoked := c.mustAPIToken(t, "revoked", store.RoleAdmin)
	rec, _ := c.DB.APITokenByName(t.Context(), "revoked")
	if err := c.DB.RevokeAPIToken(t.Context(), rec.ID); err != nil {
		t.Fatal(err)
	}
	f := c.scenarioForm(t, "works")
	f.Set("mode", "none")
	c.post(t, "/profiles", f)
	sessionCookie := ""
	for _, ck := range c.client.Jar.Cookies(mustParseURL(t, c.URL)) {
		if ck.Name == handlers.SessionCookie {
			sessionCookie = ck.Value
		}
	}
	if sessionCookie == "" {
		t.Fatal("the admin client has no session cookie")
	}
	body := map[string]any{"mode": "auth", "notes": "x", "name": "Changed"}

	type refusal struct {
		name    string
		token   string
		headers []string
		status  int
		code    string
		applies func(handlers.Route) bool
	}
	all := func(handlers.Route) bool { return true }
	refusals := []refusal{
		{"NoToken", "", nil, 401, "token_required", all},
		{"UnknownToken", store.TokenPrefix + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", nil, 401, "token_invalid", all},
		{"RevokedToken", revoked, nil, 401, "token_unusable", all},
		{"ExpiredToken", expired, nil, 401, "token_unusable", all},
		{"MetricsScopeOnly", metricsOnly, nil, 403, "scope_missing", all},
		{"WrongRole", desk, nil, 403, "admin_only", func(rt handlers.Route) bool { return rt.Access == handlers.APIAdmin }},
		{"CookieInsteadOfToken", "", []string{"Cookie", handlers.SessionCookie + "=" + sessionCookie}, 401, "cookie_not_accepted", all},
		// The help desk's token with the admin's cookie: the cookie is ignored, not added.
		{"CookieDoesNotElevate", desk, []string{"Cookie", handlers.SessionCookie + "=" + sessionCookie}, 403, "admin_only", func(rt handlers.Route) bool { return rt.Access == handlers.APIAdmin }},
		{"CrossOriginPage", admin, []string{"Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"}, 403, "cross_origin", all},
		{"CrossOriginWithoutFetchMetadata", admin, []string{"Origin", "https://evil.example"}, 403, "cross_origin", all},
		{"SameSiteOtherOrigin", admin, []string{"Sec-Fetch-Site", "same-site"}, 403, "cross_origin", all},
	}
	k := newContract(t)
	for _, rt := range c.Handlers.RouteTable() {
		if !strings.HasPrefix(rt.Pattern, "/api/") || rt.Access == handlers.Public {
			continue
		}
		path := strings.NewReplacer("/runs/{id}", "/runs/aaaaaaaaaaaaaaaa", "{id}", "1").Replace(rt.Pattern)
		for _, rf := range refusals {
			if !rf.applies(rt) {
				continue
			}
			t.Run(rt.Method+" "+rt.Pattern+"/"+rf.name, func(t *testing.T) {
				call := apiCall{method: rt.Method, path: path, token: rf.token, headers: rf.headers, bad: true}
				if rt.Method != http.MethodGet && rt.Method != http.MethodDelete {
					call.body = body
				}
				resp, b := c.api(t, k, call)
				p := problemOf(t, resp, b)
				if resp.StatusCode != rf.status || p["code"] != rf.code {
					t.Fatalf("got %d %v, want %d %s: %s", resp.StatusCode, p["code"], rf.status, rf.code, b)
				}
				if resp.StatusCode == 401 && !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") {
					t.Fatal("401 without WWW-Authenticate: Bearer")
				}
				if resp.Header.Get("Access-Control-Allow-Origin") != "" || resp.Header.Get("Set-Cookie") != "" {
					t.Fatal("a refusal sent CORS headers or a cookie")
				}
			})
		}
	}
	// A preflight is refused too: no page of another origin gets permission to ask.
	resp, b := c.api(t, nil, apiCall{method: "OPTIONS", path: "/api/v1/connections", headers: []string{"Origin", "https://evil.example", "Access-Control-Request-Method", "DELETE"}})
	if resp.StatusCode != 403 || resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("preflight: %d %s", resp.StatusCode, b)
	}
	// Nothing changed: the one connection is as it was, and no run started.
	p, err := c.DB.Profile(t.Context(), 1)
	if err != nil || p.Name != f.Get("name") || p.Notes != "" {
		t.Fatalf("after the refusals the connection is %+v, %v", p, err)
	}
	if runs, _ := c.DB.Runs(t.Context(), 0, 10); len(runs) != 0 {
		t.Fatalf("%d runs started by refused requests", len(runs))
	}
	// Refusals of known tokens are audited under their names.
	for _, name := range []string{"revoked", "expiring", "desk-script", "prometheus"} {
		if log, _ := c.DB.AuditLog(t.Context(), store.AuditFilter{Actor: "token:" + name}); len(log) == 0 {
			t.Errorf("no audit entry names token:%s", name)
		}
	}
}

func mustParseURL(tb testing.TB, s string) *url.URL {
	tb.Helper()
	u, err := url.Parse(s)
	if err != nil {
		tb.Fatal(err)
	}
	return u
}
