package exchange_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/mailer/exchange"
)

// fakeNet is the network for policy tests: a resolver with fixed answers and a dialer that
// records every call and connects nowhere, so nothing leaves the machine.
type fakeNet struct {
	mu      sync.Mutex
	answers map[string][]netip.Addr
	lookups []string
	dials   []string
}

func (n *fakeNet) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.lookups = append(n.lookups, host)
	if a, ok := n.answers[host]; ok {
		return a, nil
	}
	return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
}

func (n *fakeNet) dial(_ context.Context, _, addr string) (net.Conn, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.dials = append(n.dials, addr)
	return nil, errors.New("test: recorded, not connected")
}

// checker enforces cfg with the fake network.
func (n *fakeNet) checker(tb testing.TB, cfg mailer.PolicyConfig) *exchange.Checker {
	tb.Helper()
	p, err := mailer.NewPolicy(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return &exchange.Checker{Policy: p, Resolver: n, Dial: n.dial}
}

// request is a valid request whose authority and SMTP host are the ones under test.
func request(authority, smtpAddr string) mailer.Request {
	return mailer.Request{ProfileName: "policy", Tenant: "contoso.onmicrosoft.com", ClientID: "b1000000-0000-4000-8000-000000000001",
		Credential: mailer.Credential{Secret: "Abc8Q~not-a-real-secret-value-000000000"}, Mailbox: "app@contoso.com",
		Authority: authority, SMTPAddr: smtpAddr}
}

// refused runs a check and wants a policy refusal naming want, with no dial at all.
func refused(t *testing.T, n *fakeNet, c *exchange.Checker, req mailer.Request, want ...string) {
	t.Helper()
	res := c.Run(t.Context(), req, nil)
	if res.OK || res.Diagnosis == nil || res.Diagnosis.Code != mailer.CodeTargetRefused {
		t.Fatalf("got %+v, want %s", res.Diagnosis, mailer.CodeTargetRefused)
	}
	for _, w := range want {
		if !strings.Contains(res.Diagnosis.Quote, w) {
			t.Errorf("got %q, want it to name %q", res.Diagnosis.Quote, w)
		}
	}
	if strings.Contains(res.Diagnosis.Quote, req.Credential.Secret) || strings.Contains(res.Error, req.Credential.Secret) {
		t.Fatal("the refusal shows the secret")
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if len(n.dials) > 0 {
		t.Fatalf("got dials %q, want none", n.dials)
	}
}

func TestPolicy_MetadataAddressRefusedEvenWhenAllowed(t *testing.T) {
	cases := map[string]string{
		"169.254.169.254":        "metadata",   // AWS, Azure, Google, Oracle IMDS
		"::ffff:169.254.169.254": "metadata",   // the same, IPv4-mapped
		"64:ff9b::a9fe:a9fe":     "metadata",   // the same through NAT64
		"2002:a9fe:a9fe::1":      "metadata",   // the same through 6to4
		"fd00:ec2::254":          "AWS",        // AWS IMDS over IPv6
		"100.100.100.200":        "Alibaba",    // Alibaba Cloud
		"::ffff:100.100.100.200": "Alibaba",    //
		"192.0.0.192":            "Oracle",     // Oracle Cloud
		"::ffff:192.0.0.192":     "Oracle",     //
		"168.63.129.16":          "WireServer", // Azure's platform address, a public one
		"64:ff9b::a83f:8110":     "WireServer", // the same through NAT64
		"fd20:ce::254":           "Google",     // Google Cloud over IPv6
		"169.254.170.2":          "ECS",        // AWS ECS task credentials
	}
	for addr, why := range cases {
		t.Run(addr, func(t *testing.T) {
			a := netip.MustParseAddr(addr)
			literal := netip.AddrPortFrom(a, 443).String()
			n := &fakeNet{answers: map[string][]netip.Addr{"login.corp.example": {a}}}
			// Even named outright, with private targets allowed, a metadata address is refused.
			c := n.checker(t, mailer.PolicyConfig{AllowedHosts: []string{"login.corp.example", literal}, AllowEndpoints: []string{literal}, AllowPrivate: true})
			refused(t, n, c, request("https://login.corp.example", ""), "login.corp.example:443", a.Unmap().String(), why)
			refused(t, n, c, request("https://"+literal, ""), a.Unmap().String(), why)
		})
	}
}

func TestPolicy_NameResolvingToPrivateOrSpecialAddressRefused(t *testing.T) {
	cases := map[string]string{
		"10.9.9.9": "RFC 1918", "172.16.0.1": "RFC 1918", "192.168.1.1": "RFC 1918", "100.64.0.1": "RFC 6598",
		"fd12:3456::1": "RFC 4193", "127.0.0.1": "loopback", "::1": "loopback", "169.254.1.1": "link-local",
		"fe80::1": "link-local", "0.0.0.0": "this network", "::": "unspecified", "224.0.0.1": "multicast",
		"ff02::1": "multicast", "255.255.255.255": "broadcast", "::ffff:10.9.9.9": "RFC 1918",
		"::ffff:127.0.0.1": "loopback", "64:ff9b::a09:909": "RFC 1918", "2002:a09:909::1": "RFC 1918",
		"64:ff9b:1::1": "NAT64", "::10.9.9.9": "IPv4-compatible",
	}
	for addr, why := range cases {
		t.Run(addr, func(t *testing.T) {
			a := netip.MustParseAddr(addr)
			// Microsoft's own sign-in name, as a poisoned or split-horizon DNS might answer it.
			n := &fakeNet{answers: map[string][]netip.Addr{"login.microsoftonline.com": {a}}}
			c := n.checker(t, mailer.PolicyConfig{})
			refused(t, n, c, request("", ""), "login.microsoftonline.com:443", a.Unmap().String(), why)
		})
	}
}

func TestPolicy_PortsRestrictedOnMicrosoftHosts(t *testing.T) {
	for _, tc := range []struct{ authority, smtp, want string }{
		{"", "smtp.office365.com:22", "port 22 is not allowed for smtp.office365.com (allowed: 587)"},
		{"https://login.microsoftonline.com:8443", "", "port 8443 is not allowed for login.microsoftonline.com (allowed: 443)"},
		{"", "10.9.9.9:22", "10.9.9.9 is neither one of Microsoft's endpoints"},
	} {
		t.Run(tc.authority+tc.smtp, func(t *testing.T) {
			n := &fakeNet{}
			c := n.checker(t, mailer.PolicyConfig{})
			if err := c.OutboundPolicy().CheckOverrides(tc.smtp, tc.authority); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("save-time check: got %v, want %q", err, tc.want)
			}
			refusedAt(t, n, c, tc.authority, tc.smtp, tc.want)
		})
	}
}

// refusedAt checks the engine's refusal of an endpoint without a token: a dial refused by name
// never resolves, so the lookups must be empty too.
func refusedAt(t *testing.T, n *fakeNet, c *exchange.Checker, authority, smtp, want string) {
	t.Helper()
	var err error
	if smtp != "" {
		err = c.DialForTest(t.Context(), smtp)
	} else {
		err = c.DialForTest(t.Context(), strings.TrimPrefix(authority, "https://"))
	}
	var te *mailer.TargetRefusedError
	if !errors.As(err, &te) || !strings.Contains(err.Error(), want) {
		t.Fatalf("got %v, want a refusal naming %q", err, want)
	}
	if len(n.dials) > 0 || len(n.lookups) > 0 {
		t.Fatalf("got dials %q lookups %q, want none", n.dials, n.lookups)
	}
}

// The connection goes to exactly the address that was checked: the name is resolved once, a
// refused address is skipped, and the dial gets an address literal, not the name again.
func TestPolicy_DialsTheCheckedAddressNotTheName(t *testing.T) {
	n := &fakeNet{answers: map[string][]netip.Addr{"smtp.office365.com": {netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("52.96.0.1")}}}
	c := n.checker(t, mailer.PolicyConfig{})
	c.DialForTest(t.Context(), "smtp.office365.com:587")
	if len(n.lookups) != 1 || len(n.dials) != 1 || n.dials[0] != "52.96.0.1:587" {
		t.Fatalf("got lookups %q dials %q, want one lookup and one dial to 52.96.0.1:587", n.lookups, n.dials)
	}
}

func TestPolicy_AllowedHostsWithPort(t *testing.T) {
	public := []netip.Addr{netip.MustParseAddr("203.0.113.10")}
	n := &fakeNet{answers: map[string][]netip.Addr{"relay.example.net": public, "login.example.net": public}}
	c := n.checker(t, mailer.PolicyConfig{AllowedHosts: []string{"relay.example.net:2525", "LOGIN.example.net", "10.1.2.3:587"}})
	p := c.OutboundPolicy()
	for _, ok := range [][2]string{{"relay.example.net:2525", ""}, {"", "https://login.example.net"}, {"login.example.net:587", ""}, {"10.1.2.3:587", ""}} {
		if err := p.CheckOverrides(ok[0], ok[1]); err != nil {
			t.Errorf("%v: got %v, want allowed", ok, err)
		}
	}
	for _, bad := range [][2]string{{"relay.example.net:587", ""}, {"login.example.net:25", ""}, {"", "https://relay.example.net"}, {"10.1.2.3:25", ""}, {"10.1.2.4:587", ""}} {
		if err := p.CheckOverrides(bad[0], bad[1]); err == nil {
			t.Errorf("%v: allowed, want refused", bad)
		}
	}
	// The engine agrees: the allowed port is dialled (recorded, not connected), another is not.
	c.DialForTest(t.Context(), "relay.example.net:2525")
	c.DialForTest(t.Context(), "10.1.2.3:587")
	if err := c.DialForTest(t.Context(), "relay.example.net:25"); !strings.Contains(fmtErr(err), "port 25 is not allowed for relay.example.net (allowed: 2525)") {
		t.Fatalf("got %v", err)
	}
	if want := []string{"203.0.113.10:2525", "10.1.2.3:587"}; strings.Join(n.dials, " ") != strings.Join(want, " ") {
		t.Fatalf("got dials %q, want %q", n.dials, want)
	}
}

func fmtErr(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// The fake Exchange's checker (the demo's policy) reaches the fake's own two endpoints and
// refuses any other loopback port: the exemption is per endpoint, not for loopback.
func TestPolicy_FakeEndpointsAllowedOtherLoopbackPortRefused(t *testing.T) {
	srv, scenarios := mustFake(t)
	req, err := mustScenario(t, scenarios, "works").Request(srv)
	if err != nil {
		t.Fatal(err)
	}
	if res := srv.Checker().Run(t.Context(), req, nil); !res.OK {
		t.Fatalf("the fake's own endpoints: got %+v", res.Diagnosis)
	}
	other, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	req.SMTPAddr = other.Addr().String()
	res := srv.Checker().Run(t.Context(), req, nil)
	if res.Diagnosis == nil || res.Diagnosis.Code != mailer.CodeTargetRefused || !strings.Contains(res.Diagnosis.Quote, other.Addr().String()) {
		t.Fatalf("another loopback port: got %+v", res.Diagnosis)
	}
	// A sentinel connection: if the check had connected, its connection would be accepted first.
	sentinel, err := net.Dial("tcp", other.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer sentinel.Close()
	first, err := other.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	if first.RemoteAddr().String() != sentinel.LocalAddr().String() {
		t.Fatalf("the other loopback port was connected to from %s", first.RemoteAddr())
	}
}

// Behind the operator's HTTP proxy, the proxy is dialled as configured (it may be private), but
// the token URL's host and port still pass the policy before the request reaches the proxy.
func TestPolicy_ProxyGetsOnlyAllowedTokenRequests(t *testing.T) {
	proxy, _ := url.Parse("http://10.0.0.5:3128")
	n := &fakeNet{}
	c := n.checker(t, mailer.PolicyConfig{})
	c.Proxy = http.ProxyURL(proxy)
	refused(t, n, c, request("https://evil.example.net", ""), "evil.example.net:443", "neither one of Microsoft's endpoints")
	res := c.Run(t.Context(), request("", ""), nil)
	if res.OK || len(n.dials) != 1 || n.dials[0] != "10.0.0.5:3128" || len(n.lookups) != 0 {
		t.Fatalf("got dials %q lookups %q, want one dial to the proxy (recorded, not connected)", n.dials, n.lookups)
	}
}
