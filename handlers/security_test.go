package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/smtpoauth/smtpoauth/handlers"
	"github.com/smtpoauth/smtpoauth/store"
)

// Every route with every role and with no session: allowed routes answer, the others refuse.
func TestRoutes_EveryRouteEveryRole(t *testing.T) {
	c := newConsole(t)
	f := c.scenarioForm(t, "works")
	f.Set("mode", "none")
	c.post(t, "/profiles", f)
	resp, _ := c.post(t, "/profiles/1/runs", url.Values{"mode": {"auth"}})
	runID := strings.TrimPrefix(resp.Header.Get("Location"), "/runs/")
	c.waitRun(t, "/runs/"+runID)
	params := strings.NewReplacer("{id}", "1", "{token}", "no-such-token")
	who := map[string]*http.Client{"admin": c.client, "helpdesk": c.helpdesk, "anonymous": anonymous}
	for _, rt := range c.Handlers.RouteTable() {
		path := params.Replace(rt.Pattern)
		if strings.HasPrefix(rt.Pattern, "/runs/{id}") {
			path = strings.Replace(rt.Pattern, "{id}", runID, 1)
		}
		for role, cl := range who {
			t.Run(rt.Method+" "+rt.Pattern+" as "+role, func(t *testing.T) {
				if rt.Pattern == "/signout" || rt.Pattern == "/signout-everywhere" {
					t.Skip("signs the shared client out; covered by TestSignOutEverywhere")
				}
				var status int
				if rt.Method == http.MethodGet {
					r, _ := c.getAs(t, cl, path)
					status = r.StatusCode
				} else {
					r, _ := c.postAs(t, cl, path, url.Values{"mode": {"auth"}, "notes": {"x"}}, "X-Method", rt.Method)
					status = r.StatusCode
				}
				if rt.Access == handlers.Public {
					return // sign-in and setup answer everyone, with their own refusals
				}
				if rt.Access == handlers.APIReader || rt.Access == handlers.APIAdmin {
					// A session never reaches the API, whoever's it is; TestAPI_EveryRouteRefuses has the tokens.
					if status != http.StatusUnauthorized {
						t.Fatalf("got %d, want 401", status)
					}
					return
				}
				allowed := (rt.Access == handlers.SignedIn && role != "anonymous") || role == "admin"
				switch {
				case allowed && (status == http.StatusUnauthorized || status == http.StatusForbidden):
					t.Fatalf("got %d, want access", status)
				case !allowed && role == "anonymous" && !(status == http.StatusSeeOther || status == http.StatusUnauthorized):
					t.Fatalf("got %d, want a redirect to sign-in or 401", status)
				case !allowed && role == "helpdesk" && status != http.StatusForbidden:
					t.Fatalf("got %d, want 403", status)
				}
			})
		}
	}
	if n, _ := c.DB.CountProfiles(t.Context()); n != 1 {
		t.Fatalf("after every refused request there are %d profiles, want 1", n)
	}
}

func TestSignIn_SessionFixation(t *testing.T) {
	c := newConsole(t)
	planted := "attacker-chosen-session-id"
	req, _ := http.NewRequest(http.MethodPost, c.URL+"/signin", strings.NewReader(url.Values{"username": {adminName}, "password": {testPassword}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: handlers.SessionCookie, Value: planted})
	resp, err := anonymous.Do(req)
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in: %v %v", resp.Status, err)
	}
	var issued *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == handlers.SessionCookie {
			issued = ck
		}
	}
	if issued == nil || issued.Value == planted || !issued.HttpOnly || issued.SameSite != http.SameSiteLaxMode {
		t.Fatalf("session cookie %+v: want a new HttpOnly SameSite=Lax ID", issued)
	}
	req, _ = http.NewRequest(http.MethodGet, c.URL+"/", nil)
	req.AddCookie(&http.Cookie{Name: handlers.SessionCookie, Value: planted})
	if resp, _ := anonymous.Do(req); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the planted ID works: %d", resp.StatusCode)
	}
}

