package handlers_test

import (
	"bufio"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer/mailertest"
)

func TestWizardToken_ClaimsAndPowerShell(t *testing.T) {
	c := newConsole(t)
	f := c.scenarioForm(t, "works")
	resp, body := c.post(t, "/wizard/token", f, "HX-Request", "true")
	d := doc(t, body)
	if resp.StatusCode != 200 || testid(d, "token-ok").Length() != 1 {
		t.Fatalf("got %d:\n%s", resp.StatusCode, body)
	}
	if !testid(d, "check-roles").HasClass("ok") || !strings.Contains(testid(d, "check-roles").Text(), "SMTP.SendAsApp") {
		t.Fatalf("roles verdict: %s", testid(d, "claims").Text())
	}
	if !strings.Contains(testid(d, "powershell").Text(), "-ObjectId 'a1000000-0000-4000-8000-000000000001'") {
		t.Fatal("PowerShell lacks the token's oid")
	}
	if strings.Contains(body, "<html") {
		t.Fatal("htmx got a whole page instead of a fragment")
	}
	if n, _ := c.DB.CountProfiles(t.Context()); n != 0 {
		t.Fatal("the token check saved something")
	}

	_, body = c.post(t, "/wizard/token", c.scenarioForm(t, "missing-role"), "HX-Request", "true")
	// No roles is what Exchange RBAC issues: a note, not a failure, and the check goes on.
	if d := doc(t, body); !testid(d, "check-roles").HasClass("note") || testid(d, "check-roles").HasClass("bad") {
		t.Fatalf("token without roles not shown as a note: %s", body)
	}
	_, body = c.post(t, "/wizard/token", c.scenarioForm(t, "wrong-secret"), "HX-Request", "true")
	if got := testid(doc(t, body), "diagnosis-code").Text(); got != "TOKEN_SECRET_INVALID" {
		t.Fatalf("wrong secret: got %q", got)
	}
	// Without JavaScript the whole wizard comes back, with the check in it and no secret.
	_, body = c.post(t, "/wizard/token", f)
	d = doc(t, body)
	if testid(d, "profile-form").Length() != 1 || testid(d, "token-ok").Length() != 1 || strings.Contains(body, f.Get("secret")) {
		t.Fatal("no-JS token check page is wrong")
	}
}

func TestRun_FailureShowsDiagnosisAndDownloads(t *testing.T) {
	c := newConsole(t)
	resp, _ := c.post(t, "/profiles", c.scenarioForm(t, "wrong-object-id"))
	runPath := resp.Header.Get("Location")
	d := c.waitRun(t, runPath)
	if got := testid(d, "diagnosis-code").Text(); got != "AUTH_UNSUCCESSFUL" {
		t.Fatalf("diagnosis: %q", got)
	}
	if testid(d, "remediation").Find("li").Length() < 3 || d.Find("button[data-copy]").Length() == 0 {
		t.Fatal("remediation steps or copy buttons missing")
	}
	if !testid(d, "phase-auth").HasClass("failed") || !testid(d, "phase-tls").HasClass("done") {
		t.Fatal("progress does not show the failed auth step")
	}
	events := testid(d, "event")
	if events.Length() < 20 {
		t.Fatalf("only %d transcript lines", events.Length())
	}
	if !strings.Contains(events.Text(), "S:") || !strings.Contains(events.Text(), "C:") {
		t.Fatal("transcript lines lack their text markers")
	}
	_, txt := c.get(t, runPath+"/transcript.txt")
	if !strings.Contains(txt, "C: AUTH XOAUTH2") || !strings.Contains(txt, "535 5.7.3") {
		t.Fatalf("transcript download:\n%s", txt)
	}
	resp2, ev := c.get(t, runPath+"/evidence.txt")
	for _, want := range []string{"AUTH_UNSUCCESSFUL", "New-ServicePrincipal", "oid:", "a1000000-0000-4000-8000-000000000005", "Transcript", "Connection settings (no secrets)"} {
		if !strings.Contains(ev, want) {
			t.Errorf("evidence pack lacks %q", want)
		}
	}
	if !strings.Contains(resp2.Header.Get("Content-Disposition"), "attachment") {
		t.Error("evidence pack is not a download")
	}
}

