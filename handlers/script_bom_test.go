package handlers_test

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// The downloaded .ps1 starts with the UTF-8 byte-order mark, in English and in German, so that
// Windows PowerShell 5.1 (which reads a file without one in the ANSI code page) shows umlauts.
func TestSetupScript_DownloadIsUTF8WithBOM(t *testing.T) {
	c := newConsole(t)
	c.runScenario(t, "works")
	for _, lang := range []string{"en", "de"} {
		c.post(t, "/lang", url.Values{"lang": {lang}})
		_, script := c.get(t, "/profiles/1/setup.ps1")
		b := []byte(script)
		if len(b) < 3 || b[0] != 0xEF || b[1] != 0xBB || b[2] != 0xBF {
			t.Fatalf("%s: the script starts with % x, want the UTF-8 BOM ef bb bf", lang, b[:min(len(b), 3)])
		}
		if !utf8.Valid(b) || strings.Count(script, "\ufeff") != 1 {
			t.Fatalf("%s: the script is not UTF-8 with one BOM", lang)
		}
		if lang == "de" && !strings.ContainsAny(script, "äöüÄÖÜß") {
			t.Fatal("de: the German script has no umlaut to protect: the test checks nothing")
		}
	}
}
