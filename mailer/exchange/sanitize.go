package exchange

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxLineBytes bounds one transcript line as shown, marker included. RFC 5321 allows 512 bytes
// for a reply line; the rest of the room is for escapes and long info lines such as certificate names.
const MaxLineBytes = 4096

// markerRoom is kept free at the end of a cut line for "… (N bytes cut)", whatever N is.
const markerRoom = 48

// SanitizeLine makes text safe to show as one transcript line anywhere: in an event stream, a
// page, a text file, JSON or a terminal. A server's words arrive before TLS, so an on-path
// attacker chooses them; a bare CR or LF would otherwise start new fields in the event stream,
// and escape sequences would act on a terminal. Control characters (C0, DEL, C1), line and
// paragraph separators and invisible format characters such as bidi overrides are shown
// escaped (\r, \x1b, \u2028); bytes that are not UTF-8 are shown as \xNN. A line longer than
// MaxLineBytes is cut, with a visible marker saying how many bytes were left out.
// The result is valid UTF-8, has no control characters, is at most MaxLineBytes long, and
// SanitizeLine leaves it unchanged.
func SanitizeLine(s string) string {
	if isPlainLine(s) {
		return s
	}
	var b strings.Builder
	cutOut, cutIn := 0, 0 // the last piece boundary that leaves room for the marker
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		piece := escapeRune(s[i:i+size], r, size)
		if b.Len()+len(piece) > MaxLineBytes {
			out := b.String()[:cutOut]
			return out + fmt.Sprintf("… (%s bytes cut)", groupThousands(len(s)-cutIn))
		}
		b.WriteString(piece)
		i += size
		if b.Len() <= MaxLineBytes-markerRoom {
			cutOut, cutIn = b.Len(), i
		}
	}
	return b.String()
}

// isPlainLine is the fast path: printable ASCII that fits needs no work.
func isPlainLine(s string) bool {
	if len(s) > MaxLineBytes {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// escapeRune returns what to show for one rune (or one invalid byte) of raw text.
func escapeRune(raw string, r rune, size int) string {
	switch {
	case r == utf8.RuneError && size == 1:
		return fmt.Sprintf(`\x%02x`, raw[0])
	case r == '\r':
		return `\r`
	case r == '\n':
		return `\n`
	case r == '\t':
		return `\t`
	case r < 0x80 && unicode.IsControl(r):
		return fmt.Sprintf(`\x%02x`, r)
	case unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp):
		if r > 0xffff {
			return fmt.Sprintf(`\U%08x`, r)
		}
		return fmt.Sprintf(`\u%04x`, r)
	}
	return raw
}
