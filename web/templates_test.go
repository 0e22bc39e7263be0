package web_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/smtpoauth/smtpoauth/web/i18n"
)

// No words for people are left inline in templates: text between tags must come from the
// catalogue ({ t(ctx, "…") }). Symbols, brand and protocol names are allowed.
func TestTemplatesHaveNoInlineText(t *testing.T) {
	text := regexp.MustCompile(`>([^<>{}]+)<`)
	attr := regexp.MustCompile(`(?:placeholder|aria-label|title|label)="([^"]*[A-Za-z]{3,}[^"]*)"`)
	// Protocol and claim names, commands and example addresses are the same in every language.
	allowed := map[string]bool{"smtpoauth": true, "smtpoauth user add": true, "roles": true, "aud": true, "tid": true,
		"appid": true, "oid": true, "recipient@example.com": true}
	files, _ := filepath.Glob("*.templ")
	if len(files) == 0 {
		t.Fatal("no templates found")
	}
	for _, f := range files {
		b, _ := os.ReadFile(f)
		for i, line := range strings.Split(string(b), "\n") {
			trimmed := strings.TrimSpace(line)
			if strings.HasPrefix(trimmed, "//") {
				continue
			}
			for _, m := range text.FindAllStringSubmatch(line, -1) {
				words := strings.TrimSpace(m[1])
				if regexp.MustCompile(`[A-Za-zÄÖÜäöü]{3,}`).MatchString(words) && !allowed[words] {
					t.Errorf("%s:%d: inline text %q: put it in the catalogue", f, i+1, words)
				}
			}
			for _, m := range attr.FindAllStringSubmatch(line, -1) {
				if allowed[m[1]] {
					continue
				}
				t.Errorf("%s:%d: inline attribute text %q: put it in the catalogue", f, i+1, m[1])
			}
			// Text on a line of its own inside an element: a plain word line that is no templ statement.
			if regexp.MustCompile(`^[A-Za-z][A-Za-z ,.;:'’()-]+[.!?]?$`).MatchString(trimmed) && !strings.HasPrefix(trimmed, "if ") &&
				!strings.HasPrefix(trimmed, "for ") && !strings.HasPrefix(trimmed, "case ") && !strings.HasPrefix(trimmed, "default:") &&
				!strings.HasPrefix(trimmed, "else") && !strings.HasPrefix(trimmed, "switch ") && !strings.HasPrefix(trimmed, "package ") &&
				!strings.HasPrefix(trimmed, "import ") && !strings.HasPrefix(trimmed, "return ") && !strings.HasPrefix(trimmed, "templ ") &&
				!strings.HasPrefix(trimmed, "func ") && !strings.HasPrefix(trimmed, "var ") && !strings.HasPrefix(trimmed, "type ") {
				t.Errorf("%s:%d: inline text %q: put it in the catalogue", f, i+1, trimmed)
			}
		}
	}
}

// Every key a template asks for has words in every language; a missing one would show the key
// itself (such as "claims.expires") on the page.
func TestTemplates_EveryKeyHasWordsInEveryLanguage(t *testing.T) {
	key := regexp.MustCompile(`\bt\(ctx, "([a-z0-9_.]+)"\s*[,)]`)
	files, _ := filepath.Glob("*.templ")
	for _, f := range files {
		b, _ := os.ReadFile(f)
		for _, m := range key.FindAllStringSubmatch(string(b), -1) {
			for lang, texts := range i18n.Texts() {
				if _, ok := texts[m[1]]; !ok {
					t.Errorf("%s asks for %q, which has no words in %s", f, m[1], lang)
				}
			}
		}
	}
}
