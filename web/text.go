package web

import (
	"context"

	"github.com/smtpoauth/smtpoauth/web/i18n"
)

// t is the page's word for a key, in the request's language.
func t(ctx context.Context, key string, args ...any) string { return i18n.T(ctx, key, args...) }

// langOf is the request's language code for <html lang>.
func langOf(ctx context.Context) string { return string(i18n.From(ctx)) }

func otherLangs(ctx context.Context) []i18n.Lang {
	var out []i18n.Lang
	for _, l := range i18n.Supported {
		if l != i18n.From(ctx) {
			out = append(out, l)
		}
	}
	return out
}

var langNames = map[i18n.Lang]string{i18n.EN: "English", i18n.DE: "Deutsch"}
