package handlers

import (
	"context"
	"encoding/base64"
	"net/http"
	"strings"

	"github.com/smtpoauth/smtpoauth/web/i18n"
)

// noticeCookie carries a confirmation ("saved", "deleted") across the redirect after a change,
// to be shown once on the next page.
const noticeCookie = "smtpoauth_notice"

// notices are the confirmations a cookie may name: a cookie can only choose among these texts,
// never bring its own.
var notices = map[string]bool{"profile_created": true, "profile_created_only": true, "profile_saved": true, "profile_saved_run": true,
	"profile_deleted": true, "notes_saved": true, "user_created": true, "user_deleted": true, "token_revoked": true}

type noticeKey struct{}

// setNotice asks the next page to confirm a change; arg is the name of what changed.
func (s *Server) setNotice(w http.ResponseWriter, r *http.Request, key, arg string) {
	http.SetCookie(w, &http.Cookie{Name: noticeCookie, Value: key + "." + base64.RawURLEncoding.EncodeToString([]byte(arg)),
		Path: "/", MaxAge: 60, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secureRequest(r)})
}

// takeNotice hands a pending confirmation to the page being loaded and clears it, so it shows
// once. htmx fragments and the live transcript's stream leave it for the page itself.
func (s *Server) takeNotice(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(noticeCookie)
		if err != nil || r.Method != http.MethodGet || isHTMX(r) || strings.Contains(r.Header.Get("Accept"), "text/event-stream") {
			next.ServeHTTP(w, r)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: noticeCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
			SameSite: http.SameSiteLaxMode, Secure: s.secureRequest(r)})
		key, enc, _ := strings.Cut(c.Value, ".")
		arg, err := base64.RawURLEncoding.DecodeString(enc)
		if !notices[key] || err != nil || len(arg) > 200 {
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), noticeKey{}, [2]string{key, string(arg)})))
	})
}

// noticeText is the page's confirmation in the reader's language, empty when there is none.
func noticeText(ctx context.Context) string {
	n, ok := ctx.Value(noticeKey{}).([2]string)
	if !ok {
		return ""
	}
	if n[1] == "" {
		return i18n.T(ctx, "notice."+n[0])
	}
	return i18n.T(ctx, "notice."+n[0], n[1])
}
