package handlers_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/smtpoauth/smtpoauth/handlers"
	"github.com/smtpoauth/smtpoauth/mailer/mailertest"
	"github.com/smtpoauth/smtpoauth/store"
)

// Test accounts; the console signs the admin in for the shared client.
const (
	adminName    = "alice"
	helpdeskName = "hank"
	testPassword = "correct horse battery staple"
)

// console is a real console over a real SQLite file, testing against the fake Exchange.
type console struct {
	*httptest.Server
	DB        *store.DB
	Fake      *mailertest.Server
	Scenarios []mailertest.Scenario
	Handlers  *handlers.Server
	// client is signed in as the admin; helpdesk as the help desk user.
	client, helpdesk *http.Client
}

// newConsole is a console with an administrator and a help desk user; each tweak changes its
// configuration before it is built.
func newConsole(tb testing.TB, tweaks ...func(*handlers.Config)) *console {
	tb.Helper()
	c := newConsoleWithoutUsers(tb, tweaks...)
	for _, u := range [][2]string{{adminName, store.RoleAdmin}, {helpdeskName, store.RoleHelpdesk}} {
		if _, err := c.DB.CreateUser(context.Background(), u[0], testPassword, u[1]); err != nil {
			tb.Fatal(err)
		}
	}
	c.client = c.signIn(tb, adminName, testPassword)
	c.helpdesk = c.signIn(tb, helpdeskName, testPassword)
	return c
}

// newConsoleWithoutUsers is a console on its first start.
func newConsoleWithoutUsers(tb testing.TB, tweaks ...func(*handlers.Config)) *console {
	tb.Helper()
	kr, _ := store.NewKeyring([]byte("0123456789abcdef0123456789abcdef"))
	// argon2 at full cost under the race detector would make each sign-in take seconds.
	fast := store.Options{Password: store.PasswordParams{Time: 1, Memory: 1024, Threads: 1}}
	db, err := store.OpenWith(context.Background(), filepath.Join(tb.TempDir(), store.FileName), kr, fast)
	if err != nil {
		tb.Fatal(err)
	}
	fake, err := mailertest.NewServer()
	if err != nil {
		tb.Fatal(err)
	}
	scenarios, err := fake.InstallStandardWorld()
	if err != nil {
		tb.Fatal(err)
	}
	sec := handlers.DefaultSecurity()
	sec.RunsPerMinuteUser, sec.RunsPerMinuteProfile = 0, 0
	cfg := handlers.Config{DB: db, Checker: fake.Checker(), Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		DemoAuthority: fake.URL, Security: sec}
	for _, t := range tweaks {
		t(&cfg)
	}
	h := handlers.New(cfg)
	ts := httptest.NewServer(h.Routes())
	tb.Cleanup(func() {
		h.BeginShutdown()
		ts.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		h.Shutdown(ctx)
		fake.Close()
		db.Close()
	})
	return &console{Server: ts, DB: db, Fake: fake, Scenarios: scenarios, Handlers: h}
}

// signIn signs in through the form and returns a client that keeps the session cookie and
// does not follow redirects.
func (c *console) signIn(tb testing.TB, name, password string) *http.Client {
	tb.Helper()
	jar, _ := cookiejar.New(nil)
	cl := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := cl.PostForm(c.URL+"/signin", url.Values{"username": {name}, "password": {password}})
	if err != nil {
		tb.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		tb.Fatalf("sign-in as %s: got %d", name, resp.StatusCode)
	}
	return cl
}

// anonymous is a client without a session.
var anonymous = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func (c *console) get(tb testing.TB, path string) (*http.Response, string) {
	tb.Helper()
	return c.getAs(tb, c.client, path)
}

func (c *console) getAs(tb testing.TB, cl *http.Client, path string) (*http.Response, string) {
	tb.Helper()
	resp, err := cl.Get(c.URL + path)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func (c *console) post(tb testing.TB, path string, form url.Values, headers ...string) (*http.Response, string) {
	tb.Helper()
	return c.postAs(tb, c.client, path, form, headers...)
}

func (c *console) postAs(tb testing.TB, cl *http.Client, path string, form url.Values, headers ...string) (*http.Response, string) {
	tb.Helper()
	method := http.MethodPost
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i] == "X-Method" {
			method = headers[i+1] // a pseudo-header: the request's method
		}
	}
	req, _ := http.NewRequest(method, c.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i] != "X-Method" {
			req.Header.Add(headers[i], headers[i+1])
		}
	}
	resp, err := cl.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func doc(tb testing.TB, body string) *goquery.Document {
	tb.Helper()
	d, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

func testid(d *goquery.Document, id string) *goquery.Selection {
	return d.Find(`[data-testid="` + id + `"]`)
}

// scenarioForm is the wizard's form for a scenario, pointed at the fake.
func (c *console) scenarioForm(tb testing.TB, name string) url.Values {
	tb.Helper()
	sc, ok := mailertest.ScenarioByName(c.Scenarios, name)
	if !ok {
		tb.Fatalf("no scenario %s", name)
	}
	to := sc.To
	if to == "" {
		to = "it@contoso.com"
	}
	return url.Values{"name": {"Test " + name}, "cloud": {"global"}, "tenant": {sc.Tenant}, "client_id": {sc.ClientID},
		"credential_kind": {"secret"}, "secret": {sc.Secret}, "mailbox": {sc.Mailbox}, "from": {sc.From}, "test_recipient": {to},
		"smtp_host": {c.Fake.SMTPAddr}, "authority": {c.Fake.URL}, "mode": {"auth"}, "auth_model": {string(sc.AuthModel)}}
}

// waitRun polls a run page until its verdict is in.
func (c *console) waitRun(tb testing.TB, path string) *goquery.Document {
	tb.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		_, body := c.get(tb, path)
		d := doc(tb, body)
		if testid(d, "verdict-summary").Length() > 0 {
			return d
		}
		time.Sleep(20 * time.Millisecond)
	}
	tb.Fatalf("run %s never finished", path)
	return nil
}

type netipPrefix = netip.Prefix

func mustPrefix(s string) netip.Prefix { return netip.MustParsePrefix(s) }
