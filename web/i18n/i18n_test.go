package i18n_test

import (
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/web/i18n"
)

var verb = regexp.MustCompile(`%(\[[0-9]+\])?[-+# 0]*[0-9]*(\.[0-9]+)?[sdvq]`)

// Every key exists in both languages, with the same placeholders, and the German is German.
func TestCatalogueComplete(t *testing.T) {
	same, texts := 0, i18n.Texts()
	for key, en := range texts[i18n.EN] {
		m := [2]string{en, texts[i18n.DE][key]}
		if m[0] == "" || m[1] == "" {
			t.Errorf("%s: missing a language: %q", key, m)
		}
		if a, b := verb.FindAllString(m[0], -1), verb.FindAllString(m[1], -1); len(a) != len(b) {
			t.Errorf("%s: placeholders differ: %v / %v", key, a, b)
		}
		if m[0] == m[1] {
			same++
		}
	}
	// Names such as "Cloud", "TLS" or "Token" are the same in both; most text is not.
	if same > len(texts[i18n.EN])/8 {
		t.Errorf("%d of %d keys are identical in both languages: untranslated?", same, len(texts[i18n.EN]))
	}
}

func TestNegotiate(t *testing.T) {
	cases := []struct {
		cookie, header string
		want           i18n.Lang
	}{
		{"", "", i18n.EN},
		{"", "de-DE,de;q=0.9,en;q=0.8", i18n.DE},
		{"", "en-US,en;q=0.9,de;q=0.8", i18n.EN},
		{"", "fr-FR,fr;q=0.9,de;q=0.5", i18n.DE},
		{"", "fr", i18n.EN},
		{"en", "de", i18n.EN},
		{"de", "en", i18n.DE},
		{"xx", "de-AT", i18n.DE},
	}
	for _, c := range cases {
		if got := i18n.Negotiate(c.cookie, c.header); got != c.want {
			t.Errorf("Negotiate(%q, %q) = %s, want %s", c.cookie, c.header, got, c.want)
		}
	}
}

func TestFormats(t *testing.T) {
	d := time.Date(2026, 11, 28, 15, 4, 5, 0, time.UTC)
	if got := i18n.Date(i18n.DE, d); got != "28.11.2026" {
		t.Errorf("German date: %s", got)
	}
	if got := i18n.Date(i18n.EN, d); got != "2026-11-28" {
		t.Errorf("English date: %s", got)
	}
	if got := i18n.DateTime(i18n.DE, d); got != "28.11.2026, 15:04:05 UTC" {
		t.Errorf("German date and time: %s", got)
	}
	if got := i18n.Int(i18n.DE, 1234567); got != "1.234.567" {
		t.Errorf("German number: %s", got)
	}
	if got := i18n.Int(i18n.EN, -1234); got != "-1,234" {
		t.Errorf("English number: %s", got)
	}
	ctx := i18n.WithLang(context.Background(), i18n.DE)
	if got := i18n.T(ctx, "nav.connections"); got != "Verbindungen" {
		t.Errorf("T in German: %s", got)
	}
	if got := i18n.T(context.Background(), "no.such.key"); got != "no.such.key" {
		t.Errorf("a missing key must show itself, got %q", got)
	}
}