func TestSignIn_BruteForceSlowedSameAnswer(t *testing.T) {
	c := newConsole(t)
	attempt := func(name, pw string) (int, string) {
		resp, body := c.postAs(t, anonymous, "/signin", url.Values{"username": {name}, "password": {pw}})
		return resp.StatusCode, testid(doc(t, body), "signin-error").Text()
	}
	s1, unknown := attempt("nobody", "wrong password 1")
	s2, wrong := attempt(adminName, "wrong password 1")
	if s1 != http.StatusUnauthorized || s1 != s2 || unknown != wrong {
		t.Fatalf("unknown user (%d %q) and wrong password (%d %q) differ", s1, unknown, s2, wrong)
	}
	for range 3 {
		attempt(adminName, "still wrong")
	}
	status, msg := attempt(adminName, testPassword)
	if status != http.StatusTooManyRequests || !strings.Contains(msg, "Too many failed sign-ins") {
		t.Fatalf("after repeated failures the right password went through at once: %d %q", status, msg)
	}
	entries, _ := c.DB.AuditLog(t.Context(), store.AuditFilter{Action: "signin.failed"})
	if len(entries) < 3 {
		t.Fatalf("got %d failed sign-ins in the audit log", len(entries))
	}
}

func TestSetupLink_OnceOnly(t *testing.T) {
	c := newConsole(t)
	// A fresh console: no users yet.
	fresh := newConsoleWithoutUsers(t)
	link, err := fresh.Handlers.SetupLink(context.Background(), fresh.URL)
	if err != nil || link == "" {
		t.Fatalf("no setup link: %v", err)
	}
	path := strings.TrimPrefix(link, fresh.URL)
	form := url.Values{"username": {"root-admin"}, "password": {"a long enough passphrase"}, "password2": {"a long enough passphrase"}}
	if resp, _ := fresh.postAs(t, anonymous, path, form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("setup: %d", resp.StatusCode)
	}
	form.Set("username", "second-admin")
	resp, body := fresh.postAs(t, anonymous, path, form)
	if resp.StatusCode != http.StatusGone || !strings.Contains(body, "already used or has expired") {
		t.Fatalf("replayed setup link: got %d", resp.StatusCode)
	}
	if _, err := fresh.DB.UserByName(t.Context(), "second-admin"); err == nil {
		t.Fatal("the replayed link created a user")
	}
	if link, _ := c.Handlers.SetupLink(context.Background(), c.URL); link != "" {
		t.Fatal("a console with users offered a setup link")
	}
}

func TestSetup_WeakPasswordsRefused(t *testing.T) {
	fresh := newConsoleWithoutUsers(t)
	link, _ := fresh.Handlers.SetupLink(context.Background(), fresh.URL)
	path := strings.TrimPrefix(link, fresh.URL)
	for _, pw := range []string{"short", "password1234", "qwerty123456"} {
		resp, body := fresh.postAs(t, anonymous, path, url.Values{"username": {"root"}, "password": {pw}, "password2": {pw}})
		if resp.StatusCode != http.StatusUnprocessableEntity || testid(doc(t, body), "error-password").Length() != 1 {
			t.Errorf("password %q: got %d", pw, resp.StatusCode)
		}
	}
}

