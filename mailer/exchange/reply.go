package exchange

import (
	"bufio"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
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
			if n > 1 && errors.Is(err, io.EOF) {
				return reply, fmt.Errorf("the connection ended in the middle of a multi-line reply: %w", io.ErrUnexpectedEOF)
			}
			return reply, err
		}
		seen(line)
		// The sanitised line is parsed, so the reply's text is as safe to show as the transcript.
		code, more, text, err := parseReplyLine(line)
		if err != nil {
			return reply, &malformedError{err}
		}
		switch {
		case reply.Code == 0:
			reply.Code = code
			reply.Enhanced, text = splitEnhanced(code, text)
		case code != reply.Code:
			// RFC 5321 §4.2.1: every line of a reply carries the same code. Merging lines with
			// different codes would let the last line's meaning hide behind the first line's code.
			return reply, &malformedError{fmt.Errorf("line %d of a multi-line reply has code %d, the first line %d: the lines of one SMTP reply must carry the same code", n, code, reply.Code)}
		default:
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

// readReply is the one reader of server replies, for every stage: banner, EHLO, STARTTLS, each
// AUTH step, MAIL, RCPT, DATA, the end of the data, and QUIT. Each line goes into the transcript
// as it arrives; a reply that breaks the protocol (mixed codes, an over-long line, too many
// lines) is a protocol error, a failed read a network error.
func (s *session) readReply(stage mailer.Stage) (mailer.Reply, error) {
	reply, err := s.readReplyBy(stage, s.until(s.replyTimeout()))
	var bad *malformedError
	if errors.As(err, &bad) {
		s.tr.infof(stage, "not a valid SMTP reply: %v", bad.err)
		return reply, &mailer.NetError{Stage: stage, Kind: "protocol", Addr: s.ep.SMTPAddr, Err: bad.err}
	}
	if err != nil {
		return reply, s.netErr(stage, err)
	}
	return reply, nil
}

// readReplyBy reads one reply that must be complete by deadline; errors are returned as read.
func (s *session) readReplyBy(stage mailer.Stage, deadline time.Time) (mailer.Reply, error) {
	s.conn.SetReadDeadline(deadline)
	return readReply(s.rd, func(line string) { s.tr.add(mailer.Server, stage, line) })
}

// expect reads a reply and turns any code but those wanted into a ReplyError.
func (s *session) expect(stage mailer.Stage, want ...int) (mailer.Reply, error) {
	reply, err := s.readReply(stage)
	if err != nil {
		return reply, err
	}
	if !slices.Contains(want, reply.Code) {
		return reply, s.refused(stage, reply)
	}
	return reply, nil
}

// refused records the reply that ended the check in the result and returns it as the error,
// the same way for every stage: what the diagnosis reads and what the result shows agree.
func (s *session) refused(stage mailer.Stage, reply mailer.Reply) error {
	r := reply
	s.res.Reply = &r
	return &mailer.ReplyError{Stage: stage, Reply: reply}
}

// decodeChallenge is a 334 reply's base64 payload; text that is not base64 is handed on as it is.
func decodeChallenge(reply mailer.Reply) []byte {
	text := strings.TrimSpace(reply.Text())
	if b, err := base64.StdEncoding.DecodeString(text); err == nil {
		return b
	}
	return []byte(text)
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
	if errors.Is(err, io.ErrUnexpectedEOF) && reply.Code != 0 {
		// A continuation line without its last line: the log stopped there.
		return reply, nil
	}
	return reply, err
}
