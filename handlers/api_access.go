package handlers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5/middleware"

	"github.com/smtpoauth/smtpoauth/store"
)

// Access levels of the API and of /metrics. They are checked on a bearer token, never on a
// session: the API takes no cookies, so a page on another site can never ride a signed-in
// browser's session into it.
const (
	// APIReader is any token with the api scope: the help desk's rights.
	APIReader Access = AdminOnly + 1 + iota
	// APIAdmin is a token with the api scope and the admin role.
	APIAdmin
	// MetricsReader is an admin's session, a token with the metrics scope, or an allowed address.
	MetricsReader
)

// isAPI reports the access levels that take a bearer token instead of a session.
func (a Access) isAPI() bool { return a == APIReader || a == APIAdmin }

// Integrations configure the API and /metrics.
type Integrations struct {
	// MetricsAllowed may read /metrics without a token (a Prometheus on a trusted network).
	MetricsAllowed []netip.Prefix
	// MetricsNames adds connection names and tenant IDs as labels; off, connections are known
	// by their ID only (cardinality, and tenants are nobody's business in a monitoring system).
	MetricsNames bool
}

// apiState is the API's and metrics' part of the Server.
type apiState struct {
	once    sync.Once
	metrics *metrics
	// scrapes notes when each token's /metrics reads were last audited.
	scrapesMu sync.Mutex
	scrapes   map[int64]time.Time
}

const tokenKey ctxKey = 2

// isAPIPath reports a request for the API, which answers in problem details, never pages.
func isAPIPath(r *http.Request) bool {
	return r.URL.Path == "/api" || strings.HasPrefix(r.URL.Path, "/api/")
}

// Refusals of the API, each with a code a script can test.
var (
	errTokenRequired = &apiProblem{status: http.StatusUnauthorized, code: "token_required", detail: "send an API token: Authorization: Bearer smtpoauth_…"}
	errCookieRefused = &apiProblem{status: http.StatusUnauthorized, code: "cookie_not_accepted", detail: "the API does not accept the console's session cookie: send an API token in Authorization: Bearer"}
	errTokenInvalid  = &apiProblem{status: http.StatusUnauthorized, code: "token_invalid", detail: "this API token is not known: check it was copied whole, or create a new one"}
	errTokenUnusable = &apiProblem{status: http.StatusUnauthorized, code: "token_unusable", detail: "this API token was revoked or has expired: ask an administrator for a new one"}
	errTokenScope    = &apiProblem{status: http.StatusForbidden, code: "scope_missing", detail: "this API token may not be used here: it lacks the scope"}
	errTokenRole     = &apiProblem{status: http.StatusForbidden, code: "admin_only", detail: "only a token with the admin role may do this"}
	errCrossOrigin   = &apiProblem{status: http.StatusForbidden, code: "cross_origin", detail: "the API refuses requests from web pages of other origins"}
)

// bearer returns the request's bearer token, "" when there is none.
func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", h != ""
	}
	return strings.TrimSpace(token), true
}

// authenticate finds the request's token and checks it is usable and has scope. A refusal of a
// known token is audited under its name; every refusal is audited.
func (s *Server) authenticate(r *http.Request, scope string) (*store.APIToken, error) {
	token, present := bearer(r)
	if !present {
		if _, err := r.Cookie(SessionCookie); err == nil {
			s.auditAnonymousRefusal(r, "cookie instead of a token")
			return nil, errCookieRefused
		}
		return nil, errTokenRequired
	}
	t, err := s.DB.LookupAPIToken(r.Context(), token)
	switch {
	case errors.Is(err, store.ErrTokenUnusable):
		s.auditAs(r, tokenActor(t), "api.refused", "revoked or expired token")
		return nil, errTokenUnusable
	case errors.Is(err, store.ErrNotFound):
		s.auditAnonymousRefusal(r, "unknown token")
		return nil, errTokenInvalid
	case err != nil:
		return nil, err
	case !t.HasScope(scope):
		s.auditAs(r, tokenActor(t), "access.denied", "token lacks the "+scope+" scope")
		return nil, errTokenScope
	}
	return t, nil
}

func tokenActor(t *store.APIToken) string { return "token:" + t.Name }

