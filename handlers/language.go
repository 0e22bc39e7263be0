package handlers

import (
	"net/http"

	"github.com/smtpoauth/smtpoauth/web/i18n"
)

// LangCookie remembers the language a person chose in the page.
const LangCookie = "smtpoauth_lang"

// language puts the request's language in its context: the cookie's, else Accept-Language's.
func (s *Server) language(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cookie := ""
		if c, err := r.Cookie(LangCookie); err == nil {
			cookie = c.Value
		}
		l := i18n.Negotiate(cookie, r.Header.Get("Accept-Language"))
		w.Header().Add("Vary", "Accept-Language, Cookie")
		next.ServeHTTP(w, r.WithContext(i18n.WithLang(r.Context(), l)))
	})
}

// setLanguage stores the chosen language in a cookie and goes back to the page.
func (s *Server) setLanguage(w http.ResponseWriter, r *http.Request) {
	l, ok := i18n.Parse(r.PostFormValue("lang"))
	if !ok {
		s.error(w, r, &badRequest{i18n.T(r.Context(), "err.language")})
		return
	}
	http.SetCookie(w, &http.Cookie{Name: LangCookie, Value: string(l), Path: "/", MaxAge: 365 * 24 * 3600,
		SameSite: http.SameSiteLaxMode, Secure: s.secureRequest(r), HttpOnly: true})
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}
