package handlers_test

import (
	"context"
	_ "embed"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// The page-wide checks every page of the console must pass, in the browser.

//go:embed testdata/pagecheck.js
var pageCheckJS string

// axeDefault is where .ci/run installs axe-core from npm; SMTPOAUTH_AXE names another copy.
const axeDefault = "/opt/smtpoauth-tools/node_modules/axe-core/axe.min.js"

// axeSource reads axe-core's browser build. CI (SMTPOAUTH_REQUIRE_TOOLS) fails without it;
// elsewhere the test skips.
func axeSource(t *testing.T) string {
	t.Helper()
	p := os.Getenv("SMTPOAUTH_AXE")
	if p == "" {
		p = axeDefault
	}
	b, err := os.ReadFile(p)
	if err != nil {
		if os.Getenv("SMTPOAUTH_REQUIRE_TOOLS") != "" {
			t.Fatalf("axe-core is required (%v): npm install --prefix /opt/smtpoauth-tools axe-core, or set SMTPOAUTH_AXE", err)
		}
		t.Skipf("axe-core not installed (%v)", err)
	}
	return string(b)
}

// viewport is a window size the console must fit.
type viewport struct {
	Name          string
	Width, Height int64
	Mobile        bool
}

var (
	desktop = viewport{"1280", 1280, 800, false}
	laptop  = viewport{"1024", 1024, 768, false}
	phone   = viewport{"390", 390, 844, true}
)

func (v viewport) emulate() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		scale := 1.0
		if v.Mobile {
			scale = 2 // a phone's dense screen, so the page's meta viewport applies as on a phone
		}
		_, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
			Width: v.Width, Height: v.Height, DeviceScaleFactor: scale, Mobile: v.Mobile})
		return err
	})
}

// pageWatch collects what a person with the developer tools open would see go wrong: console
// errors, uncaught exceptions and loads that failed.
type pageWatch struct {
	mu       sync.Mutex
	problems []string
	// document is the URL whose error status is expected (a 404 page answers 404).
	document string
}

func (w *pageWatch) add(s string) {
	w.mu.Lock()
	w.problems = append(w.problems, s)
	w.mu.Unlock()
}

// reset starts a new page; expected is the document URL allowed to answer with an error.
func (w *pageWatch) reset(expected string) {
	w.mu.Lock()
	w.problems, w.document = nil, expected
	w.mu.Unlock()
}

func (w *pageWatch) take() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.problems...)
}

// listen runs inside chromedp's read loop: it only records.
func (w *pageWatch) listen(ev any) {
	switch e := ev.(type) {
	case *runtime.EventExceptionThrown:
		w.add("uncaught exception: " + e.ExceptionDetails.Text + describeException(e.ExceptionDetails))
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
			var parts []string
			for _, a := range e.Args {
				parts = append(parts, strings.Trim(string(a.Value), `"`)+a.Description)
			}
			w.add("console." + string(e.Type) + ": " + strings.Join(parts, " "))
		}
	case *cdplog.EventEntryAdded:
		if e.Entry.Level == cdplog.EntryLevelError {
			w.mu.Lock()
			expected := w.document != "" && e.Entry.URL == w.document
			w.mu.Unlock()
			if !expected {
				w.add("console error (" + string(e.Entry.Source) + "): " + e.Entry.Text + " " + e.Entry.URL)
			}
		}
	case *network.EventResponseReceived:
		if e.Response.Status >= 400 {
			w.mu.Lock()
			expected := e.Type == network.ResourceTypeDocument && e.Response.URL == w.document
			w.mu.Unlock()
			if !expected {
				w.add(fmt.Sprintf("failed load: %s answered %d", e.Response.URL, e.Response.Status))
			}
		}
	case *network.EventLoadingFailed:
		// A request the page itself abandons (navigation away) is not a failure a person sees.
		if !e.Canceled {
			w.add(fmt.Sprintf("failed load (%s): %s %s", e.Type, e.ErrorText, e.BlockedReason))
		}
	}
}

func describeException(d *runtime.ExceptionDetails) string {
	if d.Exception != nil {
		return " " + d.Exception.Description
	}
	return ""
}

// layoutReport is what pagecheck.js returns.
type layoutReport struct {
	Busy     bool     `json:"busy"`
	Problems []string `json:"problems"`
}

