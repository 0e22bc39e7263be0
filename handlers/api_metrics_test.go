package handlers_test

import (
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil/promlint"

	"github.com/smtpoauth/smtpoauth/handlers"
	"github.com/smtpoauth/smtpoauth/store"
)

// A live /metrics after a passed and a failed test: clean for the Prometheus linter, per
// connection by ID only (no names or tenants unless the admin turns them on), with runs by
// outcome and diagnosis, step durations, token requests and the Go and process collectors.
func TestMetrics_LintCleanAndConnectionsByID(t *testing.T) {
	c := newConsole(t)
	c.runScenario(t, "works")
	c.runScenario(t, "wrong-object-id")
	resp, body := c.get(t, "/metrics")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("got %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	problems, err := promlint.New(strings.NewReader(body)).Lint()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("promlint: %s: %s", p.Metric, p.Text)
	}
	for _, want := range []string{
		`smtpoauth_connection_last_result{connection_id="1"} 1`,
		`smtpoauth_connection_last_result{connection_id="2"} 0`,
		`smtpoauth_connection_last_diagnosis{code="AUTH_UNSUCCESSFUL",connection_id="2"} 1`,
		`smtpoauth_connection_last_diagnosis{code="none",connection_id="1"} 1`,
		`smtpoauth_runs_total{diagnosis="AUTH_UNSUCCESSFUL",outcome="failed"} 1`,
		`smtpoauth_runs_total{diagnosis="none",outcome="passed"} 1`,
		`smtpoauth_oauth_token_requests_total{outcome="ok"} 2`,
		`smtpoauth_run_step_duration_seconds_bucket{step="auth",le="+Inf"} 2`,
		"go_goroutines ", "process_resident_memory_bytes ",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if !regexp.MustCompile(`smtpoauth_connection_last_success_timestamp_seconds\{connection_id="1"\} 1\.[0-9]+e\+09`).MatchString(body) {
		t.Error("no last success time for connection 1")
	}
	if strings.Contains(body, `smtpoauth_connection_last_success_timestamp_seconds{connection_id="2"}`) {
		t.Error("a connection that never passed has a last success time")
	}
	tenant := c.scenarioForm(t, "works").Get("tenant")
	if strings.Contains(body, tenant) || strings.Contains(body, "Test works") {
		t.Error("connection names or tenants are labels although the admin did not turn them on")
	}
}

// With names turned on, connections carry their name and tenant as labels; the credential's
// expiry comes from the date entered for a secret.
func TestMetrics_NamesWhenTurnedOn(t *testing.T) {
	c := newConsole(t, func(cfg *handlers.Config) { cfg.Integrations.MetricsNames = true })
	f := c.scenarioForm(t, "works")
	f.Set("secret_expires_on", "2027-06-30")
	resp, _ := c.post(t, "/profiles", f)
	c.waitRun(t, resp.Header.Get("Location"))
	_, body := c.get(t, "/metrics")
	want := fmt.Sprintf(`smtpoauth_connection_credential_expiry_timestamp_seconds{connection="Test works",connection_id="1",tenant=%q} 1.8143136e+09`, f.Get("tenant"))
	if !strings.Contains(body, want) {
		t.Fatalf("metrics lack %s", want)
	}
}

// /metrics: an admin's session, a metrics-scoped token or an allowed address; nobody else.
func TestMetrics_Access(t *testing.T) {
	c := newConsole(t)
	scrape := c.mustAPIToken(t, "prometheus", store.RoleHelpdesk, store.ScopeMetrics)
	apiOnly := c.mustAPIToken(t, "script", store.RoleAdmin, store.ScopeAPI)
	for _, tc := range []struct {
		name   string
		client *http.Client
		token  string
		want   int
	}{
		{"AdminSession", c.client, "", 200},
		{"MetricsToken", anonymous, scrape, 200},
		{"HelpdeskSession", c.helpdesk, "", 403},
		{"APIOnlyToken", anonymous, apiOnly, 403},
		{"Nobody", anonymous, "", 401},
		{"UnknownToken", anonymous, store.TokenPrefix + "nope", 401},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", c.URL+"/metrics", nil)
			if tc.token != "" {
				req.Header.Set("Authorization", "Bearer "+tc.token)
			}
			resp, err := tc.client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Fatalf("got %d, want %d", resp.StatusCode, tc.want)
			}
		})
	}
	t.Run("AllowedAddress", func(t *testing.T) {
		open := newConsoleWithoutUsers(t, func(cfg *handlers.Config) {
			cfg.Integrations.MetricsAllowed = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
		})
		if resp, _ := open.getAs(t, anonymous, "/metrics"); resp.StatusCode != 200 {
			t.Fatalf("got %d from an allowed address", resp.StatusCode)
		}
	})
	// A token's scrapes are audited, once an hour rather than at every scrape.
	for range 3 {
		req, _ := http.NewRequest("GET", c.URL+"/metrics", nil)
		req.Header.Set("Authorization", "Bearer "+scrape)
		resp, _ := anonymous.Do(req)
		resp.Body.Close()
	}
	if log, _ := c.DB.AuditLog(t.Context(), store.AuditFilter{Actor: "token:prometheus", Action: "metrics.read"}); len(log) != 1 {
		t.Fatalf("%d audit entries for the token's scrapes, want 1", len(log))
	}
	_ = url.Values{}
}
