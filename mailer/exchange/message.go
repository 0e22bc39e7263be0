package exchange

import (
	"fmt"
	"mime"
	"strings"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
)

// testMessage is the fixed test mail (RFC 5322): nothing in it comes from a free-text field but
// the profile name, which validation keeps free of line breaks and which is encoded as a word.
func testMessage(req mailer.Request, now time.Time, smtpHost string) string {
	id := mailer.NewGUID()
	domain := req.Sender()[strings.LastIndexByte(req.Sender(), '@')+1:]
	subject := mime.QEncoding.Encode("utf-8", "smtpoauth test: "+req.ProfileName)
	lines := []string{
		"Date: " + now.Format(time.RFC1123Z),
		"From: <" + req.Sender() + ">",
		"To: <" + req.To + ">",
		"Subject: " + subject,
		"Message-ID: <" + id + "@" + domain + ">",
		"MIME-Version: 1.0",
		"Content-Type: text/plain; charset=utf-8",
		"Content-Transfer-Encoding: 8bit",
		"Auto-Submitted: auto-generated",
		"",
		"This is a test message from smtpoauth.",
		"",
		fmt.Sprintf("Profile:  %s", req.ProfileName),
		fmt.Sprintf("Mailbox:  %s", req.Mailbox),
		fmt.Sprintf("Server:   %s", smtpHost),
		fmt.Sprintf("Sent at:  %s", now.UTC().Format(time.RFC3339)),
		"",
		"It proves that the app registration can send through Exchange Online",
		"with SMTP AUTH and OAuth 2.0 (XOAUTH2). No reply is needed.",
	}
	return strings.Join(lines, "\r\n")
}
