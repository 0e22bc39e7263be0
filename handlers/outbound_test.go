package handlers_test

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/mailer/exchange"
	"github.com/smtpoauth/smtpoauth/store"
)

// netRecorder stands in for the network: loopback dials (the fake Exchange) go through, every
// other dial and every DNS lookup is recorded and fails, so no test traffic leaves the machine.
type netRecorder struct {
	mu       sync.Mutex
	dials    []string
	lookups  []string
	resolves map[string][]netip.Addr
}

func (n *netRecorder) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	if ap, err := netip.ParseAddrPort(addr); err == nil && ap.Addr().IsLoopback() {
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	n.dials = append(n.dials, addr)
	return nil, errors.New("test: no traffic beyond loopback")
}

func (n *netRecorder) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.lookups = append(n.lookups, host)
	if a, ok := n.resolves[host]; ok {
		return a, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}

// record makes the console's checker use the recorder for every dial and lookup.
func (n *netRecorder) record(c *console) {
	c.Handlers.Checker.(*exchange.Checker).Dial = n.dial
	c.Handlers.Checker.(*exchange.Checker).Resolver = n
}

func (n *netRecorder) nothingLeft(tb testing.TB) {
	tb.Helper()
	n.mu.Lock()
	defer n.mu.Unlock()
	if len(n.dials) > 0 || len(n.lookups) > 0 {
		tb.Fatalf("got dials %q and lookups %q, want none", n.dials, n.lookups)
	}
}

// The wizard's "fetch a token" with a typed authority that is not allowed: refused at the
// field, nothing resolved or dialled, so the client secret never leaves.
func TestWizardToken_AuthorityNotAllowedRefusedBeforeAnyConnection(t *testing.T) {
	for _, authority := range []string{"https://evil.example.net", "https://10.9.9.9:22", "https://login.microsoftonline.com:8443"} {
		t.Run(authority, func(t *testing.T) {
			c := newConsole(t)
			var rec netRecorder
			rec.record(c)
			f := c.scenarioForm(t, "works")
			f.Set("authority", authority)
			_, body := c.post(t, "/wizard/token", f, "HX-Request", "true")
			rec.nothingLeft(t)
			errs := testid(doc(t, body), "token-errors").Text()
			host := strings.TrimPrefix(authority, "https://")
			if !strings.Contains(errs, host) || !strings.Contains(errs, "--allowed-hosts") {
				t.Fatalf("got %q, want a refusal naming %s", errs, host)
			}
			if strings.Contains(body, f.Get("secret")) {
				t.Fatal("the page shows the secret")
			}
		})
	}
}

// A profile stored before the policy existed (inserted straight into the store) is refused by
// the engine when the help desk presses "Test now": a diagnosis naming the endpoint, no dial.
func TestTestNow_StoredBadOverrideRefusedByEngine(t *testing.T) {
	cases := []struct {
		field, value, want string
		stage              mailer.Stage
	}{
		{"smtp_host", "10.9.9.9:22", "10.9.9.9:22", mailer.StageConnect},
		{"smtp_host", "smtp.office365.com:22", "port 22 is not allowed for smtp.office365.com", mailer.StageConnect},
		{"authority", "https://169.254.169.254", "169.254.169.254:443", mailer.StageToken},
	}
	for _, tc := range cases {
		t.Run(tc.value, func(t *testing.T) {
			c := newConsole(t)
			var rec netRecorder
			rec.record(c)
			sc := c.scenarioForm(t, "works")
			in := store.ProfileInput{Name: "Old row", Cloud: "global", Tenant: sc.Get("tenant"), ClientID: sc.Get("client_id"),
				CredentialKind: store.KindSecret, Secret: sc.Get("secret"), Mailbox: sc.Get("mailbox"),
				SMTPHost: c.Fake.SMTPAddr, Authority: c.Fake.URL}
			if tc.field == "smtp_host" {
				in.SMTPHost = tc.value
			} else {
				in.Authority = tc.value
			}
			if _, err := c.DB.CreateProfile(t.Context(), in, "old version"); err != nil {
				t.Fatal(err)
			}
			resp, _ := c.postAs(t, c.helpdesk, "/profiles/1/runs", url.Values{"mode": {"auth"}})
			d := c.waitRun(t, resp.Header.Get("Location"))
			rec.nothingLeft(t)
			code, quote := testid(d, "diagnosis-code").Text(), testid(d, "diagnosis-quote").Text()
			if code != mailer.CodeTargetRefused || !strings.Contains(quote, tc.want) {
				t.Fatalf("got %s %q, want %s naming %q", code, quote, mailer.CodeTargetRefused, tc.want)
			}
			if tc.stage == mailer.StageToken && len(c.Fake.IssuedTokens()) != 0 {
				t.Fatal("a token was fetched")
			}
		})
	}
}

// An allowed host name that resolves to loopback is not connected to: the address is checked
// after resolution, and the fake's exemption is for its literal address only.
func TestTestNow_AllowedNameResolvingToLoopbackRefused(t *testing.T) {
	c := newConsole(t)
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(c.Fake.URL, "https://"))
	name := "login.corp.example"
	policy, err := mailer.NewPolicy(mailer.PolicyConfig{AllowedHosts: []string{name + ":" + port}, AllowEndpoints: c.Fake.Endpoints()})
	if err != nil {
		t.Fatal(err)
	}
	c.Handlers.Checker.(*exchange.Checker).Policy = policy
	rec := netRecorder{resolves: map[string][]netip.Addr{name: {netip.MustParseAddr("127.0.0.1")}}}
	rec.record(c)
	f := c.scenarioForm(t, "works")
	f.Set("authority", "https://"+name+":"+port)
	f.Set("mode", "auth")
	resp, _ := c.post(t, "/profiles", f)
	d := c.waitRun(t, resp.Header.Get("Location"))
	if code, quote := testid(d, "diagnosis-code").Text(), testid(d, "diagnosis-quote").Text(); code != mailer.CodeTargetRefused || !strings.Contains(quote, "127.0.0.1 is a loopback address") {
		t.Fatalf("got %s %q", code, quote)
	}
	if len(c.Fake.IssuedTokens()) != 0 {
		t.Fatal("the token endpoint on loopback was reached")
	}
}
