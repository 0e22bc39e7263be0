package exchange

import "context"

// DialForTest opens (and closes) one connection through the outbound policy, as a check would.
func (c *Checker) DialForTest(ctx context.Context, addr string) error {
	conn, err := c.dialContext(ctx, "tcp", addr)
	if conn != nil {
		conn.Close()
	}
	return err
}
