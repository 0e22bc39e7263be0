package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/smtpoauth/smtpoauth/handlers"
	"github.com/smtpoauth/smtpoauth/store"
)

// A burst of concurrent wrong passwords is judged like the same tries one after another: three
// are checked, the rest are refused unchecked.
func TestSignIn_ConcurrentBurstGetsNoMoreGuesses(t *testing.T) {
	c := newConsole(t)
	var wg sync.WaitGroup
	for range 24 {
		wg.Go(func() {
			req, _ := http.NewRequest(http.MethodPost, c.URL+"/signin", strings.NewReader(url.Values{"username": {adminName}, "password": {"a wrong guess"}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if resp, err := anonymous.Do(req); err == nil {
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	failed, _ := c.DB.AuditLog(t.Context(), store.AuditFilter{Action: "signin.failed"})
	if len(failed) != 3 {
		t.Fatalf("24 concurrent wrong passwords: got %d checked, want 3, as one after another", len(failed))
	}
}

// Wrong passwords from other addresses do not lock the administrator out of the address they
// use; a new address meets the account's ceiling.
func TestSignIn_AttackFromElsewhereDoesNotLockOut(t *testing.T) {
	// alice signed in from 127.0.0.1
	c := newConsole(t, func(cfg *handlers.Config) { cfg.Security.TrustedProxies = []netipPrefix{mustPrefix("127.0.0.1/32")} })
	for i := range 20 {
		c.postAs(t, anonymous, "/signin", url.Values{"username": {adminName}, "password": {"a wrong guess"}}, "X-Forwarded-For", fmt.Sprintf("203.0.113.%d", i))
	}
	if resp, _ := c.postAs(t, anonymous, "/signin", url.Values{"username": {adminName}, "password": {testPassword}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the administrator at her usual address after an attack from elsewhere: got %d, want 303", resp.StatusCode)
	}
	if resp, _ := c.postAs(t, anonymous, "/signin", url.Values{"username": {adminName}, "password": {testPassword}}, "X-Forwarded-For", "198.51.100.7"); resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("a new address during the attack: got %d, want 429", resp.StatusCode)
	}
}

// After sign-in the browser only ever goes to a page of the console.
func TestSignIn_NextStaysOnConsole(t *testing.T) {
	c := newConsole(t)
	for _, next := range []string{"/\t/evil.example/", "/\\evil.example", "\\/evil.example", "//evil.example", "/\n/evil.example",
		"https://evil.example/", "/.//evil.example", "/%2e//evil.example", " /evil", "javascript:alert(1)", "/\x00/evil.example"} {
		t.Run(fmt.Sprintf("%q", next), func(t *testing.T) {
			resp, _ := c.postAs(t, anonymous, "/signin", url.Values{"username": {helpdeskName}, "password": {testPassword}, "next": {next}})
			if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/" {
				t.Fatalf("got %d to %q, want 303 to /", resp.StatusCode, loc)
			}
		})
	}
	resp, _ := c.postAs(t, anonymous, "/signin", url.Values{"username": {helpdeskName}, "password": {testPassword}, "next": {"/runs?page=2"}})
	if loc := resp.Header.Get("Location"); loc != "/runs?page=2" {
		t.Fatalf("a page of the console: got %q", loc)
	}
	_, body := c.getAs(t, anonymous, "/signin?next="+url.QueryEscape("/\t/evil.example/"))
	if v, _ := doc(t, body).Find(`input[name="next"]`).Attr("value"); v != "/" {
		t.Fatalf("the sign-in form carries next=%q, want /", v)
	}
}

// Each start without users prints a new setup link; only the newest one works.
func TestSetupLink_OnlyNewestWorks(t *testing.T) {
	fresh := newConsoleWithoutUsers(t)
	old, _ := fresh.Handlers.SetupLink(context.Background(), fresh.URL)
	newest, _ := fresh.Handlers.SetupLink(context.Background(), fresh.URL)
	form := url.Values{"username": {"root-admin"}, "password": {"a long enough passphrase"}, "password2": {"a long enough passphrase"}}
	if resp, _ := fresh.postAs(t, anonymous, strings.TrimPrefix(old, fresh.URL), form); resp.StatusCode != http.StatusGone {
		t.Fatalf("an older setup link: got %d, want 410", resp.StatusCode)
	}
	if resp, _ := fresh.postAs(t, anonymous, strings.TrimPrefix(newest, fresh.URL), form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the newest setup link: got %d, want 303", resp.StatusCode)
	}
}

// A wrong setup link is refused before the form is looked at.
func TestSetup_WrongLinkRefusedFirst(t *testing.T) {
	fresh := newConsoleWithoutUsers(t)
	resp, _ := fresh.postAs(t, anonymous, "/setup/no-such-token", url.Values{"username": {"root"}, "password": {"a"}, "password2": {"b"}})
	if resp.StatusCode != http.StatusGone {
		t.Fatalf("got %d, want 410", resp.StatusCode)
	}
}

// A configuration that leaves the session policy out gets the default one, not sessions that end
// the moment they start.
func TestSignIn_ConfigWithoutSessionPolicyKeepsUsersSignedIn(t *testing.T) {
	c := newConsole(t, func(cfg *handlers.Config) { cfg.Security = handlers.Security{} })
	resp, err := c.client.Get(c.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("the dashboard right after signing in: got %d, want 200", resp.StatusCode)
	}
}

// Behind a proxy that appends its own X-Forwarded-For line, an attacker's forged first line
// names no one: wrong passwords sent "from" the administrator's address count against the
// attacker's own, and she still signs in from hers.
func TestSignIn_ForgedForwardedLineCannotLockOutKnownAddress(t *testing.T) {
	c := newConsole(t, func(cfg *handlers.Config) { cfg.Security.TrustedProxies = []netipPrefix{mustPrefix("127.0.0.1/32")} })
	const hers, attacker = "198.51.100.7", "203.0.113.66"
	if resp, _ := c.postAs(t, anonymous, "/signin", url.Values{"username": {adminName}, "password": {testPassword}}, "X-Forwarded-For", hers); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in from her address: got %d", resp.StatusCode)
	}
	for range 20 {
		c.postAs(t, anonymous, "/signin", url.Values{"username": {adminName}, "password": {"a wrong guess"}}, "X-Forwarded-For", hers, "X-Forwarded-For", attacker)
	}
	if resp, _ := c.postAs(t, anonymous, "/signin", url.Values{"username": {adminName}, "password": {testPassword}}, "X-Forwarded-For", hers); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the administrator at her known address after forged attempts: got %d, want 303", resp.StatusCode)
	}
}

// Refused sign-ins cost no hash, so each would be a free audit row: a back-off window is
// recorded once, however often it is hit.
func TestSignIn_ThrottledTriesRecordedOncePerWindow(t *testing.T) {
	c := newConsole(t)
	for range 100 {
		c.postAs(t, anonymous, "/signin", url.Values{"username": {"mallory"}, "password": {"a wrong guess"}})
	}
	failed, _ := c.DB.AuditLog(t.Context(), store.AuditFilter{Action: "signin.failed"})
	throttled, _ := c.DB.AuditLog(t.Context(), store.AuditFilter{Action: "signin.throttled"})
	// Each new window starts with a counted failure; the first three are free.
	if windows := len(failed) - 2; len(throttled) > windows {
		t.Fatalf("100 tries: %d failed, %d throttled rows; want at most one per back-off window (%d)", len(failed), len(throttled), windows)
	}
	if len(throttled) == 0 {
		t.Fatal("no throttled try recorded at all")
	}
}
