package exchange

import (
	"github.com/smtpoauth/smtpoauth/mailer"

	"bufio"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// maxReplyLine bounds one reply line as read, CRLF included. RFC 5321 allows 512 bytes; a server
// that sends far more without a line end is broken or hostile, and must not fill the memory.
const maxReplyLine = 8192

// maxReplyLines bounds the lines of one reply; Exchange's EHLO reply, the longest, has about ten.
const maxReplyLines = 100

// errLineTooLong is a reply line longer than maxReplyLine.
var errLineTooLong = fmt.Errorf("reply line longer than %s bytes", groupThousands(maxReplyLine))

// readReplyLine reads one line up to its LF, at most maxReplyLine bytes, without the line end.
// On an error, line holds what arrived, for the transcript.
func readReplyLine(rd *bufio.Reader) (line string, err error) {
	var buf []byte
	for {
		chunk, err := rd.ReadSlice('\n')
		if len(buf)+len(chunk) > maxReplyLine {
			buf = append(buf, chunk[:maxReplyLine-len(buf)]...)
			return string(buf), errLineTooLong
		}
		buf = append(buf, chunk...)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return strings.TrimRight(string(buf), "\r\n"), err
	}
}

// readReply reads one possibly multi-line reply. Each line, made safe by SanitizeLine, goes to
// seen as it arrives (the transcript) before it is parsed, so even a malformed line is shown.
// A read error is returned as is; a reply that breaks the protocol as a *malformedError.
func readReply(rd *bufio.Reader, seen func(line string)) (mailer.Reply, error) {
	var reply mailer.Reply
	for n := 1; ; n++ {
		raw, err := readReplyLine(rd)
		line := SanitizeLine(raw)
		if err != nil {
			if raw != "" {
				seen(line)
			}
			if errors.Is(err, errLineTooLong) {
				return reply, &malformedError{err}
			}
			return reply, err
		}
		seen(line)
		// The sanitised line is parsed, so the reply's text is as safe to show as the transcript.
		code, more, text, err := parseReplyLine(line)
		if err != nil {
			return reply, &malformedError{err}
		}
		if reply.Code == 0 {
			reply.Code = code
			reply.Enhanced, text = splitEnhanced(code, text)
		} else if code == reply.Code {
			_, text = splitEnhanced(code, text)
		}
		reply.Lines = append(reply.Lines, text)
		if !more {
			return reply, nil
		}
		if n >= maxReplyLines {
			return reply, &malformedError{fmt.Errorf("reply of more than %d lines", maxReplyLines)}
		}
	}
}

// malformedError is a reply that breaks the protocol, as opposed to a failed read.
type malformedError struct{ err error }

func (e *malformedError) Error() string { return e.err.Error() }
func (e *malformedError) Unwrap() error { return e.err }

var enhancedPattern = regexp.MustCompile(`^([245])\.(\d{1,3})\.(\d{1,3})\b`)

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
	if m == nil || !enhancedFits(code, m[1]) {
		return "", text
	}
	return m[0], strings.TrimSpace(text[len(m[0]):])
}

// enhancedFits: RFC 3463 wants the enhanced class to be the reply's, but Exchange answers a
// missing STARTTLS with "451 5.7.3", so on a failure reply either failure class is the code
// (and tells more than the reply code); a success class goes only with a success reply.
func enhancedFits(code int, class string) bool {
	if code/100 == 4 || code/100 == 5 {
		return class == "4" || class == "5"
	}
	return class == strconv.Itoa(code/100)
}

// renderedCode is how some client libraries print a reply (MailKit: "535: 5.7.3 ...").
var renderedCode = regexp.MustCompile(`^(\d{3}): `)

// ParseReplyText reads one reply as people paste it from a log or an issue: the wire form,
// with or without CRLF, MailKit's "535: 5.7.3" rendering, or the first lines of a multi-line
// reply that the log cut off. It uses the same reader as the dialogue.
func ParseReplyText(s string) (mailer.Reply, error) {
	lines := strings.Split(strings.ReplaceAll(strings.TrimRight(s, "\r\n"), "\r\n", "\n"), "\n")
	for i, l := range lines {
		lines[i] = renderedCode.ReplaceAllString(l, "$1 ")
	}
	rd := bufio.NewReader(strings.NewReader(strings.Join(lines, "\r\n") + "\r\n"))
	reply, err := readReply(rd, func(string) {})
	if errors.Is(err, io.EOF) && reply.Code != 0 {
		// A continuation line without its last line: the log stopped there.
		return reply, nil
	}
	return reply, err
}