// checkLayout waits for the page to settle (loaded, no htmx swap under way), then waits for it
// to fit; if it never does within the timeout, it returns what sticks out.
func checkLayout(ctx context.Context) ([]string, error) {
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`!(`+pageCheckJS+`).busy`,
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(20*time.Second)))
	if err != nil {
		return nil, fmt.Errorf("the page never settled: %w", err)
	}
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](`(`+pageCheckJS+`).problems.length === 0`,
		chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(3*time.Second)))
	if err == nil {
		return nil, nil
	}
	r, err := chromedp.Run(ctx, chromedp.Evaluate[layoutReport](pageCheckJS))
	if err != nil {
		return nil, err
	}
	return r.Problems, nil
}

// axeViolation is one axe-core finding, with the elements it found it on.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []any  `json:"target"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

func (v axeViolation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "axe %s (%s): %s", v.ID, v.Impact, v.Help)
	for i, n := range v.Nodes {
		if i == 3 {
			fmt.Fprintf(&b, "\n      … and %d more", len(v.Nodes)-3)
			break
		}
		fmt.Fprintf(&b, "\n      at %v: %s", n.Target, strings.ReplaceAll(n.Summary, "\n", " "))
	}
	return b.String()
}

// runAxe injects axe-core (once per document) and returns its serious and critical findings.
func runAxe(ctx context.Context, axe string) ([]axeViolation, error) {
	// Evaluated by DevTools, the script is not subject to the page's Content-Security-Policy.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](axe)); err != nil {
		return nil, fmt.Errorf("injecting axe-core: %w", err)
	}
	return chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](`axe.run(document, {resultTypes: ["violations"]}).then(r =>
		r.violations.filter(v => v.impact === "serious" || v.impact === "critical"))`, chromedp.EvalAwaitPromise))
}

// sharedBrowser starts one headless chromium for a whole test; each tab gets its own browser
// context (cookies) from tab.
func sharedBrowser(t *testing.T, timeout time.Duration) context.Context {
	t.Helper()
	return browserWithin(t, timeout)
}

// tab opens a tab in a fresh browser context (no cookies) and watches it.
func tab(t *testing.T, parent context.Context) (context.Context, *pageWatch) {
	t.Helper()
	ctx, cancel := chromedp.NewContext(parent, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	must(t, chromedp.Do(ctx), "opening a tab")
	w := &pageWatch{}
	must(t, chromedp.Listen(ctx, w.listen), "listening to the tab")
	return ctx, w
}

// setLanguage stores the language cookie for a console, as the footer's switch would.
func setLanguage(ctx context.Context, baseURL, lang string) error {
	_, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{Name: "smtpoauth_lang", Value: lang, URL: baseURL + "/"})
	return err
}

// checkPage opens url and reports every page-wide problem. wantStatus is the document's status.
func checkPage(t *testing.T, ctx context.Context, w *pageWatch, axe, url string, wantStatus int) {
	t.Helper()
	expected := ""
	if wantStatus >= 400 {
		expected = url
	}
	w.reset(expected)
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(url))
	if err != nil {
		t.Fatalf("opening %s: %v", url, err)
	}
	if resp.Status != int64(wantStatus) {
		t.Errorf("%s answered %d, want %d", url, resp.Status, wantStatus)
	}
	problems, err := checkLayout(ctx)
	if err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	for _, p := range problems {
		t.Errorf("overflow: %s", p)
	}
	icon, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('link[rel~="icon"]') || {}).href || ""`))
	if err == nil && icon == "" {
		t.Errorf("no <link rel=icon>: the browser asks for /favicon.ico")
	}
	if axe != "" {
		violations, err := runAxe(ctx, axe)
		if err != nil {
			t.Fatalf("%s: %v", url, err)
		}
		for _, v := range violations {
			t.Error(v.String())
		}
	}
	// Console messages and failed loads may trail the load event: give them the time axe took,
	// plus a last look after a short wait.
	time.Sleep(100 * time.Millisecond)
	for _, p := range w.take() {
		t.Error(p)
	}
	// SMTPOAUTH_PAGE_SHOTS=1 keeps a picture of every page to look at; a failing page always.
	if t.Failed() || os.Getenv("SMTPOAUTH_PAGE_SHOTS") != "" {
		artifact(t, ctx, "pages-"+strings.NewReplacer("/", "_", " ", "_").Replace(t.Name())+".png")
	}
}
