package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strings"

	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/web"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, token string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: s.secureRequest(r),
		SameSite: http.SameSiteLaxMode, MaxAge: maxAge})
}

// safeNext accepts a place to go after sign-in only if it is a path on this console once
// parsed the way a browser would: no scheme or host, no backslash (browsers read it as a slash),
// no control character (browsers drop tabs and line breaks, which turns "/\t/evil.example" into
// "//evil.example"), and no "//" anywhere in the path. Anything else goes to the dashboard.
func safeNext(next string) string {
	if next == "" || len(next) > 2048 || next[0] != '/' || strings.ContainsAny(next, "\\") ||
		strings.IndexFunc(next, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0 {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		!strings.HasPrefix(u.Path, "/") || strings.Contains(u.Path, "//") || strings.ContainsAny(u.Path, "\\") ||
		strings.IndexFunc(u.Path, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0 {
		return "/"
	}
	clean := path.Clean(u.Path)
	if strings.HasPrefix(clean, "//") {
		return "/"
	}
	out := &url.URL{Path: clean, RawQuery: u.RawQuery}
	return out.RequestURI()
}

func (s *Server) signInForm(w http.ResponseWriter, r *http.Request) {
	v := web.SignInView{Page: s.page(r, i18n.T(r.Context(), "signin.title"), ""), Next: safeNext(r.URL.Query().Get("next"))}
	// On a first start nobody can sign in yet: the page says where the setup link is.
	if n, err := s.DB.CountUsers(r.Context()); err == nil && n == 0 {
		v.FirstStart = true
	}
	s.render(w, r, http.StatusOK, web.SignInPage(v))
}

// signIn checks the password under the store's back-off per account and address. An unknown user
// and a wrong password get the same answer, after the same work.
func (s *Server) signIn(w http.ResponseWriter, r *http.Request) {
	name, password, next := strings.TrimSpace(r.PostFormValue("username")), r.PostFormValue("password"), safeNext(r.PostFormValue("next"))
	v := web.SignInView{Page: s.page(r, i18n.T(r.Context(), "signin.title"), ""), Username: name, Next: next}
	u, err := s.DB.SignIn(r.Context(), name, password, s.clientAddr(r))
	var te *store.ThrottledError
	switch {
	case errors.As(err, &te):
		secs := int(te.Wait.Seconds() + 0.999)
		if !te.Repeat {
			s.audit(r, "signin.throttled", name, "")
		}
		v.Error = i18n.T(r.Context(), "signin.wait", secs)
		w.Header().Set("Retry-After", fmt.Sprint(secs))
		s.render(w, r, http.StatusTooManyRequests, web.SignInPage(v))
		return
	case errors.Is(err, store.ErrBadCredentials):
		s.audit(r, "signin.failed", name, "")
		v.Error = i18n.T(r.Context(), "signin.wrong")
		s.render(w, r, http.StatusUnauthorized, web.SignInPage(v))
		return
	case err != nil:
		s.error(w, r, err)
		return
	}
	s.startSession(w, r, u, "signin")
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// startSession always issues a new session ID: one planted in the browser before sign-in
// (session fixation) is never promoted.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u *store.User, action string) {
	if c, err := r.Cookie(SessionCookie); err == nil {
		s.DB.EndSession(r.Context(), c.Value)
	}
	token, err := s.DB.CreateSession(r.Context(), u.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.setSessionCookie(w, r, token, int(s.security.SessionPolicy.Absolute.Seconds()))
	r2 := r.WithContext(context.WithValue(r.Context(), userKey, u))
	s.audit(r2, action, u.Username, "role "+u.Role)
}

func (s *Server) signOut(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(SessionCookie); err == nil {
		s.DB.EndSession(r.Context(), c.Value)
	}
	s.audit(r, "signout", currentUser(r), "")
	s.setSessionCookie(w, r, "", -1)
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}

func (s *Server) signOutEverywhere(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r)
	if err := s.DB.EndAllSessions(r.Context(), u.ID); err != nil {
		s.error(w, r, err)
		return
	}
	s.audit(r, "signout.everywhere", u.Username, "")
	s.setSessionCookie(w, r, "", -1)
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}
