package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/smtpoauth/smtpoauth/handlers"
	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/store"
)

// TestFleetRun_Scenarios: "Test all" by the help desk tests every connection through the fake
// Exchange; the page counts passes, failures and failures by diagnosis, and every row links to
// a run saved like "Test now"'s.
func TestFleetRun_Scenarios(t *testing.T) {
	c, _ := newFleetConsole(t)
	passing := []string{"works", "rbac-works"}
	failing := map[string]string{"wrong-secret": mailer.CodeTokenSecretInvalid, "expired-secret": mailer.CodeTokenSecretExpired,
		"smtp-auth-disabled": mailer.CodeAuthDisabledTenant, "no-service-principal": mailer.CodeAuthUnsuccessful}
	for _, n := range passing {
		mustScenarioProfile(t, c, n)
	}
	for n := range failing {
		mustScenarioProfile(t, c, n)
	}
	path := c.startFleet(t, c.helpdesk, url.Values{"selection": {"all"}})
	d := c.waitFleet(t, path, fleetFinished)
	if got := count(d, "passed"); got != "2" {
		t.Errorf("passed: got %s, want 2", got)
	}
	if got := count(d, "failed"); got != "4" {
		t.Errorf("failed: got %s, want 4", got)
	}
	if got := count(d, "queued") + "/" + count(d, "running"); got != "0/0" {
		t.Errorf("queued/running: got %s, want 0/0", got)
	}
	codes := map[string]int{}
	testid(d, "fleet-diagnoses").Find("li").Each(func(_ int, li *goquery.Selection) {
		code, _ := li.Attr("data-code")
		codes[code]++
	})
	for n, code := range failing {
		if codes[code] == 0 {
			t.Errorf("diagnosis %s of %s not counted; got %v", code, n, codes)
		}
	}
	rows := testid(d, "fleet-row")
	if rows.Length() != 6 {
		t.Fatalf("got %d rows, want 6", rows.Length())
	}
	rows.Each(func(_ int, row *goquery.Selection) {
		link, ok := row.Find(`[data-testid="fleet-run-link"]`).Attr("href")
		if !ok {
			t.Errorf("row %q has no link to its run", row.Text())
			return
		}
		rd := c.waitRun(t, link)
		state, _ := row.Attr("data-state")
		name := strings.TrimSpace(row.Find("td").First().Text())
		_, shouldFail := failing[name]
		if (state == "failed") != shouldFail {
			t.Errorf("%s: got state %s", name, state)
		}
		if testid(rd, "verdict-summary").Length() == 0 {
			t.Errorf("run page of %s has no verdict", name)
		}
	})
	// Saved like "Test now": in the runs list, started by the help desk user, and each connection's status updated.
	for _, n := range passing {
		p, err := c.DB.ProfileByName(t.Context(), n)
		if err != nil {
			t.Fatal(err)
		}
		if p.Status.Outcome != store.OutcomePassed {
			t.Errorf("%s: status %q, want passed", n, p.Status.Outcome)
		}
		r, err := c.DB.Run(t.Context(), p.Status.RunID)
		if err != nil {
			t.Fatal(err)
		}
		if r.StartedBy != helpdeskName {
			t.Errorf("%s: run started by %q, want %q", n, r.StartedBy, helpdeskName)
		}
	}
	entries, err := c.DB.AuditLog(t.Context(), store.AuditFilter{Action: "fleet.started"})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Actor != helpdeskName {
		t.Errorf("got %d fleet.started audit entries (%v), want one by %s", len(entries), entries, helpdeskName)
	}
}

// TestFleetRun_Selections: failing, tag and selected choose their connections; bad input is refused.
func TestFleetRun_Selections(t *testing.T) {
	c, _ := newFleetConsole(t)
	works := mustScenarioProfile(t, c, "works", "Contoso")
	bad := mustScenarioProfile(t, c, "wrong-secret")
	mustScenarioProfile(t, c, "rbac-works")
	c.waitFleet(t, c.startFleet(t, c.client, url.Values{"selection": {"all"}}), fleetFinished)

	t.Run("Failing", func(t *testing.T) {
		d := c.waitFleet(t, c.startFleet(t, c.client, url.Values{"selection": {"failing"}}), fleetFinished)
		if n := testid(d, "fleet-row").Length(); n != 1 || !strings.Contains(testid(d, "fleet-row").Text(), bad.Name) {
			t.Fatalf("got %d rows (%q), want only %s", n, testid(d, "fleet-row").Text(), bad.Name)
		}
	})
	t.Run("Selected", func(t *testing.T) {
		d := c.waitFleet(t, c.startFleet(t, c.helpdesk, url.Values{"selection": {"selected"}, "id": {itoa(works.ID)}}), fleetFinished)
		if n := testid(d, "fleet-row").Length(); n != 1 || count(d, "passed") != "1" {
			t.Fatalf("got %d rows, %s passed; want the one selected, passed", n, count(d, "passed"))
		}
	})
	t.Run("Tag", func(t *testing.T) {
		d := c.waitFleet(t, c.startFleet(t, c.client, url.Values{"selection": {"tag"}, "tag": {"contoso"}}), fleetFinished)
		if n := testid(d, "fleet-row").Length(); n != 1 {
			t.Fatalf("got %d rows, want the one tagged", n)
		}
	})
	t.Run("ErrBadInput", func(t *testing.T) {
		for _, form := range []url.Values{{"selection": {"everything"}}, {"selection": {"tag"}}, {"selection": {"selected"}},
			{"selection": {"selected"}, "id": {"x"}}, {"selection": {"tag"}, "tag": {"nobody-has-this"}}} {
			before, _ := c.DB.FleetRuns(t.Context(), 100)
			resp, body := c.post(t, "/fleet", form)
			if resp.StatusCode < 400 || resp.StatusCode >= 500 {
				t.Errorf("%v: got %d, want a 4xx refusal", form, resp.StatusCode)
			}
			if !strings.Contains(body, "No fleet run started") {
				t.Errorf("%v: the page does not say nothing was started", form)
			}
			after, _ := c.DB.FleetRuns(t.Context(), 100)
			if len(after) != len(before) {
				t.Errorf("%v: a fleet run was recorded", form)
			}
		}
	})
}

