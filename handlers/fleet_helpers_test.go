package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/smtpoauth/smtpoauth/handlers"
	"github.com/smtpoauth/smtpoauth/mailer/mailertest"
	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/store/queue"
)

// newFleetConsole is a console with a running job queue sharing its store's writer, as serve wires it.
func newFleetConsole(tb testing.TB, tweaks ...func(*handlers.Config)) (*console, *queue.Queue) {
	tb.Helper()
	return newFleetConsoleWorkers(tb, 0, tweaks...)
}

// newFleetConsoleWorkers is newFleetConsole with workers jobs at once (0: the default).
func newFleetConsoleWorkers(tb testing.TB, workers int, tweaks ...func(*handlers.Config)) (*console, *queue.Queue) {
	tb.Helper()
	var q *queue.Queue
	c := newConsole(tb, append([]func(*handlers.Config){func(cfg *handlers.Config) {
		var err error
		if q, err = queue.New(queue.Config{Path: cfg.DB.Path, DB: cfg.DB.Writer(), Log: cfg.Log, Workers: workers, PollInterval: 20 * time.Millisecond}); err != nil {
			tb.Fatal(err)
		}
		cfg.Queue = q
	}}, tweaks...)...)
	if err := q.Start(context.Background()); err != nil {
		tb.Fatal(err)
	}
	// Registered after the console's own cleanup, so it runs first: jobs end before the database closes.
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		q.Stop(ctx)
	})
	return c, q
}

// mustScenarioProfile saves a connection for a scenario of the fake, named after it, with tags.
func mustScenarioProfile(tb testing.TB, c *console, name string, tags ...string) *store.Profile {
	tb.Helper()
	sc, ok := mailertest.ScenarioByName(c.Scenarios, name)
	if !ok {
		tb.Fatalf("no scenario %s", name)
	}
	in := store.ProfileInput{Name: name, Cloud: "global", Tenant: sc.Tenant, ClientID: sc.ClientID, Mailbox: sc.Mailbox,
		From: sc.From, SMTPHost: c.Fake.SMTPAddr, Authority: c.Fake.URL, AuthModel: string(sc.AuthModel), Tags: tags}
	if sc.CertPEM != nil {
		in.CredentialKind, in.CertificatePEM, in.PrivateKeyPEM = store.KindCertificate, string(sc.CertPEM), string(sc.KeyPEM)
	} else {
		in.CredentialKind, in.Secret = store.KindSecret, sc.Secret
	}
	p, err := c.DB.CreateProfile(context.Background(), in, "test")
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// startFleet posts a fleet form as cl and returns the fleet run's page path.
func (c *console) startFleet(tb testing.TB, cl *http.Client, form url.Values) string {
	tb.Helper()
	resp, body := c.postAs(tb, cl, "/fleet", form)
	if resp.StatusCode != http.StatusSeeOther {
		tb.Fatalf("starting a fleet run: got %d, want 303: %s", resp.StatusCode, body)
	}
	loc := resp.Header.Get("Location")
	if !strings.HasPrefix(loc, "/fleet/") {
		tb.Fatalf("got redirect %q, want a fleet run page", loc)
	}
	return loc
}

// waitFleet polls a fleet run's page until done says it is what the test waits for.
func (c *console) waitFleet(tb testing.TB, path string, done func(d *goquery.Document) bool) *goquery.Document {
	tb.Helper()
	deadline := time.Now().Add(90 * time.Second)
	var d *goquery.Document
	for time.Now().Before(deadline) {
		_, body := c.get(tb, path)
		d = doc(tb, body)
		if done(d) {
			return d
		}
		time.Sleep(50 * time.Millisecond)
	}
	html, _ := d.Html()
	tb.Fatalf("fleet run %s never reached the state waited for; last page:\n%s", path, html)
	return nil
}

// fleetFinished: the page stopped polling.
func fleetFinished(d *goquery.Document) bool {
	v, _ := testid(d, "fleet-poll").Attr("data-finished")
	return v == "true"
}

func count(d *goquery.Document, state string) string {
	return strings.TrimSpace(testid(d, "count-"+state).Text())
}
