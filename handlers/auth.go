package handlers

import (
	"context"
	"net/http"
	"net/netip"
	"net/url"
	"strings"

	"github.com/smtpoauth/smtpoauth/store"
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
	return store.AnonymousActor
}

// loadSession puts the session's user, if any, in the request context.
func (s *Server) loadSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The API takes no cookies: its requests are not even looked up as sessions.
		if c, err := r.Cookie(SessionCookie); err == nil && !isAPIPath(r) {
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
	return [...]string{"public", "signed-in", "admin", "api token", "api token (admin)", "metrics reader"}[a]
}

// require enforces a route's access on the server, whatever the page shows.
func (s *Server) require(a Access) func(http.Handler) http.Handler {
	switch {
	case a.isAPI():
		return s.requireToken(a)
	case a == MetricsReader:
		return s.requireMetrics
	}
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
	// Every X-Forwarded-For line counts: a proxy may append its own line rather than extend the
	// client's, and the client's line is the one it can forge. Walk the combined list from the
	// right: the first hop that is not a trusted proxy is the client.
	var hops []string
	for _, line := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(line, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		hop := strings.TrimSpace(hops[i])
		if hop == "" {
			continue
		}
		a, ok := parseHop(hop)
		if !ok {
			// A hop a proxy wrote in a form we can't read is still that client, not the proxy:
			// falling back to the proxy's address would give everyone one identity.
			return unknownHop(hop)
		}
		if !s.trusted(a) {
			return a.String()
		}
	}
	return addr.String()
}

// parseHop reads one X-Forwarded-For hop: an address, or address and port as some proxies
// write it (ip:port, [v6]:port).
func parseHop(hop string) (netip.Addr, bool) {
	if a, err := netip.ParseAddr(hop); err == nil {
		return a.Unmap(), true
	}
	if ap, err := netip.ParseAddrPort(hop); err == nil {
		return ap.Addr().Unmap(), true
	}
	if a, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(hop, "["), "]")); err == nil {
		return a.Unmap(), true
	}
	return netip.Addr{}, false
}

// unknownHop is the key of a client whose forwarded hop can't be read: its own, bounded and
// printable, so such clients neither share one identity nor grow the audit log.
func unknownHop(hop string) string {
	const max = 40
	var b strings.Builder
	b.WriteString("unknown:")
	for _, r := range hop {
		if b.Len() >= max {
			break
		}
		if r < 0x21 || r > 0x7e {
			r = '?'
		}
		b.WriteRune(r)
	}
	return b.String()
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

// audit records who did what; a failure to write is logged, never shown. It is written even if
// the client has left: what was done (or tried) was done.
func (s *Server) audit(r *http.Request, action, target, detail string) {
	err := s.DB.Audit(context.WithoutCancel(r.Context()), store.AuditEntry{Actor: currentUser(r), Action: action, Target: target, Detail: detail, RemoteAddr: s.clientAddr(r)})
	if err != nil {
		s.Log.Error("writing the audit log", "action", action, "err", err)
	}
}
