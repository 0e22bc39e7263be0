package mailer

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Policy decides where a check may connect: which host names on which ports, and which
// addresses those names may resolve to. One value is built from the configuration and given to
// the Checker, which enforces it on every connection; the console and the CLI ask the same value
// when a profile is saved, for an early error in the user's terms.
type Policy struct {
	hosts        []hostRule              // names (or address literals) and their ports
	endpoints    map[netip.AddrPort]bool // exact addresses exempt from the private-range refusal
	allowPrivate bool
}

// PolicyConfig is what an operator (or a test) configures.
type PolicyConfig struct {
	// AllowedHosts are extra "host" or "host:port" entries besides Microsoft's endpoints. A bare
	// host may be used on 443 and 587. An address literal (10.1.2.3:587, [fd00::1]:587) names an
	// exact endpoint, which may then be private or loopback, but never a metadata address.
	AllowedHosts []string
	// AllowEndpoints are exact "ip:port" endpoints that may be connected to even on loopback: the
	// demo's simulated Exchange and tests' fake. Metadata addresses stay refused.
	AllowEndpoints []string
	// AllowPrivate lets allowed host names resolve to private ranges (RFC 1918, ULA, CGNAT).
	// Loopback, link-local, metadata, multicast and unspecified addresses stay refused.
	AllowPrivate bool
}

type hostRule struct {
	host  string // lower case, no brackets
	ports []uint16
}

// Microsoft's endpoints and their ports: sign-in authorities on 443, SMTP submission on 587.
const (
	portHTTPS = 443
	portSMTP  = 587
)

// microsoftRules lists every cloud's authority on 443 and SMTP host on 587, plus names
// Microsoft documents besides the ones the clouds use by default (the overrides the console
// accepted before the policy existed).
func microsoftRules() []hostRule {
	var rules []hostRule
	for _, ep := range clouds {
		if u, err := url.Parse(ep.Authority); err == nil {
			rules = append(rules, hostRule{host: u.Hostname(), ports: []uint16{portHTTPS}})
		}
		if h, _, err := net.SplitHostPort(ep.SMTPAddr); err == nil {
			rules = append(rules, hostRule{host: h, ports: []uint16{portSMTP}})
		}
	}
	// outlook.office365.com/.us: SMTP in Microsoft's endpoint lists; login.chinacloudapi.cn: the
	// older sign-in host of the China cloud.
	rules = append(rules, hostRule{host: "outlook.office365.com", ports: []uint16{portSMTP}},
		hostRule{host: "outlook.office365.us", ports: []uint16{portSMTP}},
		hostRule{host: "login.chinacloudapi.cn", ports: []uint16{portHTTPS}})
	return rules
}

// DefaultPolicy allows Microsoft's endpoints only and refuses every non-public address.
func DefaultPolicy() *Policy {
	return &Policy{hosts: microsoftRules(), endpoints: map[netip.AddrPort]bool{}}
}

// NewPolicy builds a policy from configuration; a malformed entry is an error naming it.
func NewPolicy(cfg PolicyConfig) (*Policy, error) {
	p := DefaultPolicy()
	p.allowPrivate = cfg.AllowPrivate
	for _, entry := range cfg.AllowedHosts {
		rule, addr, err := parseHostEntry(entry)
		if err != nil {
			return nil, err
		}
		p.hosts = append(p.hosts, rule)
		if addr.IsValid() {
			for _, port := range rule.ports {
				p.endpoints[netip.AddrPortFrom(addr, port)] = true
			}
		}
	}
	for _, entry := range cfg.AllowEndpoints {
		ap, err := netip.ParseAddrPort(strings.TrimSpace(entry))
		if err != nil {
			return nil, fmt.Errorf("allowed endpoint %q is not ip:port: %w", entry, err)
		}
		ap = netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
		p.endpoints[ap] = true
		p.hosts = append(p.hosts, hostRule{host: ap.Addr().String(), ports: []uint16{ap.Port()}})
	}
	return p, nil
}

