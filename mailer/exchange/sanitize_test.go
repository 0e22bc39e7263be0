package exchange_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/mailer/exchange"
	"github.com/smtpoauth/smtpoauth/mailer/mailertest"
)

// hostileBanner is a greeting an on-path attacker could send before TLS: bare CRs that would start
// event-stream fields, a terminal escape, a line separator, a bidi override and a byte that is not UTF-8.
const hostileBanner = "220 mx\revent: done\rdata: fake\x1b[31m\u2028\u202e\xff"

// assertSafeLine fails when a transcript line could break out of its line anywhere it is shown.
func assertSafeLine(tb testing.TB, text string) {
	tb.Helper()
	if !utf8.ValidString(text) {
		tb.Errorf("line is not UTF-8: %q", text)
	}
	if len(text) > exchange.MaxLineBytes {
		tb.Errorf("line is %d bytes, want at most %d", len(text), exchange.MaxLineBytes)
	}
	for _, r := range text {
		if r < 0x20 || (r >= 0x7f && r < 0xa0) || r == '\u2028' || r == '\u2029' || r == '\u202e' {
			tb.Errorf("line holds control character %U: %q", r, text)
		}
	}
}

func TestCheck_HostileBannerShownEscaped(t *testing.T) {
	srv, scenarios := mustFake(t)
	srv.SetFaults(mailertest.Faults{Replies: map[string]string{"BANNER": hostileBanner}})
	res, streamed := runScenario(t, srv, mustScenario(t, scenarios, "works"))
	want := `220 mx\revent: done\rdata: fake\x1b[31m\u2028\u202e\xff`
	var banner *mailer.Event
	for i, e := range streamed {
		assertSafeLine(t, e.Text)
		if e.Dir == mailer.Server && e.Stage == mailer.StageBanner {
			banner = &streamed[i]
		}
	}
	if banner == nil || banner.Text != want {
		t.Fatalf("banner line: got %+v, want text %q", banner, want)
	}
	txt := mailer.RenderText(res.Events)
	if strings.Contains(txt, "\r") || strings.Count(txt, "\n") != len(res.Events) || !strings.Contains(txt, want) {
		t.Errorf("text transcript is not one escaped line per event:\n%q", txt)
	}
	js, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(js), `220 mx\\revent: done\\rdata: fake\\x1b[31m\\u2028\\u202e\\xff`) {
		t.Errorf("JSON transcript does not show the escapes:\n%s", js)
	}
}

// A server that sends an endless line is a protocol error with a bounded line in the transcript,
// not a console that fills its memory.
func TestCheck_EndlessReplyLineIsAProtocolErrorWithACutLine(t *testing.T) {
	srv, scenarios := mustFake(t)
	srv.SetFaults(mailertest.Faults{Replies: map[string]string{"BANNER": "220 " + strings.Repeat("a", 100_000)}})
	res, streamed := runScenario(t, srv, mustScenario(t, scenarios, "works"))
	var ne *mailer.NetError
	if !errors.As(res.Err, &ne) || ne.Kind != "protocol" || res.Stage != mailer.StageBanner {
		t.Fatalf("got %v at %s, want a protocol error at the banner", res.Err, res.Stage)
	}
	var cut bool
	for _, e := range streamed {
		assertSafeLine(t, e.Text)
		cut = cut || strings.HasSuffix(e.Text, " bytes cut)")
	}
	if !cut {
		t.Fatal("no transcript line says it was cut")
	}
}

func TestSanitizeLine(t *testing.T) {
	long := strings.Repeat("x", exchange.MaxLineBytes+10)
	for _, tc := range []struct{ name, in, want string }{
		{"OK", "250 2.0.0 OK <a@b>", "250 2.0.0 OK <a@b>"},
		{"CRAndLF", "a\rb\nc\r\n", `a\rb\nc\r\n`},
		{"C0AndDEL", "\x00\x07\x1b[2J\x7f\t", `\x00\x07\x1b[2J\x7f\t`},
		{"C1", "a\u0085b\u009bc", `a\u0085b\u009bc`},
		{"Separators", "a\u2028b\u2029c", `a\u2028b\u2029c`},
		{"Bidi", "\u202eevil\u2066\u200f", `\u202eevil\u2066\u200f`},
		{"InvalidUTF8", "a\xffb\xc3", `a\xffb\xc3`},
		{"PrintableUnicodeKept", "Grüße – ✓", "Grüße – ✓"},
		{"LongCut", long, strings.Repeat("x", exchange.MaxLineBytes-48) + "… (58 bytes cut)"},
		{"ExactlyMaxKept", long[:exchange.MaxLineBytes], long[:exchange.MaxLineBytes]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := exchange.SanitizeLine(tc.in)
			if got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
			if again := exchange.SanitizeLine(got); again != got {
				t.Fatalf("not stable: %q became %q", got, again)
			}
		})
	}
}
