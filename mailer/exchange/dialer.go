package exchange

import (
	"context"
	"net"

	"github.com/smtpoauth/smtpoauth/mailer"
)

// DialerFor is the checker's policy-enforcing dial (name check, one resolution, every address
// checked, the accepted address dialled) under policy p instead of its own: the alert webhook
// connects through it, so that no outbound connection of the product bypasses the policy.
func (c *Checker) DialerFor(p *mailer.Policy) func(ctx context.Context, network, addr string) (net.Conn, error) {
	cc := *c
	cc.Policy = p
	return cc.dialContext
}