// auditAnonymousRefusal records a refusal that names no known token, at most once a minute per
// client address (the first of each minute stands for the rest): anyone can send these.
func (s *Server) auditAnonymousRefusal(r *http.Request, detail string) {
	if ok, _ := s.anonRefusals.allow(s.clientAddr(r), s.now()); ok {
		s.auditAs(r, store.AnonymousActor, "api.refused", detail)
	}
}

// auditAs records an API request under an actor that is not (yet) in the request's context.
func (s *Server) auditAs(r *http.Request, actor, action, detail string) {
	err := s.DB.Audit(context.WithoutCancel(r.Context()), store.AuditEntry{Actor: actor, Action: action,
		Target: r.Method + " " + r.URL.Path, Detail: detail, RemoteAddr: s.clientAddr(r)})
	if err != nil {
		s.Log.Error("writing the audit log", "action", action, "err", err)
	}
}

// requireToken enforces an API route's access. The token stands in for a user: runs it starts
// and changes it makes are recorded as "token:NAME", and its role decides as a person's would.
// Every use is audited with the token's name and the answer's status.
func (s *Server) requireToken(a Access) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			t, err := s.authenticate(r, store.ScopeAPI)
			if err != nil {
				s.apiError(w, r, err)
				return
			}
			if a == APIAdmin && !t.IsAdmin() {
				s.auditAs(r, tokenActor(t), "access.denied", "role "+t.Role)
				s.apiError(w, r, errTokenRole)
				return
			}
			ctx := context.WithValue(r.Context(), userKey, &store.User{Username: tokenActor(t), Role: t.Role})
			r = r.WithContext(context.WithValue(ctx, tokenKey, t))
			ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
			next.ServeHTTP(ww, r)
			s.audit(r, "api.request", r.Method+" "+r.URL.Path, fmt.Sprintf("status %d", ww.Status()))
			s.apiMetrics().apiRequest(t.Name, ww.Status())
		})
	}
}

// refuseCrossOrigin refuses any API request a browser made for a page of another origin, reads
// included: the API sends no CORS headers, and this makes the refusal explicit and logged.
// Scripts send neither Origin nor Sec-Fetch-Site and pass.
func (s *Server) refuseCrossOrigin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isAPIPath(r) {
			next.ServeHTTP(w, r)
			return
		}
		site := r.Header.Get("Sec-Fetch-Site")
		cross := site != "" && site != "same-origin" && site != "none"
		if o := r.Header.Get("Origin"); o != "" {
			u, err := url.Parse(o)
			cross = cross || err != nil || u.Host != r.Host
		}
		if cross || r.Method == http.MethodOptions {
			s.auditAnonymousRefusal(r, "cross-origin request from "+truncateOrigin(r.Header.Get("Origin")))
			s.apiError(w, r, errCrossOrigin)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func truncateOrigin(o string) string {
	if len(o) > 100 {
		return o[:100]
	}
	if o == "" {
		return "an unknown origin"
	}
	return o
}

// uploadAPIRoutes take a certificate and its private key.
var uploadAPIRoutes = map[string]bool{"POST /api/v1/connections": true, "PATCH /api/v1/connections/{id}": true}

// readAPIBody reads a JSON body into memory within the route's limit, the way readBody reads a
// form, then lifts the read deadline so that a long handler keeps its context.
func (s *Server) readAPIBody(rt Route) func(http.Handler) http.Handler {
	limit := s.limits.Form
	if uploadAPIRoutes[rt.Method+" "+rt.Pattern] {
		limit = s.limits.Upload
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Body == nil || r.Body == http.NoBody || r.ContentLength == 0 {
				next.ServeHTTP(w, r)
				return
			}
			body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
			if err != nil {
				w.Header().Set("Connection", "close")
				berr := s.bodyError(err, limit)
				var se *statusError
				if errors.As(berr, &se) {
					berr = &apiProblem{status: se.status, code: problemCode(se), detail: se.Error()}
				}
				s.apiError(w, r.WithContext(context.WithoutCancel(r.Context())), berr)
				return
			}
			http.NewResponseController(w).SetReadDeadline(time.Time{})
			r.Body = io.NopCloser(bytes.NewReader(body))
			next.ServeHTTP(w, r)
		})
	}
}
