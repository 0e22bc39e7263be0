package mailer

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Reply is one SMTP reply, possibly of several lines.
type Reply struct {
	Code int
	// Enhanced is the RFC 3463 status such as "5.7.3", empty when the server sent none.
	Enhanced string
	// Lines are the texts after the code, without the enhanced status.
	Lines []string
}

var enhancedPattern = regexp.MustCompile(`^([245])\.(\d{1,3})\.(\d{1,3})\b`)

// Text joins the reply's lines as one message.
func (r Reply) Text() string { return strings.Join(r.Lines, " ") }

// String is the reply as the server worded it (first line), for messages and diagnoses.
func (r Reply) String() string {
	s := strconv.Itoa(r.Code)
	if r.Enhanced != "" {
		s += " " + r.Enhanced
	}
	if t := r.Text(); t != "" {
		s += " " + t
	}
	return s
}

// parseReplyLine splits "250-SIZE 157286400" into code, whether more lines follow, and text.
func parseReplyLine(line string) (code int, more bool, text string, err error) {
	if len(line) < 3 {
		return 0, false, "", fmt.Errorf("malformed SMTP reply %q", line)
	}
	code, err = strconv.Atoi(line[:3])
	if err != nil || code < 200 || code > 599 {
		return 0, false, "", fmt.Errorf("malformed SMTP reply %q", line)
	}
	if len(line) == 3 {
		return code, false, "", nil
	}
	switch line[3] {
	case '-':
		more = true
	case ' ':
	default:
		return 0, false, "", fmt.Errorf("malformed SMTP reply %q", line)
	}
	return code, more, line[4:], nil
}

// splitEnhanced takes the enhanced status code off the front of a reply text.
func splitEnhanced(code int, text string) (enhanced, rest string) {
	m := enhancedPattern.FindStringSubmatch(text)
	// An enhanced code's class must match the reply's (RFC 3463), else it is just text.
	if m == nil || m[1] != strconv.Itoa(code/100) {
		return "", text
	}
	return m[0], strings.TrimSpace(text[len(m[0]):])
}

// ReplyError is an SMTP reply that ended a check, with the stage it answered.
type ReplyError struct {
	Stage Stage
	Reply Reply
}

func (e *ReplyError) Error() string {
	return fmt.Sprintf("%s: server replied %s", e.Stage, e.Reply.String())
}

// Temporary reports a 4xx reply: trying again later may work.
func (e *ReplyError) Temporary() bool { return e.Reply.Code/100 == 4 }

// Code is the three-digit reply code.
func (e *ReplyError) Code() int { return e.Reply.Code }

// Enhanced is the enhanced status code, such as "5.7.3".
func (e *ReplyError) Enhanced() string { return e.Reply.Enhanced }
