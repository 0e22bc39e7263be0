// Package i18n is the one text catalogue: it turns every code the console, the store and the
// mailer emit into English or German, picks the language of a request, and formats dates and
// numbers for it. Package mailer and package store speak in codes and arguments (mailer.Message),
// never in sentences. Adding a language is adding its files (like en.go, en_diagnosis.go and
// en_setup.go), a Lang constant, and one line in files; the tests then name every missing text.
package i18n

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Lang is a supported language.
type Lang string

// The console's languages. English is the fallback.
const (
	EN Lang = "en"
	DE Lang = "de"
)

// Supported lists the languages in the order the switcher shows them.
var Supported = []Lang{EN, DE}

// Parse accepts "en", "de" and their regional forms ("de-AT"); anything else is not supported.
func Parse(s string) (Lang, bool) {
	base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(s)), "-")
	for _, l := range Supported {
		if string(l) == base {
			return l, true
		}
	}
	return EN, false
}

// Negotiate picks the language: the cookie's if set, else the best of Accept-Language.
func Negotiate(cookie, acceptLanguage string) Lang {
	if l, ok := Parse(cookie); ok {
		return l
	}
	best, bestQ := EN, -1.0
	for _, part := range strings.Split(acceptLanguage, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		if l, ok := Parse(tag); ok && q > bestQ {
			best, bestQ = l, q
		}
	}
	return best
}

type ctxKey struct{}

// WithLang returns a context that carries the language.
func WithLang(ctx context.Context, l Lang) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// From returns the context's language, English if none.
func From(ctx context.Context) Lang {
	if l, ok := ctx.Value(ctxKey{}).(Lang); ok {
		return l
	}
	return EN
}

// T translates a key for the context's language, formatting args into it.
func T(ctx context.Context, key string, args ...any) string { return Tr(From(ctx), key, args...) }

// languages maps each supported language to its texts, which live in one file per language and
// part (en.go for pages, forms and the store, en_diagnosis.go for diagnoses, en_setup.go for the
// checklist and the setup script, en_models.go for the two authorisation models). English is the reference: a key missing in another language
// falls back to it, and TestEveryCodeInEveryLanguage keeps that from happening.
var languages = map[Lang]map[string]string{EN: merge(files[EN]...), DE: merge(files[DE]...)}

// files lists each language's maps; a key belongs to exactly one of them (TestRegistry_NoKeyTwice).
var files = map[Lang][]map[string]string{EN: {en, enDiagnosis, enSetup, enReplies, enModels, enTokens, enFleet, enRun, enEvents, enForms, enFleetRuns}, DE: {de, deDiagnosis, deSetup, deReplies, deModels, deTokens, deFleet, deRun, deEvents, deForms, deFleetRuns}}

func merge(parts ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, p := range parts {
		for k, v := range p {
			out[k] = v
		}
	}
	return out
}

// Tr translates a key for a language, formatting args into it; without args the text is shown as
// it is. A missing key shows itself, so it is noticed; TestEveryCodeInEveryLanguage and
// TestCatalogueComplete make sure none is missing.
func Tr(l Lang, key string, args ...any) string {
	s, ok := languages[l][key]
	if !ok {
		if s, ok = languages[EN][key]; !ok {
			return key
		}
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// Texts lists every key with its text in each language, for tests.
func Texts() map[Lang]map[string]string { return languages }

// Date formats a day as the language writes it.
func Date(l Lang, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if l == DE {
		return t.UTC().Format("02.01.2006")
	}
	return t.UTC().Format("2006-01-02")
}

// DateTime formats a moment (UTC) as the language writes it.
func DateTime(l Lang, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if l == DE {
		return t.UTC().Format("02.01.2006, 15:04:05") + " UTC"
	}
	return t.UTC().Format("2006-01-02 15:04:05") + " UTC"
}

// Int formats a whole number with the language's thousands separator.
func Int(l Lang, n int64) string {
	sep := ","
	if l == DE {
		sep = "."
	}
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + sep + s[i:]
	}
	if neg {
		return "-" + s
	}
	return s
}
