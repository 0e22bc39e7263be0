package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/web"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

// SessionCookie is the name of the session cookie.
const SessionCookie = "smtpoauth_session"

type ctxKey int

const userKey ctxKey = 1

// userFrom returns the signed-in user, or nil.
func userFrom(r *http.Request) *store.User {
	u, _ := r.Context().Value(userKey).(*store.User)
	return u
}

// currentUser names who did something, for runs and the audit log.
func currentUser(r *http.Request) string {
	if u := userFrom(r); u != nil {
		return u.Username
	}
	return "anonymous"
}

// loadSession puts the session's user, if any, in the request context.
func (s *Server) loadSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie(SessionCookie); err == nil {
			if u, err := s.DB.SessionUser(r.Context(), c.Value, s.security.SessionPolicy); err == nil {
				r = r.WithContext(context.WithValue(r.Context(), userKey, u))
			}
		}
		next.ServeHTTP(w, r)
	})
}

// Access is who may use a route.
type Access int

// Access levels, from open to admin-only.
const (
	Public Access = iota
	SignedIn
	AdminOnly
)

func (a Access) String() string {
	return [...]string{"public", "signed-in", "admin"}[a]
}

// require enforces a route's access on the server, whatever the page shows.
func (s *Server) require(a Access) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			u := userFrom(r)
			switch {
			case a == Public:
			case u == nil:
				if r.Method == http.MethodGet && !isHTMX(r) && r.Header.Get("Accept") != "text/event-stream" {
					http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
					return
				}
				s.error(w, r, errSignInRequired)
				return
			case a == AdminOnly && !u.IsAdmin():
				s.audit(r, "access.denied", r.Method+" "+r.URL.Path, "")
				s.error(w, r, errAdminOnly)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

var (
	errSignInRequired = &statusError{status: http.StatusUnauthorized, titleKey: "err.signin_title", msgKey: "err.signin"}
	errAdminOnly      = &statusError{status: http.StatusForbidden, titleKey: "err.admin_title", msgKey: "err.admin"}
	errSetupLink      = &statusError{status: http.StatusGone, titleKey: "err.setup_title", msgKey: "err.setup"}
)

// statusError is an error with its own status and words: catalogue keys, translated when shown.
type statusError struct {
	status           int
	titleKey, msgKey string
	args             []any
	// msg, if set, is already in the reader's words (a store message in their language).
	msg string
}

func (e *statusError) Error() string { return i18n.Tr(i18n.EN, e.msgKey, e.args...) }

func (e *statusError) words(ctx context.Context) (title, message string) {
	if e.msg != "" {
		return i18n.T(ctx, e.titleKey), e.msg
	}
	return i18n.T(ctx, e.titleKey), i18n.T(ctx, e.msgKey, e.args...)
}

// clientAddr is the client's address: the connection's, or the one a trusted proxy forwarded.
// Forwarded headers from anyone else are ignored.
func (s *Server) clientAddr(r *http.Request) string {
	peer, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	addr := peer.Addr().Unmap()
	if !s.trusted(addr) {
		return addr.String()
	}
	// Walk X-Forwarded-For from the right: the first hop that is not a trusted proxy is the client.
	hops := strings.Split(r.Header.Get("X-Forwarded-For"), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		if !s.trusted(a.Unmap()) {
			return a.Unmap().String()
		}
	}
	return addr.String()
}

func (s *Server) trusted(a netip.Addr) bool {
	for _, p := range s.security.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// secureRequest reports HTTPS: served over TLS, or a trusted proxy says the browser used it.
func (s *Server) secureRequest(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	peer, err := netip.ParseAddrPort(r.RemoteAddr)
	return err == nil && s.trusted(peer.Addr().Unmap()) && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

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
	s.render(w, r, http.StatusOK, web.SignInPage(web.SignInView{Page: s.page(r, i18n.T(r.Context(), "signin.title"), ""), Next: safeNext(r.URL.Query().Get("next"))}))
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
		s.audit(r, "signin.throttled", name, "")
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

func (s *Server) setupForm(w http.ResponseWriter, r *http.Request) {
	if !s.DB.SetupTokenValid(r.Context(), chi.URLParam(r, "token")) {
		s.error(w, r, errSetupLink)
		return
	}
	s.render(w, r, http.StatusOK, web.SetupPage(web.SetupView{Page: s.page(r, i18n.T(r.Context(), "setup.title"), "")}))
}

func (s *Server) setup(w http.ResponseWriter, r *http.Request) {
	name, password := strings.TrimSpace(r.PostFormValue("username")), r.PostFormValue("password")
	// The link first: a wrong one must cost nothing, least of all a password hash.
	if !s.DB.SetupTokenValid(r.Context(), chi.URLParam(r, "token")) {
		s.error(w, r, errSetupLink)
		return
	}
	if password != r.PostFormValue("password2") {
		s.render(w, r, http.StatusUnprocessableEntity, web.SetupPage(web.SetupView{Page: s.page(r, i18n.T(r.Context(), "setup.title"), ""), Username: name,
			Errors: map[string]string{"password2": i18n.T(r.Context(), "setup.differ")}}))
		return
	}
	u, err := s.DB.UseSetupToken(r.Context(), chi.URLParam(r, "token"), name, password)
	var ve *store.ValidationError
	switch {
	case errors.As(err, &ve):
		s.render(w, r, http.StatusUnprocessableEntity, web.SetupPage(web.SetupView{Page: s.page(r, i18n.T(r.Context(), "setup.title"), ""), Username: name, Errors: ve.In(langOf(r))}))
		return
	case errors.Is(err, store.ErrSetupLinkInvalid):
		s.audit(r, "setup.refused", name, "used or expired setup link")
		s.error(w, r, errSetupLink)
		return
	case err != nil:
		s.error(w, r, err)
		return
	}
	s.audit(r, "user.created", u.Username, "first administrator, through the setup link")
	s.startSession(w, r, u, "signin")
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// audit records who did what; a failure to write is logged, never shown. It is written even if
// the client has left: what was done (or tried) was done.
func (s *Server) audit(r *http.Request, action, target, detail string) {
	err := s.DB.Audit(context.WithoutCancel(r.Context()), store.AuditEntry{Actor: currentUser(r), Action: action, Target: target, Detail: detail, RemoteAddr: s.clientAddr(r)})
	if err != nil {
		s.Log.Error("writing the audit log", "action", action, "err", err)
	}
}

// SetupLink creates a one-time link for the first administrator when there is no user yet.
func (s *Server) SetupLink(ctx context.Context, baseURL string) (string, error) {
	n, err := s.DB.CountUsers(ctx)
	if err != nil || n > 0 {
		return "", err
	}
	token, err := s.DB.CreateSetupToken(ctx, time.Hour)
	if err != nil {
		return "", err
	}
	return strings.TrimRight(baseURL, "/") + "/setup/" + token, nil
}
