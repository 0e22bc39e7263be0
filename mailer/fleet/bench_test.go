package fleet_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/mailer/fleet"
	"github.com/smtpoauth/smtpoauth/mailer/mailertest"
)

// benchFleet is 1,000 connections of the working app over the given number of mailboxes (with
// 100, ten connections share each mailbox, as a help desk's devices share a customer's sending
// mailbox; with 1, Exchange's limit of 3 sessions bounds the whole fleet).
func benchFleet(b *testing.B, srv *mailertest.Server, scenarios []mailertest.Scenario, send bool, mailboxes int) []fleet.Item {
	sc, _ := mailertest.ScenarioByName(scenarios, "works")
	base, err := sc.Request(srv)
	if err != nil {
		b.Fatal(err)
	}
	for m := range mailboxes {
		srv.AddMailbox(mailertest.Mailbox{Address: fmt.Sprintf("device%03d@contoso.com", m), TenantID: mailertest.ContosoTenantID,
			FullAccess: []string{"a1000000-0000-4000-8000-000000000001"}})
	}
	items := make([]fleet.Item, 1000)
	for i := range items {
		req := base
		req.ProfileName = fmt.Sprintf("Customer %04d", i)
		req.Mailbox, req.ReuseToken = fmt.Sprintf("device%03d@contoso.com", i%mailboxes), true
		req.To = ""
		if send {
			req.To = "it@contoso.com"
		}
		items[i] = fleet.Item{Name: req.ProfileName, Request: req}
	}
	return items
}

// BenchmarkRunAll_1000Connections runs a fleet of 1,000 connections against the fake Exchange
// with 50 in flight (over 100 mailboxes, or all through one) and reports runs/s, token requests and the highest number of sessions any
// mailbox saw (Exchange allows 3).
//
//	go test -run '^$' -bench RunAll -benchtime 1x ./mailer/fleet
func BenchmarkRunAll_1000Connections(b *testing.B) {
	for _, tc := range []struct {
		name      string
		send      bool
		mailboxes int
	}{{"auth", false, 100}, {"send", true, 100}, {"send-one-mailbox", true, 1}} {
		b.Run(tc.name, func(b *testing.B) {
			for range b.N {
				srv, err := mailertest.NewServer()
				if err != nil {
					b.Fatal(err)
				}
				scenarios, err := srv.InstallStandardWorld()
				if err != nil {
					b.Fatal(err)
				}
				items := benchFleet(b, srv, scenarios, tc.send, tc.mailboxes)
				checker := srv.Checker()
				checker.Deadline, checker.ReplyTimeout = 2*time.Minute, time.Minute
				runner := fleet.New(checker, fleet.Options{})
				start := time.Now()
				sum := fleet.RunAll(context.Background(), runner, items, 50, func(int, fleet.Item, *mailer.Result) {})
				elapsed := time.Since(start)
				c := srv.Counters()
				srv.Close()
				if sum.Passed != len(items) {
					b.Fatalf("%d of %d passed: %v", sum.Passed, len(items), sum.ByDiagnosis)
				}
				b.ReportMetric(float64(len(items))/elapsed.Seconds(), "runs/s")
				b.ReportMetric(float64(c.TokenRequests), "token-requests")
				b.ReportMetric(float64(c.MaxPeakSessions()), "peak-sessions/mailbox")
				b.ReportMetric(float64(runner.Stats().Retries), "retries")
			}
		})
	}
}
