package exchange_test

import (
	"context"
	"testing"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/mailer/mailertest"
)

// mustFake starts a fake Exchange with the standard world and closes it when the test ends.
func mustFake(tb testing.TB) (*mailertest.Server, []mailertest.Scenario) {
	tb.Helper()
	srv, err := mailertest.NewServer()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(srv.Close)
	scenarios, err := srv.InstallStandardWorld()
	if err != nil {
		tb.Fatal(err)
	}
	return srv, scenarios
}

func mustScenario(tb testing.TB, all []mailertest.Scenario, name string) mailertest.Scenario {
	tb.Helper()
	sc, ok := mailertest.ScenarioByName(all, name)
	if !ok {
		tb.Fatalf("no scenario %q", name)
	}
	return sc
}

// runScenario runs a check for a scenario and returns the result and every event streamed.
func runScenario(tb testing.TB, srv *mailertest.Server, sc mailertest.Scenario) (*mailer.Result, []mailer.Event) {
	tb.Helper()
	req, err := sc.Request(srv)
	if err != nil {
		tb.Fatal(err)
	}
	var streamed []mailer.Event
	res := srv.Checker().Run(context.Background(), req, func(e mailer.Event) { streamed = append(streamed, e) })
	return res, streamed
}
