package exchange

import (
	"fmt"
	"mime"
	"mime/quotedprintable"
	"strings"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
)

// testMessage is the fixed test mail (RFC 5322): nothing in it comes from a free-text field but
// the profile name, which validation keeps free of line breaks and which is encoded as a word.
// The text is plain ASCII unless the profile name or an address is not; such a body goes as
// 8-bit text when the server takes it (can8bit: it offers 8BITMIME), else quoted-printable.
// eightBit reports whether the message holds 8-bit octets, which MAIL FROM must announce.
func testMessage(req mailer.Request, now time.Time, smtpHost string, can8bit bool) (msg string, eightBit bool) {
	subject := mime.QEncoding.Encode("utf-8", "smtpoauth test: "+req.ProfileName)
	body := strings.Join([]string{
		"This is a test message from smtpoauth.",
		"",
		fmt.Sprintf("Profile:  %s", req.ProfileName),
		fmt.Sprintf("Mailbox:  %s", req.Mailbox),
		fmt.Sprintf("Server:   %s", smtpHost),
		fmt.Sprintf("Sent at:  %s", now.UTC().Format(time.RFC3339)),
		"",
		"It proves that the app registration can send through Exchange Online",
		"with SMTP AUTH and OAuth 2.0 (XOAUTH2). No reply is needed.",
	}, "\r\n")
	return composeMessage(req, now, subject, body, can8bit)
}

// composeMessage puts a subject (already encoded) and a CRLF-separated body into a message.
func composeMessage(req mailer.Request, now time.Time, subject, body string, can8bit bool) (msg string, eightBit bool) {
	id := mailer.NewGUID()
	domain := req.Sender()[strings.LastIndexByte(req.Sender(), '@')+1:]
	// An ASCII body keeps the label it always had: 7-bit text is valid 8bit content.
	encoding := "8bit"
	if !isASCII(body) && !can8bit {
		encoding, body = "quoted-printable", quotedPrintable(body)
	}
	header := []string{
		"Date: " + now.Format(time.RFC1123Z),
		"From: <" + req.Sender() + ">",
		"To: <" + req.To + ">",
		"Subject: " + subject,
		"Message-ID: <" + id + "@" + domain + ">",
		"MIME-Version: 1.0",
		"Content-Type: text/plain; charset=utf-8",
		"Content-Transfer-Encoding: " + encoding,
		"Auto-Submitted: auto-generated",
	}
	msg = strings.Join(header, "\r\n") + "\r\n\r\n" + body
	return msg, !isASCII(msg)
}

// quotedPrintable encodes CRLF-separated text (RFC 2045 §6.7); its lines stay CRLF-separated.
func quotedPrintable(text string) string {
	var b strings.Builder
	w := quotedprintable.NewWriter(&b)
	w.Write([]byte(text)) // a strings.Builder does not fail
	w.Close()
	return b.String()
}

// isASCII reports whether s is 7-bit text, which needs no 8BITMIME or SMTPUTF8.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