func TestRunEvents_FinishedRunReplaysThenCloses(t *testing.T) {
	c := newConsole(t)
	resp, _ := c.post(t, "/profiles", c.scenarioForm(t, "works"))
	runPath := resp.Header.Get("Location")
	c.waitRun(t, runPath)
	resp, body := c.get(t, runPath+"/events?after=3")
	if resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("content type %q", resp.Header.Get("Content-Type"))
	}
	if strings.Contains(body, "id: 3\n") || !strings.Contains(body, "id: 4\n") {
		t.Fatal("after=3 did not skip the first three events")
	}
	if !strings.Contains(body, "event: verdict\n") || !strings.HasSuffix(body, "event: done\ndata: done\n\n") {
		t.Fatalf("stream does not end with verdict and done:\n%s", body[max(0, len(body)-400):])
	}
}

func TestStartRun_RecipientValidated(t *testing.T) {
	c := newConsole(t)
	f := c.scenarioForm(t, "works")
	f.Set("mode", "none")
	c.post(t, "/profiles", f)
	// A malformed recipient comes back at the field, on the connection's page.
	resp, body := c.post(t, "/profiles/1/runs", url.Values{"mode": {"send"}, "to": {"x@y.z\r\nDATA"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(testid(doc(t, body), "error-to").Text(), "line breaks") {
		t.Fatalf("got %d, want 422 with the reason at the recipient field", resp.StatusCode)
	}
	resp, _ = c.post(t, "/profiles/1/runs", url.Values{"mode": {"send"}, "to": {"it@contoso.com"}})
	d := c.waitRun(t, resp.Header.Get("Location"))
	if !strings.Contains(testid(d, "verdict-summary").Text(), "sent a test message to it@contoso.com") {
		t.Fatalf("verdict: %s", testid(d, "verdict-summary").Text())
	}
	if len(c.Fake.Messages()) != 1 {
		t.Fatal("no message reached the fake")
	}
}

// Two people watching the same run both see every line, live, and the verdict.
func TestRunEvents_TwoWatchersSeeEveryLine(t *testing.T) {
	c := newConsole(t)
	release := make(chan struct{})
	c.Fake.SetFaults(mailertest.Faults{Hold: func(cmd string) {
		if cmd == "AUTH" {
			<-release
		}
	}})
	f := c.scenarioForm(t, "works")
	resp, _ := c.post(t, "/profiles", f)
	runPath := resp.Header.Get("Location")
	type stream struct {
		ids     []string
		verdict bool
	}
	read := func(out chan<- stream) {
		r, err := c.client.Get(c.URL + runPath + "/events")
		if err != nil {
			out <- stream{}
			return
		}
		defer r.Body.Close()
		var s stream
		sc := bufio.NewScanner(r.Body)
		for sc.Scan() {
			line := sc.Text()
			if id, ok := strings.CutPrefix(line, "id: "); ok {
				s.ids = append(s.ids, id)
			}
			if line == "event: verdict" {
				s.verdict = true
			}
		}
		out <- s
	}
	a, b := make(chan stream, 1), make(chan stream, 1)
	go read(a)
	go read(b)
	time.Sleep(200 * time.Millisecond) // both are attached while AUTH is held
	close(release)
	sa, sb := <-a, <-b
	run, _ := c.DB.Run(t.Context(), strings.TrimPrefix(runPath, "/runs/"))
	for name, s := range map[string]stream{"first": sa, "second": sb} {
		if len(s.ids) != len(run.Events) || !s.verdict {
			t.Errorf("%s watcher saw %d of %d lines, verdict=%v", name, len(s.ids), len(run.Events), s.verdict)
		}
	}
}

// Throttling shows as temporary, with the wait Microsoft asked for, in both languages.
func TestRun_ThrottledShowsTheWait(t *testing.T) {
	c := newConsole(t)
	c.Fake.SetFaults(mailertest.Faults{TokenHTTPStatus: http.StatusTooManyRequests, TokenRetryAfter: 30})
	resp, _ := c.post(t, "/profiles", c.scenarioForm(t, "works"))
	runPath := resp.Header.Get("Location")
	d := c.waitRun(t, runPath)
	if got := testid(d, "diagnosis-code").Text(); got != "TOKEN_THROTTLED" {
		t.Fatalf("diagnosis: %q", got)
	}
	if got := testid(d, "diagnosis-retry-after").Text(); !strings.Contains(got, "30 seconds") {
		t.Fatalf("got wait %q, want 30 seconds", got)
	}
	c.post(t, "/lang", url.Values{"lang": {"de"}})
	_, body := c.get(t, runPath)
	if got := testid(doc(t, body), "diagnosis-retry-after").Text(); !strings.Contains(got, "30 Sekunden") {
		t.Fatalf("got German wait %q", got)
	}
}
