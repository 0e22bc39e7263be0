package mailertest_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/mailer/mailertest"
)

// Like Exchange Online, the fake lets three sessions submit for one mailbox at once and answers
// the fourth's message with 432 4.3.2 sender thread limit exceeded; it counts what it served.
func TestSMTP_FourthSessionOnAMailboxGetsThreadLimit(t *testing.T) {
	srv, err := mailertest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	scenarios, err := srv.InstallStandardWorld()
	if err != nil {
		t.Fatal(err)
	}
	sc, _ := mailertest.ScenarioByName(scenarios, "works")
	req, err := sc.Request(srv)
	if err != nil {
		t.Fatal(err)
	}
	// Hold every MAIL FROM until four sessions have been authenticated on the mailbox at once
	// (the fourth sees it at its own MAIL FROM and lets the others go).
	four := make(chan struct{})
	var once sync.Once
	srv.SetFaults(mailertest.Faults{Hold: func(cmd string) {
		if cmd != "MAIL" {
			return
		}
		if srv.Counters().ActiveSessions["billing@contoso.com"] >= 4 {
			once.Do(func() { close(four) })
		}
		select {
		case <-four:
		case <-time.After(time.Minute):
		}
	}})
	checker := srv.Checker()
	checker.ReplyTimeout, checker.Deadline = 2*time.Minute, 2*time.Minute
	results := make([]*mailer.Result, 4)
	var wg sync.WaitGroup
	for i := range results {
		wg.Go(func() { results[i] = checker.Run(context.Background(), req, nil) })
	}
	wg.Wait()
	passed, limited := 0, 0
	for _, res := range results {
		switch {
		case res.OK:
			passed++
		case res.Diagnosis != nil && res.Diagnosis.Code == mailer.CodeThreadLimit && res.Reply != nil && res.Reply.Code == 432 && res.Reply.Enhanced == "4.3.2":
			limited++
		default:
			t.Errorf("unexpected result: %s %+v", res.Error, res.Diagnosis)
		}
	}
	c := srv.Counters()
	if passed != 3 || limited != 1 {
		t.Fatalf("got %d passed and %d refused with 432 4.3.2, want 3 and 1", passed, limited)
	}
	if c.PeakSessions["billing@contoso.com"] != 4 || c.ThreadLimited != 1 || c.TokenRequests != 4 || len(srv.Messages()) != 3 {
		t.Fatalf("got counters %+v and %d messages, want a peak of 4, one refusal, 4 token requests, 3 messages", c, len(srv.Messages()))
	}
}
