package mailer

import (
	"context"
	"errors"
	"net"
)

// dialContext opens a TCP connection for the token request and the SMTP dialogue. With
// AllowTarget set, it resolves the name itself and connects only to addresses the guard
// accepts, so a name that resolves to loopback or a metadata address cannot be reached.
func (c *Checker) dialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	dial := c.Dial
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	if c.AllowTarget == nil {
		return dial(ctx, network, addr)
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	ips, err := net.DefaultResolver.LookupIPAddr(ctx, host)
	if err != nil {
		return nil, err
	}
	var refused error
	for _, ip := range ips {
		if err := c.AllowTarget(ip.IP); err != nil {
			refused = err
			continue
		}
		return dial(ctx, network, net.JoinHostPort(ip.IP.String(), port))
	}
	if refused == nil {
		refused = errors.New("no address")
	}
	return nil, &TargetRefusedError{Addr: addr, Err: refused}
}

// TargetRefusedError says the console's policy forbids connecting to an address.
type TargetRefusedError struct {
	Addr string
	Err  error
}

func (e *TargetRefusedError) Error() string {
	return "refused by policy: " + e.Addr + ": " + e.Err.Error()
}
