package exchange

import (
	"context"
	"net"
	"net/netip"
	"strconv"

	"github.com/smtpoauth/smtpoauth/mailer"
)

// Resolver looks up a host's addresses; *net.Resolver is one. Tests inject their own so that
// no refusal test depends on, or sends anything to, a real DNS server.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// OutboundPolicy is the policy the checker enforces: its Policy, or the default one.
func (c *Checker) OutboundPolicy() *mailer.Policy {
	if c.Policy != nil {
		return c.Policy
	}
	return mailer.DefaultPolicy()
}

// dialContext opens every TCP connection of a check (token request and SMTP dialogue). It asks
// the policy about the host and port, resolves the name once, asks again about each address,
// and connects to exactly an address it accepted: a name cannot resolve to one address when
// checked and to another when connected to (DNS rebinding).
func (c *Checker) dialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	policy := c.OutboundPolicy()
	host, portText, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	port, err := strconv.ParseUint(portText, 10, 16)
	if err != nil {
		return nil, &mailer.TargetRefusedError{Host: host, Port: portText, Reason: "the port is not a number"}
	}
	if err := policy.AllowName(host, uint16(port)); err != nil {
		return nil, &mailer.TargetRefusedError{Host: host, Port: portText, Reason: err.Error()}
	}
	addrs, err := c.lookup(ctx, host)
	if err != nil {
		return nil, err
	}
	dial := c.Dial
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	_, literalErr := netip.ParseAddr(host)
	var refused, dialErr error
	for _, a := range addrs {
		ap := netip.AddrPortFrom(a.Unmap(), uint16(port))
		if err := policy.AllowAddr(ap, literalErr == nil); err != nil {
			if refused == nil {
				refused = &mailer.TargetRefusedError{Host: host, Port: portText, Addr: ap.Addr().String(), Reason: err.Error()}
			}
			continue
		}
		conn, err := dial(ctx, network, ap.String())
		if err == nil {
			return conn, nil
		}
		dialErr = err
		if ctx.Err() != nil {
			break
		}
	}
	if dialErr != nil {
		return nil, dialErr
	}
	if refused == nil {
		refused = &mailer.TargetRefusedError{Host: host, Port: portText, Reason: "the name resolved to no address"}
	}
	return nil, refused
}

// lookup resolves host with the checker's resolver; an address literal needs no lookup.
func (c *Checker) lookup(ctx context.Context, host string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{a}, nil
	}
	var r Resolver = net.DefaultResolver
	if c.Resolver != nil {
		r = c.Resolver
	}
	return r.LookupNetIP(ctx, "ip", host)
}
