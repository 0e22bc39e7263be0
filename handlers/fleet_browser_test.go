package handlers_test

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/smtpoauth/smtpoauth/handlers"
)

// TestBrowser_FleetPageUpdatesLive: the help desk clicks "Test all"; the fleet page shows the
// checks waiting, then, without a reload, each row's outcome with a link to its run, the
// counters and the failures by diagnosis, and it stops polling.
func TestBrowser_FleetPageUpdatesLive(t *testing.T) {
	var gate *gateChecker
	c, _ := newFleetConsoleWorkers(t, 2, func(cfg *handlers.Config) {
		gate = newGate(cfg.Checker)
		cfg.FleetChecker = gate
	})
	released := false
	t.Cleanup(func() {
		if !released {
			close(gate.release)
		}
	})
	for _, n := range []string{"works", "rbac-works", "wrong-secret"} {
		mustScenarioProfile(t, c, n)
	}
	ctx := browserFor(t, 3*time.Minute)
	browserSignIn(t, ctx, c, helpdeskName)
	must(t, chromedp.Do(ctx, chromedp.Navigate(c.URL+"/"),
		chromedp.Click(chromedp.CSS(`[data-testid="fleet-all"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="fleet-counts"]`))), "starting Test all")
	// Before any check ends: nothing passed or failed, the poller is on.
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector('[data-testid="count-passed"]').textContent.trim() === '0'
		&& document.querySelector('[data-testid="fleet-poll"]').dataset.finished === 'false'
		&& document.querySelectorAll('[data-testid="fleet-row"]').length === 3`, chromedp.WithPollingTimeout(30*time.Second)))
	if err != nil {
		html, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.outerHTML`))
		t.Fatalf("waiting for the fleet page with its three waiting rows: %v\n%s", err, html)
	}
	released = true
	close(gate.release)
	const done = `(() => {
		const n = s => document.querySelector('[data-testid="count-' + s + '"]').textContent.trim();
		const rows = [...document.querySelectorAll('[data-testid="fleet-row"]')];
		return n('passed') === '2' && n('failed') === '1' && n('queued') === '0' && n('running') === '0'
			&& rows.length === 3
			&& rows.every(r => ['passed', 'failed'].includes(r.dataset.state) && r.querySelector('[data-testid="fleet-run-link"]'))
			&& document.querySelector('[data-testid="fleet-diagnoses"] li') !== null
			&& document.querySelector('[data-testid="fleet-poll"]').dataset.finished === 'true'
			&& document.querySelector('[data-testid="fleet-cancel"]') === null;
	})()`
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](done, chromedp.WithPollingTimeout(60*time.Second))); err != nil {
		html, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('main').outerHTML`))
		t.Fatalf("the fleet page never showed every outcome without a reload: %v\n%s", err, html)
	}
	url, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`))
	must(t, err, "reading the address")
	// Following a row's link opens its run page with a verdict.
	must(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`[data-testid="fleet-run-link"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="verdict-summary"]`))), "opening a row's run from "+url)
}

// browserFor is browser with a longer deadline for the whole test: a fleet page waits for
// several checks on two loaded cores. chromedp ties the browser's life to the context of its
// first Run, so the deadline is set before that, not around browser's context.
func browserFor(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("SMTPOAUTH_REQUIRE_TOOLS") != "" {
			t.Fatal("chromium is required: apt-get install chromium")
		}
		t.Skip("chromium not installed")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.WindowSize(1280, 1000),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, d)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return ctx
}
