package exchange

import (
	"bufio"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

var enhancedWhole = regexp.MustCompile(`^[245]\.\d{1,3}\.\d{1,3}$`)

// FuzzReadReply feeds arbitrary server output to the reply reader. Whatever a server sends, the
// reader does not panic, a reply it accepts has a three-digit code and a well-formed enhanced
// status of a fitting class (either failure class on a failure reply), every line it shows is safe, and reading what it showed gives the same reply.
func FuzzReadReply(f *testing.F) {
	for _, seed := range []string{
		"220 mx.example ESMTP ready\r\n",
		"250-outlook.office365.com Hello\r\n250-SIZE 157286400\r\n250-STARTTLS\r\n250 SMTPUTF8\r\n",
		"535 5.7.3 Authentication unsuccessful [SN4PR0501CA0056.namprd05.prod.outlook.com]\r\n",
		"535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled\r\n",
		"334 \r\n",
		"250-first\r\n251 2.1.5 mixed codes\r\n",
		"550 4.7.1 class mismatch\r\n",
		"451 5.7.3 STARTTLS is required to send mail\r\n",
		"250 5.0.0 failure class on success\r\n",
		"250 2.0.0.1 four parts\r\n",
		"220\r\n",
		"22\r\n",
		"220-no end\r\n",
		"220 mx\revent: done\rdata: fake\x1b[31m\r\n",
		"220 " + strings.Repeat("a", 9000) + "\r\n",
		"+50 sign\r\n",
		"2\xff0 bad\r\n",
		"250-\u2028\xff\r\n250 ok\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, wire string) {
		var seen []string
		reply, err := readReply(bufio.NewReader(strings.NewReader(wire)), func(line string) { seen = append(seen, line) })
		for _, line := range seen {
			assertSafe(t, line)
		}
		if err != nil {
			return
		}
		if reply.Code < 200 || reply.Code > 599 || len(strconv.Itoa(reply.Code)) != 3 {
			t.Fatalf("reply code %d is not three digits of 2xx–5xx", reply.Code)
		}
		if reply.Enhanced != "" && (!enhancedWhole.MatchString(reply.Enhanced) || !enhancedFits(reply.Code, reply.Enhanced[:1])) {
			t.Fatalf("enhanced status %q does not fit reply code %d", reply.Enhanced, reply.Code)
		}
		if len(reply.Lines) != len(seen) || len(reply.Lines) > maxReplyLines {
			t.Fatalf("%d lines parsed, %d shown", len(reply.Lines), len(seen))
		}
		for _, l := range reply.Lines {
			assertSafe(t, l)
		}
		if s := reply.String(); !strings.HasPrefix(s, strconv.Itoa(reply.Code)) || !strings.Contains(s, reply.Enhanced) {
			t.Fatalf("String() %q lost the code or enhanced status", s)
		}
		again, err := readReply(bufio.NewReader(strings.NewReader(strings.Join(seen, "\r\n")+"\r\n")), func(string) {})
		if err != nil || again.Code != reply.Code || again.Enhanced != reply.Enhanced || strings.Join(again.Lines, "\n") != strings.Join(reply.Lines, "\n") {
			t.Fatalf("the lines shown read back as %+v (%v), want %+v", again, err, reply)
		}
	})
}

// FuzzSanitizeLine: whatever goes in, what comes out is one valid UTF-8 line without control,
// separator or format characters, at most MaxLineBytes long, unchanged by a second pass, and
// plain printable text that fits is kept as it is.
func FuzzSanitizeLine(f *testing.F) {
	for _, seed := range []string{
		"", "250 OK", "a\rb\nc", "\x00\x1b[2J\x7f", "\u0085\u2028\u2029\u202e\u2066\ufeff", "\xff\xfe\xc3",
		"Grüße ✓", strings.Repeat("é", MaxLineBytes), strings.Repeat("\x01", MaxLineBytes), "\U000e0001tag",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := SanitizeLine(in)
		assertSafe(t, out)
		if again := SanitizeLine(out); again != out {
			t.Fatalf("second pass changed %q to %q", out, again)
		}
		if isPlainLine(in) && out != in {
			t.Fatalf("plain line %q changed to %q", in, out)
		}
	})
}

func assertSafe(t *testing.T, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Fatalf("not UTF-8: %q", s)
	}
	if len(s) > MaxLineBytes {
		t.Fatalf("%d bytes, more than %d", len(s), MaxLineBytes)
	}
	for _, r := range s {
		if unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp) {
			t.Fatalf("holds %U: %q", r, s)
		}
	}
}
