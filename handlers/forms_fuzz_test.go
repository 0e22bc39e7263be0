package handlers_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The console's form parsers meet whatever a browser, a script or an attacker posts. Whatever
// arrives, the answer is a page or a redirect: a 4xx with a message for bad input, never a 5xx.

// fuzzSend posts body (or, for GET, uses it as the query) and fails on a server error.
func fuzzSend(t *testing.T, cl *http.Client, method, target, body string) {
	t.Helper()
	var rd io.Reader
	if method == http.MethodGet {
		target += "?" + body
	} else {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, target, rd)
	if err != nil {
		return // not a request a client could send
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := cl.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode >= 500 {
		t.Fatalf("%s %s with %q: got %d\n%s", method, target, body, resp.StatusCode, b)
	}
	if resp.StatusCode >= 400 && len(b) == 0 {
		t.Fatalf("%s %s with %q: %d without a message", method, target, body, resp.StatusCode)
	}
}

// safeProfileForm keeps what the fuzzer chose but saves only (mode none) and without host or
// authority overrides, so no input can start a connection anywhere.
func safeProfileForm(body string) string {
	v, _ := url.ParseQuery(body)
	v.Set("mode", "none")
	v.Del("smtp_host")
	v.Del("authority")
	return v.Encode()
}

func FuzzProfileForm(f *testing.F) {
	valid := url.Values{"name": {"Fuzz"}, "cloud": {"global"}, "tenant": {"contoso.onmicrosoft.com"},
		"client_id": {"11111111-aaaa-4bbb-8ccc-000000000001"}, "credential_kind": {"secret"}, "secret": {"s3cr3t~value"},
		"mailbox": {"billing@contoso.com"}}.Encode()
	for _, seed := range []string{
		valid, "", "name=%ZZ", "credential_kind=certificate&certificate_pem=-----BEGIN%20CERTIFICATE-----%0Axx",
		valid + "&secret_expires_on=2026-02-30", valid + "&name=" + strings.Repeat("n", 200), valid + "&cloud=mars",
		valid + "&from=%00%0D%0A&test_recipient=a@b", "name=a&name=b&tenant=%E2%80%AE",
	} {
		f.Add(seed)
	}
	c := newConsole(f)
	first := c.scenarioForm(f, "works")
	first.Set("mode", "none")
	if resp, body := c.post(f, "/profiles", first); resp.StatusCode != http.StatusSeeOther {
		f.Fatalf("profile 1 for the edit form: got %d\n%s", resp.StatusCode, body)
	}
	f.Fuzz(func(t *testing.T, body string) {
		form := safeProfileForm(body)
		fuzzSend(t, c.client, http.MethodPost, c.URL+"/profiles", form)
		fuzzSend(t, c.client, http.MethodPost, c.URL+"/profiles/1", form)
		fuzzSend(t, c.client, http.MethodPost, c.URL+"/profiles/1/notes", body)
	})
}

func FuzzSignInForm(f *testing.F) {
	for _, seed := range []string{
		"username=alice&password=correct+horse+battery+staple", "", "username=%ZZ", "username=" + strings.Repeat("a", 5000),
		"username=alice&username=bob&password=x", "password=%00%FF", "username=%E2%80%AE&password=",
	} {
		f.Add(seed)
	}
	c := newConsole(f)
	f.Fuzz(func(t *testing.T, body string) {
		fuzzSend(t, anonymous, http.MethodPost, c.URL+"/signin", body)
	})
}

func FuzzUserForm(f *testing.F) {
	for _, seed := range []string{
		"username=carol&role=helpdesk&password=a+long+enough+passphrase", "", "role=root", "username=%00&password=x",
		"username=" + strings.Repeat("u", 300) + "&role=admin&password=" + strings.Repeat("p", 5000), "username=a%0D%0Ab",
	} {
		f.Add(seed)
	}
	c := newConsole(f)
	f.Fuzz(func(t *testing.T, body string) {
		fuzzSend(t, c.client, http.MethodPost, c.URL+"/users", body)
	})
}

func FuzzAuditQuery(f *testing.F) {
	for _, seed := range []string{
		"actor=alice&action=profile.&from=2026-01-01&to=2026-12-31", "", "from=2026-13-45", "to=99999-01-01", "action=%25_%5C",
		"actor=%ZZ", "from=0001-01-01&to=0001-01-01",
	} {
		f.Add(seed)
	}
	c := newConsole(f)
	f.Fuzz(func(t *testing.T, query string) {
		fuzzSend(t, c.client, http.MethodGet, c.URL+"/audit", query)
		fuzzSend(t, c.client, http.MethodGet, c.URL+"/audit.csv", query)
	})
}
