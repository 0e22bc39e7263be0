package handlers_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/smtpoauth/smtpoauth/mailer/mailertest"
)

// browser starts Debian's chromium headless for one test. CI sets SMTPOAUTH_REQUIRE_TOOLS, so a
// missing browser fails there instead of skipping.
func browser(t *testing.T) context.Context {
	t.Helper()
	// Generous: CI has two cores shared with the race detector and the other packages' tests, and
	// each test waits for states rather than sleeping, so the cap only ends a test that is stuck.
	return browserWithin(t, 90*time.Second)
}

// browserWithin is browser for a test that needs longer than the default 90 seconds in all.
func browserWithin(t *testing.T, timeout time.Duration) context.Context {
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
	ctx, cancelTimeout := context.WithTimeout(ctx, timeout)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return ctx
}

// browserSignIn signs in through the page, as a person would.
func browserSignIn(t *testing.T, ctx context.Context, c *console, name string) {
	t.Helper()
	must(t, chromedp.Do(ctx, chromedp.Navigate(c.URL+"/signin"),
		chromedp.SetValue(chromedp.CSS(`[data-testid="signin-username"]`), name),
		chromedp.SetValue(chromedp.CSS(`[data-testid="signin-password"]`), testPassword),
		chromedp.Click(chromedp.CSS(`[data-testid="signin-submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="user-menu"]`))), "signing in as "+name)
}

// artifact saves a screenshot under the git-ignored artifacts folder.
func artifact(t *testing.T, ctx context.Context, name string) []byte {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	dir := filepath.Join("..", "artifacts")
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, name), png, 0o644)
	return png
}

// waitPhases waits until the named stage chips show the wanted states (space-separated, in order).
// htmx's transient classes (htmx-added, htmx-settling) are not states and are ignored.
func waitPhases(t *testing.T, ctx context.Context, phases []string, want string) {
	t.Helper()
	expr := `JSON.stringify(` + "`" + strings.Join(phases, ",") + "`" + `.split(',').map(p => {
		const el = document.querySelector('[data-testid="phase-' + p + '"]');
		return el ? [...el.classList].filter(c => !c.startsWith('htmx-')).join('.') : 'missing';
	}).join(' '))`
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](expr+` === JSON.stringify(`+"`"+want+"`"+`)`,
		chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil {
		got, _ := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		t.Fatalf("stage chips %v: got %s, want %q", phases, got, want)
	}
}

