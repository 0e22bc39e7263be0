package handlers_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/pb33f/libopenapi"

	"github.com/smtpoauth/smtpoauth/handlers"
	"github.com/smtpoauth/smtpoauth/store"
)

// connectionBody is a scenario's connection as a script would create it, pointed at the fake.
func (c *console) connectionBody(tb testing.TB, scenario string) map[string]any {
	tb.Helper()
	f := c.scenarioForm(tb, scenario)
	body := map[string]any{}
	for _, k := range []string{"name", "cloud", "tenant", "client_id", "credential_kind", "secret", "mailbox", "test_recipient", "smtp_host", "authority"} {
		body[k] = f.Get(k)
	}
	if f.Get("from") != "" {
		body["from"] = f.Get("from")
	}
	return body
}

// The API end to end against the fake Exchange, every exchange checked against the OpenAPI
// document: an admin token creates connections, a help-desk token tests them and reads the
// results, transcript and live events; at the end every documented operation has answered.
func TestAPI_EndToEndMatchesDocument(t *testing.T) {
	c := newConsole(t)
	k := newContract(t)
	admin := c.mustAPIToken(t, "provisioning", store.RoleAdmin)
	desk := c.mustAPIToken(t, "ticketing", store.RoleHelpdesk)

	// The document is served as it is embedded.
	c.apiJSON(t, k, apiCall{method: "GET", path: "/api/v1/openapi.json", op: "GET /api/v1/openapi.json"}, 200, nil)

	var conn map[string]any
	resp := c.apiJSON(t, k, apiCall{method: "POST", path: "/api/v1/connections", token: admin, body: c.connectionBody(t, "works"), op: "POST /api/v1/connections"}, 201, &conn)
	id := int(conn["id"].(float64))
	if resp.Header.Get("Location") != fmt.Sprintf("/api/v1/connections/%d", id) {
		t.Fatalf("Location %q", resp.Header.Get("Location"))
	}
	if cred := conn["credential"].(map[string]any); cred["set"] != true || cred["hint"] == "" {
		t.Fatalf("credential: %v", cred)
	}
	raw, _ := json.Marshal(conn)
	if secret := c.scenarioForm(t, "works").Get("secret"); strings.Contains(string(raw), secret) {
		t.Fatal("the API returned the secret")
	}
	var failing map[string]any
	c.apiJSON(t, k, apiCall{method: "POST", path: "/api/v1/connections", token: admin, body: c.connectionBody(t, "wrong-object-id"), op: "POST /api/v1/connections"}, 201, &failing)
	failID := int(failing["id"].(float64))

	t.Run("HelpdeskTestsAndReadsResult", func(t *testing.T) {
		var run map[string]any
		resp := c.apiJSON(t, k, apiCall{method: "POST", path: fmt.Sprintf("/api/v1/connections/%d/runs", id), token: desk, body: map[string]any{"mode": "auth"},
			op: "POST /api/v1/connections/{id}/runs"}, 202, &run)
		runID := run["id"].(string)
		if resp.Header.Get("Location") != "/api/v1/runs/"+runID || run["started_by"] != "token:ticketing" {
			t.Fatalf("started: %v, Location %q", run, resp.Header.Get("Location"))
		}
		// The live stream: lines, then the verdict, then done.
		resp2, body := c.api(t, k, apiCall{method: "GET", path: "/api/v1/runs/" + runID + "/events", token: desk, op: "GET /api/v1/runs/{id}/events"})
		events := sseEvents(t, string(body))
		if resp2.Header.Get("Content-Type") != "text/event-stream" || len(events) < 10 || !strings.HasPrefix(events[0], "line {") ||
			!strings.HasPrefix(events[len(events)-2], "verdict {") || events[len(events)-1] != "done {}" {
			t.Fatalf("stream: %d events, first %q", len(events), events)
		}
		var verdict map[string]any
		json.Unmarshal([]byte(strings.TrimPrefix(events[len(events)-2], "verdict ")), &verdict)
		if verdict["status"] != "passed" {
			t.Fatalf("verdict: %v", verdict)
		}
		done := c.waitAPIRun(t, k, desk, runID)
		if done["status"] != "passed" || done["result"].(map[string]any)["ok"] != true {
			t.Fatalf("run: %v", done)
		}
		var tr struct {
			Events []struct{ Dir, Text string }
		}
		c.apiJSON(t, k, apiCall{method: "GET", path: "/api/v1/runs/" + runID + "/transcript", token: desk, op: "GET /api/v1/runs/{id}/transcript"}, 200, &tr)
		joined := ""
		for _, e := range tr.Events {
			joined += e.Dir + " " + e.Text + "\n"
		}
		if !strings.Contains(joined, "AUTH XOAUTH2") || !strings.Contains(joined, "235") {
			t.Fatalf("transcript:\n%s", joined)
		}
		if strings.Contains(joined, c.scenarioForm(t, "works").Get("secret")) {
			t.Fatal("the transcript holds the secret")
		}
	})

	t.Run("FailureCarriesDiagnosis", func(t *testing.T) {
		var run map[string]any
		c.apiJSON(t, k, apiCall{method: "POST", path: fmt.Sprintf("/api/v1/connections/%d/runs", failID), token: admin, body: map[string]any{"mode": "auth"},
			op: "POST /api/v1/connections/{id}/runs"}, 202, &run)
		done := c.waitAPIRun(t, k, admin, run["id"].(string))
		d := done["result"].(map[string]any)["diagnosis"].(map[string]any)
		if done["status"] != "failed" || d["code"] != "AUTH_UNSUCCESSFUL" || len(d["remediation"].([]any)) < 3 {
			t.Fatalf("run: %v", done)
		}
		// 535 5.7.3 names no single cause: the API gives the ranked candidates, as the console does.
		if causes, _ := d["causes"].([]any); len(causes) < 2 || causes[0].(map[string]any)["rank"] != float64(1) || causes[0].(map[string]any)["text"] == "" {
			t.Fatalf("a 535 5.7.3 run's diagnosis has no ranked causes: %v", d["causes"])
		}
		var page struct {
			Items []map[string]any
			Total int
		}
		c.apiJSON(t, k, apiCall{method: "GET", path: "/api/v1/connections?status=failed", token: desk, op: "GET /api/v1/connections"}, 200, &page)
		if page.Total != 1 || page.Items[0]["last_run"].(map[string]any)["diagnosis_code"] != "AUTH_UNSUCCESSFUL" {
			t.Fatalf("failed connections: %v", page)
		}
	})

	t.Run("ListsPage", func(t *testing.T) {
		var page struct {
			Items []map[string]any
			Total int
			Next  string
		}
		c.apiJSON(t, k, apiCall{method: "GET", path: "/api/v1/connections?limit=1", token: desk, op: "GET /api/v1/connections"}, 200, &page)
		if page.Total != 2 || len(page.Items) != 1 || page.Next == "" {
			t.Fatalf("page 1: %+v", page)
		}
		first := page.Items[0]["name"]
		c.apiJSON(t, k, apiCall{method: "GET", path: page.Next, token: desk, op: "GET /api/v1/connections"}, 200, &page)
		if len(page.Items) != 1 || page.Items[0]["name"] == first || page.Next != "" {
			t.Fatalf("page 2: %+v", page)
		}
		c.apiJSON(t, k, apiCall{method: "GET", path: "/api/v1/connections?q=object", token: desk, op: "GET /api/v1/connections"}, 200, &page)
		if page.Total != 1 {
			t.Fatalf("filter q: %+v", page)
		}
		c.apiJSON(t, k, apiCall{method: "GET", path: fmt.Sprintf("/api/v1/runs?connection_id=%d&limit=1", id), token: desk, op: "GET /api/v1/runs"}, 200, &page)
		if page.Total != 1 || page.Items[0]["connection_id"].(float64) != float64(id) || page.Items[0]["result"] == nil {
			t.Fatalf("runs: %+v", page)
		}
		resp, body := c.api(t, k, apiCall{method: "GET", path: "/api/v1/runs?limit=500", token: desk, bad: true})
		if resp.StatusCode != 400 || problemOf(t, resp, body)["code"] != "bad_query" {
			t.Fatalf("limit 500: %d %s", resp.StatusCode, body)
		}
	})

	t.Run("HelpdeskEditsNotesOnly", func(t *testing.T) {
		var got map[string]any
		c.apiJSON(t, k, apiCall{method: "PUT", path: fmt.Sprintf("/api/v1/connections/%d/notes", id), token: desk, body: map[string]any{"notes": "ticket 4711"},
			op: "PUT /api/v1/connections/{id}/notes"}, 200, &got)
		if got["notes"] != "ticket 4711" || got["updated_by"] != "token:ticketing" {
			t.Fatalf("notes: %v", got)
		}
		resp, body := c.api(t, k, apiCall{method: "PATCH", path: fmt.Sprintf("/api/v1/connections/%d", id), token: desk, body: map[string]any{"name": "hijacked"}})
		if resp.StatusCode != 403 || problemOf(t, resp, body)["code"] != "admin_only" {
			t.Fatalf("help desk PATCH: %d %s", resp.StatusCode, body)
		}
	})

	t.Run("AdminUpdatesAndDeletes", func(t *testing.T) {
		var got map[string]any
		c.apiJSON(t, k, apiCall{method: "PATCH", path: fmt.Sprintf("/api/v1/connections/%d", failID), token: admin, body: map[string]any{"name": "Renamed", "secret_expires_on": "2027-03-01"},
			op: "PATCH /api/v1/connections/{id}"}, 200, &got)
		if got["name"] != "Renamed" || got["credential"].(map[string]any)["expires_at"] != "2027-03-01T00:00:00Z" || got["tenant"] != failing["tenant"] {
			t.Fatalf("patched: %v", got)
		}
		p, _ := c.DB.ProfileByName(t.Context(), "Renamed")
		if !p.HasCredential() || p.SecretHint != failing["credential"].(map[string]any)["hint"] {
			t.Fatal("a PATCH without a secret lost the stored one")
		}
		resp, body := c.api(t, k, apiCall{method: "PATCH", path: fmt.Sprintf("/api/v1/connections/%d", failID), token: admin, body: map[string]any{"mailbox": "not a mailbox", "name": ""}})
		if p := problemOf(t, resp, body); resp.StatusCode != 422 || p["errors"].(map[string]any)["mailbox"] == nil || p["errors"].(map[string]any)["name"] == nil {
			t.Fatalf("invalid PATCH: %d %s", resp.StatusCode, body)
		}
		resp, body = c.api(t, k, apiCall{method: "PATCH", path: fmt.Sprintf("/api/v1/connections/%d", failID), token: admin, body: map[string]any{"nmae": "typo"}, bad: true})
		if resp.StatusCode != 400 || problemOf(t, resp, body)["code"] != "bad_json" {
			t.Fatalf("unknown field: %d %s", resp.StatusCode, body)
		}
		resp, body = c.api(t, k, apiCall{method: "POST", path: "/api/v1/connections", token: admin, body: map[string]any{"name": "Renamed"}})
		if resp.StatusCode != 409 && resp.StatusCode != 422 {
			t.Fatalf("duplicate: %d %s", resp.StatusCode, body)
		}
		c.apiJSON(t, k, apiCall{method: "DELETE", path: fmt.Sprintf("/api/v1/connections/%d", failID), token: admin, op: "DELETE /api/v1/connections/{id}"}, 204, nil)
		resp, body = c.api(t, k, apiCall{method: "GET", path: fmt.Sprintf("/api/v1/connections/%d", failID), token: admin})
		if resp.StatusCode != 404 || problemOf(t, resp, body)["code"] != "not_found" {
			t.Fatalf("deleted: %d %s", resp.StatusCode, body)
		}
		c.apiJSON(t, k, apiCall{method: "GET", path: fmt.Sprintf("/api/v1/connections/%d", id), token: desk, op: "GET /api/v1/connections/{id}"}, 200, nil)
	})

	t.Run("EveryUseAudited", func(t *testing.T) {
		log, _ := c.DB.AuditLog(t.Context(), store.AuditFilter{Actor: "token:ticketing"})
		actions := map[string]int{}
		for _, e := range log {
			actions[e.Action]++
		}
		if actions["api.request"] < 8 || actions["run.started"] != 1 || actions["profile.notes"] != 1 || actions["access.denied"] != 1 {
			t.Fatalf("audit of token:ticketing: %v", actions)
		}
		if log, _ := c.DB.AuditLog(t.Context(), store.AuditFilter{Actor: "token:provisioning", Action: "profile.created"}); len(log) != 2 {
			t.Fatalf("creations audited: %d", len(log))
		}
	})

	// Every documented operation answered with a success at least once.
	for _, op := range documentedOperations(t) {
		if !k.answered[op] {
			t.Errorf("documented operation %s was never answered with a success", op)
		}
	}
}