// parseHostEntry reads "host", "host:port", "[v6]:port" or an address literal; addr is set for literals.
func parseHostEntry(entry string) (hostRule, netip.Addr, error) {
	entry = strings.ToLower(strings.TrimSpace(entry))
	host, portText, err := net.SplitHostPort(entry)
	if err != nil {
		// No port: a bare name or address, possibly an IPv6 literal in brackets.
		host, portText = strings.Trim(entry, "[]"), ""
	}
	rule := hostRule{host: host, ports: []uint16{portHTTPS, portSMTP}}
	if portText != "" {
		n, err := strconv.ParseUint(portText, 10, 16)
		if err != nil || n == 0 {
			return rule, netip.Addr{}, fmt.Errorf("allowed host %q: port %q is not a number from 1 to 65535", entry, portText)
		}
		rule.ports = []uint16{uint16(n)}
	}
	if host == "" || strings.ContainsAny(host, "/@ ?#") {
		return rule, netip.Addr{}, fmt.Errorf("allowed host %q is not a host name, address or host:port", entry)
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return rule, netip.Addr{}, nil
	}
	addr = addr.Unmap()
	rule.host = addr.String()
	return rule, addr, nil
}

// AllowName is the first check: is this host on this port one the console may use at all?
func (p *Policy) AllowName(host string, port uint16) error {
	host = strings.ToLower(strings.TrimSuffix(strings.Trim(host, "[]"), "."))
	if a, err := netip.ParseAddr(host); err == nil {
		host = a.Unmap().String()
	}
	var ports []uint16
	for _, r := range p.hosts {
		if r.host == host {
			if slices.Contains(r.ports, port) {
				return nil
			}
			ports = append(ports, r.ports...)
		}
	}
	if len(ports) > 0 {
		return fmt.Errorf("port %d is not allowed for %s (allowed: %s)", port, host, portList(ports))
	}
	return fmt.Errorf("%s is neither one of Microsoft's endpoints nor on the operator's --allowed-hosts list", host)
}

func portList(ports []uint16) string {
	slices.Sort(ports)
	ports = slices.Compact(ports)
	s := make([]string, len(ports))
	for i, p := range ports {
		s[i] = strconv.Itoa(int(p))
	}
	return strings.Join(s, ", ")
}

// AllowAddr is the second check, on every address a name resolved to. literal says the
// endpoint was given as this address: only then do the exact-endpoint exemptions apply, so no
// name can borrow them by resolving to an exempt address.
func (p *Policy) AllowAddr(ap netip.AddrPort, literal bool) error {
	addr := ap.Addr().Unmap()
	if why := metadataAddress(addr); why != "" {
		return fmt.Errorf("%s is %s", addr, why)
	}
	if literal && p.endpoints[netip.AddrPortFrom(addr, ap.Port())] {
		return nil
	}
	why, private := addressClass(addr)
	if why == "" || (private && p.allowPrivate) {
		return nil
	}
	return fmt.Errorf("%s is %s", addr, why)
}

// CheckOverrides tells whether a profile's SMTP host and authority overrides may be used, as
// field errors (codes that web/i18n puts into words). The engine enforces the same rules when
// it connects.
func (p *Policy) CheckOverrides(smtpAddr, authority string) error {
	var errs []error
	if s := strings.TrimSpace(smtpAddr); s != "" {
		if host, port, err := net.SplitHostPort(s); err == nil {
			if n, err := strconv.ParseUint(port, 10, 16); err == nil {
				errs = append(errs, overrideErr("smtp_host", s, p.AllowName(host, uint16(n))))
			}
		}
	}
	if s := strings.TrimSpace(authority); s != "" {
		if u, err := url.Parse(s); err == nil && u.Hostname() != "" {
			port := uint64(portHTTPS)
			if u.Port() != "" {
				port, err = strconv.ParseUint(u.Port(), 10, 16)
			}
			if err == nil {
				errs = append(errs, overrideErr("authority", u.Host, p.AllowName(u.Hostname(), uint16(port))))
			}
		}
	}
	return errors.Join(errs...)
}

func overrideErr(field, target string, err error) error {
	if err == nil {
		return nil
	}
	return fieldErr(field, FieldEndpointRefused, target, err.Error())
}

// WithName is a copy of the policy that also allows host on port by name: the alert webhook an
// admin saved. The addresses it resolves to are checked as any name's are (public only, unless
// the operator allowed private ranges); an address literal gains no exemption from this.
func (p *Policy) WithName(host string, port uint16) *Policy {
	q := *p
	host = strings.ToLower(strings.TrimSuffix(strings.Trim(host, "[]"), "."))
	if a, err := netip.ParseAddr(host); err == nil {
		host = a.Unmap().String()
	}
	q.hosts = append(slices.Clip(p.hosts), hostRule{host: host, ports: []uint16{port}})
	return &q
}
