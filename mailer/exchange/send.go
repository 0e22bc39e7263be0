package exchange

import (
	"context"
	"mime"
	"strings"

	"github.com/smtpoauth/smtpoauth/mailer"
)

// Message is a plain-text message to send instead of the test message: an alert.
type Message struct {
	Subject string
	// Body is plain text; its lines may end in LF or CRLF.
	Body string
}

// Send delivers msg to req.To through the same steps as a check (token, claims, STARTTLS,
// XOAUTH2), so that an alert goes out through a stored connection exactly as its test message
// would. The result is a check's: OK, or a diagnosis of why not.
func (c *Checker) Send(ctx context.Context, req mailer.Request, msg Message) *mailer.Result {
	return c.run(ctx, req, nil, &msg)
}

// compose is the message the dialogue sends: the one given to Send, or the test message.
func (s *session) compose(can8bit bool) (string, bool) {
	if s.message == nil {
		return testMessage(s.req, s.now(), s.host, can8bit)
	}
	// Header injection: the subject goes encoded on one line whatever it holds.
	subject := mime.QEncoding.Encode("utf-8", strings.Join(strings.Fields(s.message.Subject), " "))
	body := strings.ReplaceAll(strings.ReplaceAll(s.message.Body, "\r\n", "\n"), "\n", "\r\n")
	return composeMessage(s.req, s.now(), subject, body, can8bit)
}