func must(t *testing.T, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// The centre of the product: the wizard checks the token, saves, and the transcript streams in
// while the server is still holding its reply; then the verdict; then reopening replays it.
func TestBrowser_WizardStreamsTranscriptLive(t *testing.T) {
	c := newConsole(t)
	ctx := browser(t)
	release := make(chan struct{})
	var once sync.Once
	t.Cleanup(func() { once.Do(func() { close(release) }) })
	var holdOnce sync.Once
	c.Fake.SetFaults(mailertest.Faults{Hold: func(cmd string) {
		if cmd == "EHLO" {
			holdOnce.Do(func() { <-release }) // only the first EHLO waits
		}
	}})
	f := c.scenarioForm(t, "works")
	browserSignIn(t, ctx, c, adminName)
	fill := []chromedp.Action[chromedp.Void]{chromedp.Navigate(c.URL + "/wizard")}
	for _, field := range []string{"name", "tenant", "client_id", "secret", "mailbox", "test_recipient", "smtp_host", "authority"} {
		fill = append(fill, chromedp.SetValue(chromedp.CSS("#"+field), f.Get(field)))
	}
	must(t, chromedp.Do(ctx, fill...), "filling the wizard")
	must(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`[data-testid="check-token"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="check-roles"]`))), "step 1 token check")
	roles, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`[data-testid="check-roles"]`)))
	must(t, err, "reading the roles verdict")
	if !strings.Contains(roles, "SMTP.SendAsApp") || !strings.Contains(roles, "✓") {
		t.Fatalf("roles verdict: %q", roles)
	}
	ps, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`[data-testid="powershell"]`)))
	if !strings.Contains(ps, "a1000000-0000-4000-8000-000000000001") {
		t.Fatalf("step 2 PowerShell lacks the token's oid:\n%s", ps)
	}
	must(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`[data-testid="save"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="live"]`))), "saving and starting the run")

	// The banner is on the page while the fake still holds its EHLO reply: the run is not over.
	_, err = chromedp.Run(ctx, chromedp.Poll[bool](`[...document.querySelectorAll('[data-testid="event"] .text')].some(e => e.textContent.startsWith('220 '))`,
		chromedp.WithPollingTimeout(15*time.Second)))
	must(t, err, "waiting for the first server line")
	present, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('[data-testid="verdict-summary"]') !== null`))
	if present {
		t.Fatal("the verdict was there before the server answered EHLO: the transcript is not live")
	}
	// The stage chips follow the live lines; each chip is its own out-of-band swap, so the test waits
	// for them (a chip may land a moment after the line that caused it) rather than sampling once.
	waitPhases(t, ctx, []string{"token", "connect", "tls"}, "done active pending")
	artifact(t, ctx, "wizard-live.png")
	if os.Getenv("SMTPOAUTH_UPDATE_DOCS") != "" {
		png, _ := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		os.WriteFile(filepath.Join("..", "docs", "wizard.png"), png, 0o644)
	}
	once.Do(func() { close(release) })

	_, err = chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector('[data-testid="verdict-summary"]') !== null`, chromedp.WithPollingTimeout(15*time.Second)))
	must(t, err, "waiting for the verdict")
	summary, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`[data-testid="verdict-summary"]`)))
	if !strings.Contains(summary, "Passed") {
		t.Fatalf("verdict: %q", summary)
	}
	runURL, _ := chromedp.Run(ctx, chromedp.Location())
	run, err := c.DB.Run(t.Context(), runURL[strings.LastIndex(runURL, "/")+1:])
	must(t, err, "loading the saved run")
	lines, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="event"]').length`))
	if lines != len(run.Events) {
		t.Fatalf("the page shows %d lines, the run has %d: lines were lost or doubled", lines, len(run.Events))
	}
	waitPhases(t, ctx, []string{"auth"}, "done")
	artifact(t, ctx, "wizard-done.png")

	// Reopening the permalink replays the saved transcript and verdict.
	must(t, chromedp.Do(ctx, chromedp.Navigate(runURL), chromedp.WaitVisible(chromedp.CSS(`[data-testid="verdict-summary"]`))), "reopening the run")
	again, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="event"]').length`))
	live, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('[data-testid="live"]') !== null`))
	if again != len(run.Events) || live {
		t.Fatalf("replay shows %d lines (want %d), live=%v", again, len(run.Events), live)
	}
}

func TestBrowser_FailureShowsRemediation(t *testing.T) {
	c := newConsole(t)
	ctx := browser(t)
	f := c.scenarioForm(t, "no-service-principal")
	f.Set("mode", "none")
	c.post(t, "/profiles", f)
	browserSignIn(t, ctx, c, adminName)
	must(t, chromedp.Do(ctx, chromedp.Navigate(c.URL+"/profiles/1"),
		chromedp.Click(chromedp.CSS(`[data-testid="test-now"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="diagnosis-title"]`))), "running the failing test")
	title, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`[data-testid="diagnosis-title"]`)))
	steps, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`[data-testid="remediation"]`)))
	if !strings.Contains(title, "535 5.7.3") || !strings.Contains(steps, "New-ServicePrincipal -AppId '11111111-aaaa-4bbb-8ccc-000000000004' -ObjectId 'a1000000-0000-4000-8000-000000000004'") {
		t.Fatalf("diagnosis %q, remediation:\n%s", title, steps)
	}
	n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-testid="remediation"] > li').length`))
	if n < 3 {
		t.Fatalf("got %d remediation steps, want the ranked list", n)
	}
	waitPhases(t, ctx, []string{"auth"}, "failed")
	artifact(t, ctx, "failure.png")
}

func TestBrowser_ValidationErrorsInline(t *testing.T) {
	c := newConsole(t)
	ctx := browser(t)
	browserSignIn(t, ctx, c, adminName)
	must(t, chromedp.Do(ctx, chromedp.Navigate(c.URL+"/wizard"),
		chromedp.SetValue(chromedp.CSS("#name"), "Bad"), chromedp.SetValue(chromedp.CSS("#tenant"), "not a tenant"),
		chromedp.Click(chromedp.CSS(`[data-testid="save"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="error-tenant"]`))), "submitting invalid input")
	name, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#name').value`))
	if name != "Bad" {
		t.Fatalf("the form lost what was typed: %q", name)
	}
}

