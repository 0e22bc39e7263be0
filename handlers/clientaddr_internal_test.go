package handlers

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
)

// The address a sign-in is throttled and audited under: a client behind a trusted proxy can't
// choose it by sending its own X-Forwarded-For line, and a hop the proxy writes with a port is
// still the client, never the proxy.
func TestClientAddr_ProxyHopsCannotBeForgedOrCollapse(t *testing.T) {
	s := &Server{security: Security{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}}}
	for _, tc := range []struct {
		name   string
		remote string
		lines  []string
		want   string
	}{
		{"untrusted peer's header is ignored", "203.0.113.5:4000", []string{"198.51.100.1"}, "203.0.113.5"},
		{"no header", "10.0.0.1:4000", nil, "10.0.0.1"},
		{"one line", "10.0.0.1:4000", []string{"198.51.100.1"}, "198.51.100.1"},
		{"forged first line, proxy appends its own", "10.0.0.1:4000", []string{"192.0.2.66", "198.51.100.1"}, "198.51.100.1"},
		{"forged hop in the same line", "10.0.0.1:4000", []string{"192.0.2.66, 198.51.100.1"}, "198.51.100.1"},
		{"trusted hops skipped across lines", "10.0.0.1:4000", []string{"192.0.2.66, 198.51.100.1", "10.0.0.2"}, "198.51.100.1"},
		{"ip:port hop", "10.0.0.1:4000", []string{"198.51.100.1:52311"}, "198.51.100.1"},
		{"[v6]:port hop", "10.0.0.1:4000", []string{"[2001:db8::7]:52311"}, "2001:db8::7"},
		{"bracketed v6 hop", "10.0.0.1:4000", []string{"[2001:db8::7]"}, "2001:db8::7"},
		{"unparsable hop is its own client", "10.0.0.1:4000", []string{"192.0.2.66, _hidden"}, "unknown:_hidden"},
		{"empty hops skipped", "10.0.0.1:4000", []string{"198.51.100.1, ,"}, "198.51.100.1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.RemoteAddr = tc.remote
			for _, l := range tc.lines {
				r.Header.Add("X-Forwarded-For", l)
			}
			if got := s.clientAddr(r); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.RemoteAddr = "10.0.0.1:4000"
	r.Header.Add("X-Forwarded-For", "other-garbage")
	if a, b := s.clientAddr(r), "unknown:_hidden"; a == b || a == "10.0.0.1" {
		t.Fatalf("two unreadable hops share one key, or fall back to the proxy: %q", a)
	}
}