func TestRecipientOutsideAllowList(t *testing.T) {
	c := newConsole(t)
	f := c.scenarioForm(t, "works")
	f.Set("mode", "none")
	c.post(t, "/profiles", f)
	// Refused at the field on the connection's page (not a page of its own), and nothing starts.
	resp, body := c.postAs(t, c.helpdesk, "/profiles/1/runs", url.Values{"mode": {"send"}, "to": {"victim@example.org"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(testid(doc(t, body), "error-to").Text(), "test recipient") {
		t.Fatalf("got %d, want 422 with the refusal at the recipient field", resp.StatusCode)
	}
	if runs, _ := c.DB.Runs(t.Context(), 1, 10); len(runs) != 0 {
		t.Fatal("a refused recipient still started a run")
	}
	c = newConsole(t, func(cfg *handlers.Config) { cfg.Security.AllowedRecipientDomains = []string{"example.org"} })
	f = c.scenarioForm(t, "works")
	f.Set("mode", "none")
	if resp, _ := c.post(t, "/profiles", f); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving the connection: got %d", resp.StatusCode)
	}
	if resp, _ := c.postAs(t, c.helpdesk, "/profiles/1/runs", url.Values{"mode": {"send"}, "to": {"victim@example.org"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("allowed domain refused: %d", resp.StatusCode)
	}
}

func TestOverrideToForbiddenAddress(t *testing.T) {
	c := newConsole(t)
	for field, value := range map[string]string{"smtp_host": "169.254.169.254:587", "authority": "https://internal.corp.example"} {
		f := c.scenarioForm(t, "works")
		f.Set(field, value)
		f.Set("mode", "none")
		resp, body := c.post(t, "/profiles", f)
		if resp.StatusCode != http.StatusUnprocessableEntity || testid(doc(t, body), "error-"+field).Length() != 1 {
			t.Errorf("%s=%s: got %d", field, value, resp.StatusCode)
		}
	}
	if n, _ := c.DB.CountProfiles(t.Context()); n != 0 {
		t.Fatal("a forbidden override was saved")
	}
}

func TestRunRateLimit(t *testing.T) {
	c := newConsole(t, func(cfg *handlers.Config) { cfg.Security.RunsPerMinuteUser = 2 })
	f := c.scenarioForm(t, "works")
	f.Set("mode", "none")
	c.post(t, "/profiles", f)
	for i := range 3 {
		resp, _ := c.postAs(t, c.helpdesk, "/profiles/1/runs", url.Values{"mode": {"auth"}})
		if i < 2 && resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("run %d refused: %d", i+1, resp.StatusCode)
		}
		if i == 2 && resp.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("third run in a minute: got %d, want 429", resp.StatusCode)
		}
	}
}

func TestAuditLog_RecordsAndExports(t *testing.T) {
	c := newConsole(t)
	f := c.scenarioForm(t, "works")
	f.Set("notes", "=HYPERLINK(\"http://evil\")")
	f.Set("mode", "auth")
	resp, _ := c.post(t, "/profiles", f)
	c.waitRun(t, resp.Header.Get("Location"))
	f.Set("secret", "Xyz-replaced-secret")
	f.Set("mode", "none")
	c.post(t, "/profiles/1", f)
	c.post(t, "/profiles/1/delete", url.Values{"confirm": {"yes"}})
	_, body := c.get(t, "/audit")
	text := testid(doc(t, body), "audit").Text()
	for _, action := range []string{"signin", "profile.created", "run.started", "profile.updated", "secret.replaced", "profile.deleted"} {
		if !strings.Contains(text, action) {
			t.Errorf("audit log lacks %s", action)
		}
	}
	for _, secret := range []string{f.Get("secret"), c.scenarioForm(t, "works").Get("secret")} {
		if strings.Contains(body, secret) {
			t.Fatal("the audit log shows a secret")
		}
	}
	_, filtered := c.get(t, "/audit?action=secret.")
	if n := testid(doc(t, filtered), "audit-row").Length(); n != 1 {
		t.Fatalf("filter action=secret.: %d rows", n)
	}
	resp, csv := c.get(t, "/audit.csv?actor="+adminName)
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") || !strings.HasPrefix(csv, "time,actor,action,target,detail,address\n") || !strings.Contains(csv, "profile.deleted") {
		t.Fatalf("CSV export:\n%s", csv)
	}
	if _, err := c.DB.AuditLog(t.Context(), store.AuditFilter{}); err != nil {
		t.Fatal(err)
	}
}

func TestTrustedProxyAndHSTS(t *testing.T) {
	c := newConsole(t)
	// Without a trusted proxy, forwarded headers are ignored.
	resp, _ := c.postAs(t, anonymous, "/signin", url.Values{"username": {"x"}, "password": {"y"}}, "X-Forwarded-For", "203.0.113.9", "X-Forwarded-Proto", "https")
	if resp.Header.Get("Strict-Transport-Security") != "" {
		t.Fatal("HSTS from an untrusted X-Forwarded-Proto")
	}
	entries, _ := c.DB.AuditLog(t.Context(), store.AuditFilter{Action: "signin.failed"})
	if len(entries) == 0 || entries[0].RemoteAddr != "127.0.0.1" {
		t.Fatalf("untrusted X-Forwarded-For was believed: %+v", entries)
	}
	c = newConsole(t, func(cfg *handlers.Config) { cfg.Security.TrustedProxies = []netipPrefix{mustPrefix("127.0.0.1/32")} })
	resp, _ = c.postAs(t, anonymous, "/signin", url.Values{"username": {"x"}, "password": {"y"}}, "X-Forwarded-For", "203.0.113.9", "X-Forwarded-Proto", "https")
	if !strings.Contains(resp.Header.Get("Strict-Transport-Security"), "max-age") {
		t.Fatal("no HSTS behind a trusted HTTPS proxy")
	}
	entries, _ = c.DB.AuditLog(t.Context(), store.AuditFilter{Action: "signin.failed"})
	if entries[0].RemoteAddr != "203.0.113.9" {
		t.Fatalf("trusted proxy's client address not used: %q", entries[0].RemoteAddr)
	}
}

func TestSignOutEverywhere(t *testing.T) {
	c := newConsole(t)
	other := c.signIn(t, adminName, testPassword)
	if resp, _ := c.postAs(t, other, "/signout-everywhere", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("got %d", resp.StatusCode)
	}
	if resp, _ := c.get(t, "/"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the other session still works: %d", resp.StatusCode)
	}
}

func TestUsersPage_AddAndRemove(t *testing.T) {
	c := newConsole(t)
	resp, body := c.post(t, "/users", url.Values{"username": {"carol"}, "role": {"helpdesk"}, "password": {"password1234"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || testid(doc(t, body), "error-password").Length() != 1 {
		t.Fatalf("weak password: %d", resp.StatusCode)
	}
	if resp, _ := c.post(t, "/users", url.Values{"username": {"carol"}, "role": {"helpdesk"}, "password": {"a different long passphrase"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add: %d", resp.StatusCode)
	}
	carol := c.signIn(t, "carol", "a different long passphrase")
	u, _ := c.DB.UserByName(t.Context(), "carol")
	if resp, _ := c.post(t, "/users/"+strconv.FormatInt(u.ID, 10)+"/delete", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove: %d", resp.StatusCode)
	}
	if resp, _ := c.getAs(t, carol, "/"); resp.StatusCode != http.StatusSeeOther {
		t.Fatal("a removed user's session still works")
	}
}

// Every text field, with markup in it, comes back inert: on the error page and once saved.
func TestXSSInEveryTextField(t *testing.T) {
	c := newConsole(t)
	payload := `"><script>alert(1)</script><img src=x onerror=alert(2)>`
	for _, field := range []string{"name", "tenant", "client_id", "mailbox", "from", "test_recipient", "smtp_host", "authority", "notes", "secret_expires_on", "certificate_pem"} {
		f := c.scenarioForm(t, "works")
		f.Set("mode", "none")
		f.Set(field, f.Get(field)+payload)
		_, body := c.post(t, "/profiles", f)
		for _, p := range []string{body, getBody(t, c, "/"), getBody(t, c, "/profiles/1")} {
			if strings.Contains(p, "<script>alert(1)") || strings.Contains(p, "<img src=x") {
				t.Fatalf("%s: the payload is rendered as markup", field)
			}
		}
	}
}

func getBody(t *testing.T, c *console, path string) string {
	_, b := c.get(t, path)
	return b
}
