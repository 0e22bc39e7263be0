package exchange

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

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
	// An enhanced code's class must match the reply's (RFC 3463), else it is just text.
	if m == nil || m[1] != strconv.Itoa(code/100) {
		return "", text
	}
	return m[0], strings.TrimSpace(text[len(m[0]):])
}
