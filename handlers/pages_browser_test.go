package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// consolePages is a console with something on every page: a passed run, a failed run, a Send As
// failure, an API token, users and audit entries; plus a second console on its first start (no
// administrator yet) for the sign-in and setup pages a new installation shows.
type consolePages struct {
	c, fresh   *console
	setupLink  string
	passed     string
	failed     string
	sendAsFail string
}

func newConsolePages(t *testing.T) *consolePages {
	t.Helper()
	p := &consolePages{c: newConsole(t), fresh: newConsoleWithoutUsers(t)}
	start := func(scenario, mode, name string) string {
		f := p.c.scenarioForm(t, scenario)
		f.Set("mode", mode)
		f.Set("name", name)
		resp, _ := p.c.post(t, "/profiles", f)
		loc := resp.Header.Get("Location")
		if !strings.HasPrefix(loc, "/runs/") {
			t.Fatalf("saving %s: got %d, Location %q", scenario, resp.StatusCode, loc)
		}
		p.c.waitRun(t, loc)
		return loc
	}
	p.passed = start("works", "auth", "Contoso billing (Rechnungsstellung, Zentrale)")
	p.failed = start("no-service-principal", "auth", "Scanner Lager Nord")
	p.sendAsFail = start("send-as-denied", "send", "Newsletter")
	if resp, body := p.c.post(t, "/tokens", url.Values{"name": {"monitoring"}, "role": {"helpdesk"}, "scopes": {"api"}, "expires": {"90"}}); resp.StatusCode >= 400 {
		t.Fatalf("creating a token: %d %s", resp.StatusCode, body)
	}
	link, err := p.fresh.Handlers.SetupLink(t.Context(), p.fresh.URL)
	if err != nil || link == "" {
		t.Fatalf("setup link: %q %v", link, err)
	}
	p.setupLink = link
	return p
}

// page is one page of the console the harness visits.
type page struct {
	name   string
	path   string
	status int
	// wide marks the pages with tables, also checked at 1024 px.
	wide bool
}

func (p *consolePages) signedIn() []page {
	return []page{
		{"dashboard", "/", http.StatusOK, true},
		{"connection", "/profiles/1", http.StatusOK, false},
		{"checklist", "/profiles/2/setup", http.StatusOK, false},
		{"edit", "/profiles/1/edit", http.StatusOK, false},
		{"wizard", "/wizard", http.StatusOK, false},
		{"run-passed", p.passed, http.StatusOK, false},
		{"run-failed", p.failed, http.StatusOK, false},
		{"run-send-as", p.sendAsFail, http.StatusOK, false},
		{"runs", "/runs", http.StatusOK, true},
		{"users", "/users", http.StatusOK, true},
		{"tokens", "/tokens", http.StatusOK, true},
		{"audit", "/audit", http.StatusOK, true},
		{"not-found", "/no/such/page", http.StatusNotFound, false},
		{"connection-not-found", "/profiles/999", http.StatusNotFound, false},
	}
}

// TestBrowser_EveryPage visits every page of the console in English and German, on a desktop
// and a phone (and the table pages at 1024 px), and asserts what a person would notice: nothing
// sticks out sideways, no console error or failed load, no serious or critical axe-core finding.
func TestBrowser_EveryPage(t *testing.T) {
	axe := axeSource(t)
	p := newConsolePages(t)
	root := sharedBrowser(t, 8*time.Minute)
	for _, lang := range []string{"en", "de"} {
		for _, vp := range []viewport{desktop, phone, laptop} {
			t.Run(lang+"-"+vp.Name, func(t *testing.T) {
				ctx, w := tab(t, root)
				must(t, chromedp.Do(ctx, vp.emulate()), "setting the viewport")
				for _, base := range []string{p.c.URL, p.fresh.URL} {
					must(t, setLanguage(ctx, base, lang), "setting the language")
				}
				if vp != laptop {
					t.Run("signin-first-start", func(t *testing.T) { checkPage(t, ctx, w, axe, p.fresh.URL+"/signin", http.StatusOK) })
					t.Run("setup", func(t *testing.T) { checkPage(t, ctx, w, axe, p.setupLink, http.StatusOK) })
					t.Run("signin", func(t *testing.T) { checkPage(t, ctx, w, axe, p.c.URL+"/signin", http.StatusOK) })
				}
				signInTab(t, ctx, p.c)
				for _, pg := range p.signedIn() {
					if vp == laptop && !pg.wide {
						continue
					}
					t.Run(pg.name, func(t *testing.T) { checkPage(t, ctx, w, axe, p.c.URL+pg.path, pg.status) })
				}
			})
		}
	}
}

// signInTab signs the admin in through the form; it works whether the navigation is open or
// folded into a menu.
func signInTab(t *testing.T, ctx context.Context, c *console) {
	t.Helper()
	must(t, chromedp.Do(ctx, chromedp.Navigate(c.URL+"/signin"),
		chromedp.SetValue(chromedp.CSS(`[data-testid="signin-username"]`), adminName),
		chromedp.SetValue(chromedp.CSS(`[data-testid="signin-password"]`), testPassword),
		chromedp.Click(chromedp.CSS(`[data-testid="signin-submit"]`)),
		chromedp.WaitReady(chromedp.CSS(`[data-testid="user-menu"]`))), "signing in")
}
