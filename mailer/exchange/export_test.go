package exchange

import (
	"context"
	"net/http"
	"time"
)

// DialForTest opens (and closes) one connection through the outbound policy, as a check would.
func (c *Checker) DialForTest(ctx context.Context, addr string) error {
	conn, err := c.dialContext(ctx, "tcp", addr)
	if conn != nil {
		conn.Close()
	}
	return err
}

// TokenErrorForTest is the error a check reports for a token endpoint's refusal with this
// status, headers and body: the real parser, without an HTTP round trip.
func TokenErrorForTest(status int, header http.Header, body []byte, now time.Time) error {
	return tokenErrorFromAnswer("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token", status, header, body, now)
}
