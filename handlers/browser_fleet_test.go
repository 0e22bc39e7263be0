package handlers_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/smtpoauth/smtpoauth/store"
)

// waitFor polls a JavaScript condition until it holds; on timeout it fails with what the page
// showed. A poll that a navigation interrupts (its page is gone) is started again on the new page.
func waitFor(t *testing.T, ctx context.Context, cond, show, what string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(3*time.Second)))
		if err == nil {
			return
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			got, _ := chromedp.Run(ctx, chromedp.Evaluate[string](show))
			t.Fatalf("%s: page shows %s (%v)", what, got, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// rowsJS lists the dashboard's rows and the counts, for waiting and for failure messages.
const rowsJS = `JSON.stringify({rows: [...document.querySelectorAll('[data-testid="profile-link"]')].map(a => a.textContent.trim()),
	all: (document.querySelector('[data-testid="count-all-n"]') || {}).textContent,
	failing: (document.querySelector('[data-testid="count-failing-n"]') || {}).textContent,
	search: location.search})`

// choose picks an option of a select as a person does, firing the change event htmx listens for.
func choose(id, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](`(() => { const s = document.getElementById('` + id + `'); s.value = '` + value + `';
		s.dispatchEvent(new Event('change', {bubbles: true})); })()`)
}

// Choosing a tag and a state narrows the list and the counts in place, keeps the address
// shareable, and a count links to its state; a connection imported without a secret says so.
func TestBrowser_DashboardFiltersByTagAndState(t *testing.T) {
	c := newConsole(t)
	t0 := time.Now().Add(-time.Hour)
	mustFleetProfile(t, c.DB, fleetInput("Alpha", "Contoso"), store.OutcomePassed, t0)
	mustFleetProfile(t, c.DB, fleetInput("Bravo", "Contoso"), store.OutcomeFailed, t0)
	mustFleetProfile(t, c.DB, fleetInput("Charlie", "Fabrikam"), store.OutcomeFailed, t0)
	rows, err := store.ReadImportCSVString("name,tenant,client_id,mailbox,tags\nDelta,contoso.onmicrosoft.com,11111111-aaaa-4bbb-8ccc-000000000001,d@contoso.com,Contoso\n")
	must(t, err, "reading the import")
	_, err = c.DB.ImportProfiles(t.Context(), rows, "test", store.ImportOptions{SecretMissing: true})
	must(t, err, "importing Delta without a secret")

	ctx := browser(t)
	browserSignIn(t, ctx, c, adminName)
	must(t, chromedp.Do(ctx, chromedp.Navigate(c.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="status-counts"]`))), "opening the dashboard")
	waitFor(t, ctx, `document.querySelectorAll('[data-testid="profile-row"]').length === 4 &&
		document.querySelectorAll('[data-testid="secret-missing"]').length === 1`, rowsJS, "all four, Delta marked secret missing")

	must(t, chromedp.Do(ctx, choose("tag", "Contoso")), "choosing the tag")
	waitFor(t, ctx, rowsJS+` === JSON.stringify({rows: ["Alpha", "Bravo", "Delta"], all: "3", failing: "1", search: "?q=&tag=Contoso&status=&sort="})`,
		rowsJS, "the Contoso connections with their counts")

	must(t, chromedp.Do(ctx, choose("status", "failing")), "choosing the state")
	waitFor(t, ctx, `JSON.parse(`+rowsJS+`).rows.join() === "Bravo" && location.search.includes("status=failing")`, rowsJS, "the failing Contoso connection")

	// The counts are links: "Passing" under the tag, by a full page load.
	must(t, chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`[data-testid="count-passing"]`))), "clicking the passing count")
	waitFor(t, ctx, `JSON.parse(`+rowsJS+`).rows.join() === "Alpha" && location.search.includes("status=passing") && location.search.includes("tag=Contoso")`,
		rowsJS, "the passing Contoso connection")
}

// An admin uploads a CSV: a bad file lists its problems by line and saves nothing; a good one
// lands on the dashboard's "secret missing" list.
func TestBrowser_ImportCSV(t *testing.T) {
	c := newConsole(t)
	dir := t.TempDir()
	bad, good := filepath.Join(dir, "bad.csv"), filepath.Join(dir, "good.csv")
	must(t, os.WriteFile(bad, []byte(webImport+"Bad,not a tenant!,x,y,\n"), 0o600), "writing bad.csv")
	must(t, os.WriteFile(good, []byte(webImport), 0o600), "writing good.csv")
	ctx := browser(t)
	browserSignIn(t, ctx, c, adminName)
	const problemsJS = `JSON.stringify([...document.querySelectorAll('[data-testid="import-problem"] td:first-child')].map(td => td.textContent.trim()))`

	must(t, chromedp.Do(ctx, chromedp.Navigate(c.URL+"/"), chromedp.Click(chromedp.CSS(`[data-testid="import-link"]`))), "following the import link")
	waitFor(t, ctx, `!!document.querySelector('[data-testid="import-file"]')`, `location.pathname`, "the import page")
	must(t, chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS(`[data-testid="import-file"]`), []string{bad}),
		chromedp.Click(chromedp.CSS(`[data-testid="import-submit"]`))), "uploading bad.csv")
	waitFor(t, ctx, problemsJS+` === JSON.stringify(["4", "4", "4"])`, problemsJS, "three problems on line 4")
	if n, _ := c.DB.CountProfiles(t.Context()); n != 0 {
		t.Fatalf("got %d connections after a refused file, want none", n)
	}

	must(t, chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.CSS(`[data-testid="import-file"]`), []string{good}),
		chromedp.Click(chromedp.CSS(`[data-testid="import-submit"]`))), "uploading good.csv")
	waitFor(t, ctx, `location.search === "?status=missing" && document.querySelectorAll('[data-testid="secret-missing"]').length === 2`,
		rowsJS, "both imported connections marked secret missing")
}