// gateChecker holds every check until released and counts the checks per connection.
type gateChecker struct {
	mailer.Checker
	release chan struct{}
	started chan string
	mu      sync.Mutex
	runs    map[string]int
	total   atomic.Int64
}

func newGate(inner mailer.Checker) *gateChecker {
	return &gateChecker{Checker: inner, release: make(chan struct{}), started: make(chan string, 100), runs: map[string]int{}}
}

func (g *gateChecker) Run(ctx context.Context, req mailer.Request, onEvent func(mailer.Event)) *mailer.Result {
	g.mu.Lock()
	g.runs[req.ProfileName]++
	g.mu.Unlock()
	g.total.Add(1)
	g.started <- req.ProfileName
	select {
	case <-g.release:
	case <-ctx.Done():
	}
	return g.Checker.Run(ctx, req, onEvent)
}

// TestFleetRun_Cancel: cancelling stops the checks not yet begun; the running one finishes and
// is saved; nothing runs for the cancelled rows.
func TestFleetRun_Cancel(t *testing.T) {
	var gate *gateChecker
	c, _ := newFleetConsoleWorkers(t, 1, func(cfg *handlers.Config) {
		gate = newGate(cfg.Checker)
		cfg.FleetChecker = gate
	})
	for _, n := range []string{"works", "rbac-works", "wrong-secret", "expired-secret"} {
		mustScenarioProfile(t, c, n)
	}
	path := c.startFleet(t, c.helpdesk, url.Values{"selection": {"all"}})
	<-gate.started // one check holds the only worker
	// Every row is listed while its check waits, not only the rows that changed.
	_, body := c.getAs(t, c.helpdesk, path)
	if d := doc(t, body); testid(d, "fleet-row").Length() != 4 || d.Find(`[data-testid="fleet-row"][data-state="queued"]`).Length() < 3 {
		t.Fatalf("got %d rows (%d queued) while the checks wait, want 4 (at least 3 queued)", testid(d, "fleet-row").Length(),
			d.Find(`[data-testid="fleet-row"][data-state="queued"]`).Length())
	}
	resp, _ := c.postAs(t, c.helpdesk, path+"/cancel", nil)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("cancel: got %d, want 303", resp.StatusCode)
	}
	close(gate.release)
	d := c.waitFleet(t, path, fleetFinished)
	if got := count(d, "cancelled"); got != "3" {
		t.Errorf("cancelled: got %s, want 3", got)
	}
	if testid(d, "fleet-cancelled").Length() == 0 || testid(d, "fleet-cancel").Length() != 0 {
		t.Error("the page does not say the run was cancelled, or still offers to cancel it")
	}
	done := 0
	testid(d, "fleet-row").Each(func(_ int, row *goquery.Selection) {
		state, _ := row.Attr("data-state")
		_, linked := row.Find(`[data-testid="fleet-run-link"]`).Attr("href")
		if state == "passed" || state == "failed" {
			done++
			if !linked {
				t.Errorf("finished row %q has no run link", row.Text())
			}
		} else if linked {
			t.Errorf("cancelled row %q links to a run", row.Text())
		}
	})
	if done != 1 || gate.total.Load() != 1 {
		t.Errorf("got %d finished rows and %d checks, want 1 and 1", done, gate.total.Load())
	}
}

// TestFleetRun_NoDuplicateJobs: two fleet runs asking for the same connections while their
// checks wait share one check per connection, and both show its outcome.
func TestFleetRun_NoDuplicateJobs(t *testing.T) {
	var gate *gateChecker
	c, _ := newFleetConsoleWorkers(t, 1, func(cfg *handlers.Config) {
		gate = newGate(cfg.Checker)
		cfg.FleetChecker = gate
	})
	names := []string{"works", "rbac-works", "wrong-secret"}
	for _, n := range names {
		mustScenarioProfile(t, c, n)
	}
	first := c.startFleet(t, c.client, url.Values{"selection": {"all"}})
	<-gate.started
	second := c.startFleet(t, c.helpdesk, url.Values{"selection": {"all"}})
	close(gate.release)
	for _, path := range []string{first, second} {
		d := c.waitFleet(t, path, fleetFinished)
		if got := count(d, "passed") + "/" + count(d, "failed"); got != "2/1" {
			t.Errorf("%s: passed/failed got %s, want 2/1", path, got)
		}
	}
	gate.mu.Lock()
	defer gate.mu.Unlock()
	for _, n := range names {
		if gate.runs[n] != 1 {
			t.Errorf("%s checked %d times, want once", n, gate.runs[n])
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