// documentedOperations lists "METHOD /path" of every operation in the OpenAPI document.
func documentedOperations(tb testing.TB) []string {
	tb.Helper()
	doc, err := libopenapi.NewDocument(handlers.OpenAPI)
	if err != nil {
		tb.Fatal(err)
	}
	model, err := doc.BuildV3Model()
	if err != nil {
		tb.Fatal(err)
	}
	var ops []string
	for path, item := range model.Model.Paths.PathItems.FromOldest() {
		for method := range item.GetOperations().FromOldest() {
			ops = append(ops, strings.ToUpper(method)+" "+path)
		}
	}
	slices.Sort(ops)
	return ops
}

// The route table and the document name the same API operations, both ways.
func TestOpenAPI_EveryRouteDocumented(t *testing.T) {
	c := newConsoleWithoutUsers(t)
	var routes []string
	for _, rt := range c.Handlers.RouteTable() {
		if strings.HasPrefix(rt.Pattern, "/api/") {
			routes = append(routes, rt.Method+" "+rt.Pattern)
		}
	}
	slices.Sort(routes)
	docs := documentedOperations(t)
	for _, r := range routes {
		if !slices.Contains(docs, r) {
			t.Errorf("route %s is not in the OpenAPI document", r)
		}
	}
	for _, d := range docs {
		if !slices.Contains(routes, d) {
			t.Errorf("the OpenAPI document has %s, which no route serves", d)
		}
	}
	resp, body := c.getAs(t, anonymous, "/api/v1/openapi.json")
	if resp.StatusCode != 200 || body != string(handlers.OpenAPI) {
		t.Fatalf("served document: %d", resp.StatusCode)
	}
	var v struct{ OpenAPI string }
	json.Unmarshal(handlers.OpenAPI, &v)
	if v.OpenAPI != "3.1.0" {
		t.Fatalf("openapi %q, want 3.1.0", v.OpenAPI)
	}
	_ = io.Discard
	_ = http.StatusOK
}
