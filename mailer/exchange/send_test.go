package exchange_test

import (
	"context"
	"strings"
	"testing"

	"github.com/smtpoauth/smtpoauth/mailer/exchange"
)

// Send delivers the given subject and body through the same XOAUTH2 dialogue as a check, and
// a subject cannot add a header line.
func TestSend_DeliversTheGivenMessage(t *testing.T) {
	srv, all := mustFake(t)
	req, err := mustScenario(t, all, "works").Request(srv)
	if err != nil {
		t.Fatal(err)
	}
	res := srv.Checker().Send(context.Background(), req, exchange.Message{
		Subject: "Connection Billing is failing\r\nBcc: attacker@example.com",
		Body:    "line one\n.\nline three",
	})
	if !res.OK || !res.Sent {
		t.Fatalf("got OK=%v sent=%v (%v), want sent", res.OK, res.Sent, res.Err)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("got %d messages, want 1", len(msgs))
	}
	data := msgs[0].Data
	if !strings.Contains(data, "Subject: Connection Billing is failing Bcc: attacker@example.com\r\n") {
		t.Fatalf("got %q, want the subject on one line", data)
	}
	if strings.Contains(data, "\r\nBcc:") {
		t.Fatalf("got %q, want no Bcc header", data)
	}
	if !strings.HasSuffix(strings.TrimRight(data, "\r\n"), "line one\r\n.\r\nline three") {
		t.Fatalf("got %q, want the body with CRLF line ends and the lone dot kept", data)
	}
	if strings.Contains(data, "This is a test message") {
		t.Fatalf("got the test message, want the alert")
	}
}
