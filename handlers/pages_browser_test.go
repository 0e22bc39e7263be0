package handlers_test

import (
	"context"
	"fmt"
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
	// wide marks the pages with tables: also checked at 1024 px, and by axe-core on a phone too,
	// where their tables become cards. The other pages' words and structure are the same on a
	// phone, so axe-core checks them once, at 1280 px (it is the slow part of the harness).
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
				// axeOn is the axe-core source where this page and size get an accessibility check.
				axeOn := func(pg page) string {
					if vp == desktop || (vp == phone && pg.wide) {
						return axe
					}
					return ""
				}
				if vp != laptop {
					for _, pg := range []page{{"signin-first-start", p.fresh.URL + "/signin", http.StatusOK, false},
						{"setup", p.setupLink, http.StatusOK, false}, {"signin", p.c.URL + "/signin", http.StatusOK, false}} {
						t.Run(pg.name, func(t *testing.T) { checkPage(t, ctx, w, axeOn(pg), pg.path, pg.status) })
					}
				}
				signInTab(t, ctx, p.c)
				for _, pg := range p.signedIn() {
					if vp == laptop && !pg.wide {
						continue
					}
					t.Run(pg.name, func(t *testing.T) { checkPage(t, ctx, w, axeOn(pg), p.c.URL+pg.path, pg.status) })
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

// On a phone the folded menu opens and fits, and a danger button asks before it acts: the open
// question fits the screen, and only its own button removes the user.
func TestBrowser_PhoneMenuAndConfirmation(t *testing.T) {
	c := newConsole(t)
	ctx, _ := tab(t, browserWithin(t, 3*time.Minute))
	must(t, chromedp.Do(ctx, phone.emulate()), "setting the viewport")
	signInTab(t, ctx, c)
	visible := func(sel string) string {
		// checkVisibility: the content of a closed <details> keeps its boxes but is not shown.
		return `(() => { const el = document.querySelector('` + sel + `'); return !!el && el.checkVisibility(); })()`
	}
	must(t, chromedp.Do(ctx, chromedp.Navigate(c.URL+"/users")), "opening the users page")
	if ok, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](visible(`[data-testid="nav-menu"] a[href="/audit"]`))); ok {
		t.Fatal("the phone menu is open before anyone opened it")
	}
	must(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`[data-testid="nav-menu"] > summary`))), "opening the menu")
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](visible(`[data-testid="nav-menu"] a[href="/audit"]`), chromedp.WithPollingTimeout(10*time.Second)))
	must(t, err, "waiting for the menu's links")
	if problems, err := checkLayout(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("the open menu does not fit the phone: %v %v", problems, err)
	}
	must(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`[data-testid="nav-menu"] > summary`))), "closing the menu")

	must(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`[data-testid="remove-user"] > summary`))), "asking to remove hank")
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](visible(`[data-testid="remove-user-yes"]`), chromedp.WithPollingTimeout(10*time.Second)))
	must(t, err, "waiting for the question")
	if problems, err := checkLayout(ctx); err != nil || len(problems) > 0 {
		t.Fatalf("the open question does not fit the phone: %v %v", problems, err)
	}
	if _, err := c.DB.UserByName(t.Context(), helpdeskName); err != nil {
		t.Fatalf("hank is gone before the confirmation: %v", err)
	}
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`[data-testid="remove-user-yes"]`))); err != nil {
		t.Fatalf("confirming: %v", err)
	}
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelectorAll('[data-testid="user-row"]').length === 1`, chromedp.WithPollingTimeout(10*time.Second)))
	must(t, err, "waiting for the user list without hank")
}

// A long table keeps its header in view while the page scrolls.
func TestBrowser_TableHeaderSticks(t *testing.T) {
	c := newConsole(t)
	for i := range 12 { // a dozen audited actions make the log longer than the window
		if resp, body := c.post(t, "/tokens", url.Values{"name": {fmt.Sprintf("monitor-%d", i)}, "role": {"helpdesk"}, "scopes": {"api"}, "expires": {"30"}}); resp.StatusCode >= 400 {
			t.Fatalf("creating a token: %d %s", resp.StatusCode, body)
		}
	}
	ctx, _ := tab(t, browserWithin(t, 3*time.Minute))
	must(t, chromedp.Do(ctx, viewport{"short", 1280, 360, false}.emulate()), "setting the viewport")
	signInTab(t, ctx, c)
	must(t, chromedp.Do(ctx, chromedp.Navigate(c.URL+"/audit")), "opening the audit log")
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`(() => {
		const th = document.querySelector('[data-testid="audit"] thead th');
		const table = th.closest('table');
		window.scrollTo(0, table.getBoundingClientRect().top + window.scrollY + 60);
		const top = th.getBoundingClientRect().top;
		return table.getBoundingClientRect().top < 0 && top >= -1 && top <= 1;
	})()`, chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil {
		state, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify({th: document.querySelector('[data-testid="audit"] thead th').getBoundingClientRect().top,
			table: document.querySelector('[data-testid="audit"]').getBoundingClientRect().top, rows: document.querySelectorAll('[data-testid="audit-row"]').length,
			height: document.documentElement.scrollHeight, scrollY: window.scrollY})`))
		t.Fatalf("after scrolling into the table its header is not at the top (sticky): %s: %v", state, err)
	}
}
