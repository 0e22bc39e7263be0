package i18n_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

// samples fill a note's format as the checker does; formats whose arguments have a shape of their
// own get a real example.
var samples = map[string][]string{
	"requesting an app-only token from %s (scope %s, client %s, %s)": {
		"requesting an app-only token from https://login.example/t/oauth2/v2.0/token (scope https://outlook.office365.com/.default, client 1111, client secret)",
		"requesting an app-only token from https://login.example/t/oauth2/v2.0/token (scope https://outlook.office365.com/.default, client 1111, certificate 0123ABCD)"},
	"token received: %s": {"token received: bearer token 1,503 bytes, sha256 1c0c9fc2…"},
	"claim %s %s: %s":    {"claim aud ok: ", "claim roles PROBLEM: no SMTP.SendAsApp"},
	"%v":                 nil, // the token's decoding error, as Go words it
	"%s":                 {"no answer within the reply timeout", "the server closed the connection"},
	"reusing the token an earlier test of this connection fetched (expires %s): %s": {"reusing the token an earlier test of this connection fetched (expires 2026-12-01T19:00:00Z): bearer token 1,503 bytes, sha256 1c0c9fc2…"},
	"TLS established: %s, %s": {"TLS established: TLS 1.3, TLS_AES_128_GCM_SHA256"},
}

var formatVerb = regexp.MustCompile(`%[sdvq]`)

// Every note the checker writes has German words: the checker's formats are read from its source,
// so a new note without a translation fails here (issue 13: transcript notes stayed English).
func TestEventText_EveryCheckerNoteInGerman(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "mailer", "exchange", "*.go"))
	call := regexp.MustCompile(`infof\([^,]+, "((?:[^"\\]|\\.)*)"`)
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range call.FindAllStringSubmatch(string(b), -1) {
			format := strings.ReplaceAll(m[1], `\"`, `"`)
			lines, ok := samples[format]
			if !ok {
				lines = []string{formatVerb.ReplaceAllStringFunc(format, func(v string) string {
					switch v {
					case "%d":
						return "7"
					case "%q":
						return `"x y"`
					}
					return "sample-value"
				})}
			}
			for _, line := range lines {
				n++
				e := mailer.Event{Dir: mailer.Info, Text: line}
				if got := i18n.EventText(i18n.DE, e); got == line {
					t.Errorf("%s: the note %q has no German words", filepath.Base(f), line)
				}
				if got := i18n.EventText(i18n.EN, e); got != line {
					t.Errorf("the English note %q became %q", line, got)
				}
			}
		}
	}
	if n < 20 {
		t.Fatalf("found %d notes in the checker's source, want its 20 and more: is the pattern stale?", n)
	}
}

// What client and server said is shown exactly as it was said, in every language.
func TestEventText_ProtocolLinesVerbatim(t *testing.T) {
	for _, e := range []mailer.Event{{Dir: mailer.Server, Text: "535 5.7.3 Authentication unsuccessful"}, {Dir: mailer.Client, Text: "EHLO [127.0.0.1]"}} {
		if got := i18n.EventText(i18n.DE, e); got != e.Text {
			t.Errorf("got %q, want %q", got, e.Text)
		}
	}
}

// The fleet runner's note between two tries of one run reads in German too.
func TestEventText_FleetRetryNoteInGerman(t *testing.T) {
	e := mailer.Event{Dir: mailer.Info, Text: "try 1 of 4 ended with a temporary failure (432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded); trying again in 2s"}
	got := i18n.EventText(i18n.DE, e)
	if !strings.HasPrefix(got, "Versuch 1 von 4 endete mit einem vorübergehenden Fehler (432 4.3.2") {
		t.Fatalf("German retry note: %q", got)
	}
}
