package fleet_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/mailer/fleet"
	"github.com/smtpoauth/smtpoauth/mailer/mailertest"
)

func startFake(t *testing.T) (*mailertest.Server, []mailertest.Scenario) {
	t.Helper()
	srv, err := mailertest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	scenarios, err := srv.InstallStandardWorld()
	if err != nil {
		t.Fatal(err)
	}
	return srv, scenarios
}

func scenarioRequest(t *testing.T, srv *mailertest.Server, all []mailertest.Scenario, name string) mailer.Request {
	t.Helper()
	sc, ok := mailertest.ScenarioByName(all, name)
	if !ok {
		t.Fatalf("no scenario %q", name)
	}
	req, err := sc.Request(srv)
	if err != nil {
		t.Fatal(err)
	}
	req.ReuseToken = true
	return req
}

// A fleet of 30 connections, all sending through billing@contoso.com, checked 30 at a time:
// the fake Exchange never sees more than three sessions on the mailbox, no message is refused
// for the sender thread limit, each connection gets its own verdict, and the app registration
// that works asks Entra ID for one token, not 24.
func TestFleet_SharedMailboxNeverExceedsThreeSessions(t *testing.T) {
	srv, scenarios := startFake(t)
	var items []fleet.Item
	for i := range 30 {
		name := "works"
		switch i % 10 {
		case 3:
			name = "wrong-secret"
		case 7:
			name = "missing-role"
		}
		items = append(items, fleet.Item{Name: name, Request: scenarioRequest(t, srv, scenarios, name)})
	}
	checker := srv.Checker()
	checker.Deadline = 2 * time.Minute
	runner := fleet.New(checker, fleet.Options{})
	got := map[string][]*mailer.Result{}
	sum := fleet.RunAll(context.Background(), runner, items, len(items), func(_ int, it fleet.Item, res *mailer.Result) {
		got[it.Name] = append(got[it.Name], res)
	})
	c := srv.Counters()
	if peak := c.PeakSessions["billing@contoso.com"]; peak > mailertest.SenderThreadLimit || peak == 0 || c.ThreadLimited != 0 {
		t.Fatalf("the fake saw %d sessions at once on the shared mailbox and refused %d messages, want at most 3 and none", peak, c.ThreadLimited)
	}
	if sum.Total != 30 || sum.Passed != 24 || sum.ByDiagnosis[mailer.CodeTokenSecretInvalid] != 3 || sum.ByDiagnosis[mailer.CodeAuthUnsuccessfulNoRoles] != 3 {
		t.Fatalf("got summary %+v", sum)
	}
	if len(srv.Messages()) != 24 {
		t.Fatalf("%d messages arrived, want 24", len(srv.Messages()))
	}
	// One token for the working app, one for the app without the role, and three refused
	// requests with the wrong secret (a refusal is never reused).
	if c.TokenRequests != 5 {
		t.Fatalf("the fake served %d token requests, want 5", c.TokenRequests)
	}
	reused := 0
	for _, res := range got["works"] {
		if res.TokenReused {
			reused++
		}
	}
	if reused != 23 {
		t.Fatalf("%d of 24 working runs reused the token, want 23", reused)
	}
}

// Another client (the customer's scanner, say) holds three sessions on the mailbox, so Exchange
// answers the fleet's message with 432 4.3.2: the run waits, tries again and passes, and the
// transcript shows both tries.
func TestFleet_ThreadLimitIsRetriedAndPasses(t *testing.T) {
	srv, scenarios := startFake(t)
	req := scenarioRequest(t, srv, scenarios, "works")

	var (
		mu      sync.Mutex
		held    int
		three   = make(chan struct{})
		release = make(chan struct{})
	)
	srv.SetFaults(mailertest.Faults{Hold: func(cmd string) {
		if cmd != "MAIL" {
			return
		}
		mu.Lock()
		held++
		n := held
		mu.Unlock()
		if n > 3 {
			return
		}
		if n == 3 {
			close(three)
		}
		<-release
	}})
	others := srv.Checker()
	others.ReplyTimeout, others.Deadline = 2*time.Minute, 2*time.Minute
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			plain := req
			plain.ReuseToken = false
			if res := others.Run(context.Background(), plain, nil); !res.OK {
				t.Errorf("another client's session failed: %s", res.Error)
			}
		})
	}
	<-three

	var waited []time.Duration
	runner := fleet.New(srv.Checker(), fleet.Options{Sleep: func(ctx context.Context, d time.Duration) error {
		waited = append(waited, d)
		// While the fleet waits, the other client finishes and its sessions end.
		close(release)
		wg.Wait()
		for deadline := time.Now().Add(time.Minute); srv.Counters().ActiveSessions["billing@contoso.com"] > 0; time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the other client's sessions never ended")
			}
		}
		return nil
	}})
	res := runner.Run(context.Background(), req, nil)
	if !res.OK || len(waited) != 1 || srv.Counters().ThreadLimited != 1 {
		t.Fatalf("got ok=%v (%s) after %d waits with %d refusals, want a pass after one 432 and one wait", res.OK, res.Error, len(waited), srv.Counters().ThreadLimited)
	}
	text := mailer.RenderText(res.Events)
	if !strings.Contains(text, "S: 432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded") || !strings.Contains(text, "trying again in") ||
		!strings.Contains(text, "S: 250 2.0.0 OK") {
		t.Fatalf("the transcript does not show the refusal, the retry and the pass:\n%s", text)
	}
	for _, tok := range srv.IssuedTokens() {
		if strings.Contains(text, tok) {
			t.Fatal("the transcript holds an access token")
		}
	}
}