// The help desk signs in, runs a test, does not see the admin-only controls, and is refused
// when it forces them.
func TestBrowser_HelpdeskRunsTestsButCannotAdminister(t *testing.T) {
	c := newConsole(t)
	f := c.scenarioForm(t, "works")
	f.Set("mode", "none")
	c.post(t, "/profiles", f)
	ctx := browser(t)
	browserSignIn(t, ctx, c, helpdeskName)
	must(t, chromedp.Do(ctx, chromedp.Navigate(c.URL+"/profiles/1"),
		chromedp.Click(chromedp.CSS(`[data-testid="test-now"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="verdict-summary"]`))), "help desk running a test")
	summary, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`[data-testid="verdict-summary"]`)))
	if !strings.Contains(summary, "Passed") {
		t.Fatalf("verdict: %q", summary)
	}
	must(t, chromedp.Do(ctx, chromedp.Navigate(c.URL+"/profiles/1"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="test-now"]`))), "profile page")
	for _, id := range []string{"edit", "delete-section", "nav-new", "nav-audit"} {
		present, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('[data-testid="`+id+`"]') !== null`))
		if present {
			t.Errorf("the help desk sees the admin-only control %q", id)
		}
	}
	// Forcing it: the edit page and a form post from the page's own origin are refused.
	status, err := chromedp.Run(ctx, chromedp.Evaluate[int](`fetch('/profiles/1/edit').then(r => r.status)`, func(p *runtime.EvaluateParams) { p.AwaitPromise = new(true) }))
	must(t, err, "fetching the edit page")
	if status != 403 {
		t.Fatalf("help desk GET /profiles/1/edit: got %d, want 403", status)
	}
	status, _ = chromedp.Run(ctx, chromedp.Evaluate[int](`fetch('/profiles/1/delete', {method: 'POST', body: new URLSearchParams({confirm: 'yes'})}).then(r => r.status)`, func(p *runtime.EvaluateParams) { p.AwaitPromise = new(true) }))
	if status != 403 {
		t.Fatalf("help desk POST delete: got %d, want 403", status)
	}
	if _, err := c.DB.Profile(t.Context(), 1); err != nil {
		t.Fatal("the profile is gone after a refused delete")
	}
	artifact(t, ctx, "helpdesk.png")
}

// A German admin switches the page to German, walks the checklist of a demo connection, and
// finds German for the steps, the diagnosis and a validation error.
func TestBrowser_GermanChecklistDiagnosisValidation(t *testing.T) {
	c := newConsole(t)
	resp, _ := c.post(t, "/profiles", c.scenarioForm(t, "no-service-principal"))
	c.waitRun(t, resp.Header.Get("Location"))
	ctx := browser(t)
	browserSignIn(t, ctx, c, adminName)
	must(t, chromedp.Do(ctx, chromedp.Navigate(c.URL+"/profiles/1"),
		chromedp.Click(chromedp.CSS(`[data-testid="lang-de"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="lang-en"]`))), "switching to German")
	must(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`[data-testid="checklist"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="step-service-principal"]`))), "opening the checklist")
	artifact(t, ctx, "german-checklist.png")
	step, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`[data-testid="step-service-principal"]`)))
	for _, want := range []string{"Dienstprinzipal in Exchange mit der Objekt-ID der Unternehmensanwendung registriert", "mögliche Ursache", "Mögliche Ursache 1 von 2", "Unternehmensanwendungen", "a1000000-0000-4000-8000-000000000004"} {
		if !strings.Contains(step, want) {
			t.Errorf("checklist step lacks %q:\n%s", want, step)
		}
	}
	must(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`[data-testid="step-service-principal"] .finding a`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="diagnosis-title"]`))), "following the finding to the run")
	title, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`[data-testid="diagnosis-title"]`)))
	if title != "Exchange hat das Token abgelehnt (535 5.7.3)" {
		t.Errorf("diagnosis title: %q", title)
	}
	artifact(t, ctx, "german-run.png")
	must(t, chromedp.Do(ctx, chromedp.Navigate(c.URL+"/wizard"),
		chromedp.SetValue(chromedp.CSS("#name"), "Kaputt"), chromedp.SetValue(chromedp.CSS("#mailbox"), "kein-postfach"),
		chromedp.Click(chromedp.CSS(`[data-testid="save"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="error-mailbox"]`))), "submitting invalid input in German")
	msg, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`[data-testid="error-mailbox"]`)))
	if !strings.Contains(msg, "ist keine E-Mail-Adresse") {
		t.Errorf("validation error: %q", msg)
	}
	lang, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`))
	if lang != "de" {
		t.Errorf("html lang %q", lang)
	}
	artifact(t, ctx, "german-wizard.png")
}
