package handlers

import (
	"errors"
	"net/http"
	"sort"
	"strings"

	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/web"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

// joinFields turns field messages into one sentence list, in a stable order.
func joinFields(fields map[string]string) string {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fields[k]
	}
	return strings.Join(parts, "; ")
}

// error is the one place errors become responses: a status and words for people. Internal
// errors are logged with detail and shown as a short apology.
func (s *Server) error(w http.ResponseWriter, r *http.Request, err error) {
	if clientGone(r) {
		s.clientLeft(w, r, err)
		return
	}
	s.writeError(w, r, err)
}

// writeError answers with the error's status and words even if the request's context has ended:
// for a body that arrived too slowly, the client may still be waiting.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	ctx := r.Context()
	status, title, msg := http.StatusInternalServerError, i18n.T(ctx, "err.generic_title"), i18n.T(ctx, "err.generic")
	var ve *store.ValidationError
	var ce *store.ConflictError
	var be *badRequest
	var se *statusError
	switch {
	case errors.As(err, &se):
		status = se.status
		title, msg = se.words(ctx)
	case errors.Is(err, store.ErrBusy):
		// Sign-ins are refused rather than queued when too many hashes are running.
		w.Header().Set("Retry-After", "5")
		status, title, msg = http.StatusServiceUnavailable, i18n.T(ctx, "err.busy_title"), i18n.T(ctx, "err.busy")
	case errors.Is(err, store.ErrNotFound):
		status, title, msg = http.StatusNotFound, i18n.T(ctx, "err.notfound_title"), notFoundWords(r)
	case errors.As(err, &ve):
		status, title = http.StatusUnprocessableEntity, i18n.T(ctx, "err.invalid_title")
		msg = joinFields(i18n.Fields(i18n.From(r.Context()), ve.Fields))
	case errors.As(err, &ce):
		status, title, msg = http.StatusConflict, i18n.T(ctx, "err.taken_title"), i18n.Msg(i18n.From(r.Context()), ce.Message)
	case errors.As(err, &be):
		status, title, msg = http.StatusBadRequest, i18n.T(ctx, "err.request_title"), be.msg
	case errors.Is(err, store.ErrSealed):
		s.Log.Error("sealed secret cannot be opened", "path", r.URL.Path, "err", err)
		title, msg = i18n.T(ctx, "err.sealed_title"), i18n.T(ctx, "err.sealed")
	default:
		s.Log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if isHTMX(r) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(status)
		w.Write([]byte(title + ": " + msg))
		return
	}
	// Never s.render: an error page that fails to render must not become another error page.
	if rerr := writePage(w, r, status, web.ErrorPage(web.ErrorView{Page: s.page(r, title, ""), Status: status, Message: msg})); rerr != nil {
		s.Log.Error("rendering the error page", "method", r.Method, "path", r.URL.Path, "status", status, "err", rerr)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
	}
}

// notFoundWords says what was not found, from the kind of thing the URL names: a person who
// followed an old link to a deleted run should not read about connections.
func notFoundWords(r *http.Request) string {
	kind, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	switch kind {
	case "profiles":
		return i18n.T(r.Context(), "err.notfound_profile")
	case "runs":
		return i18n.T(r.Context(), "err.notfound_run")
	case "users":
		return i18n.T(r.Context(), "err.notfound_user")
	case "tokens":
		return i18n.T(r.Context(), "err.notfound_token")
	}
	return i18n.T(r.Context(), "err.notfound")
}

// noPage is the answer for a URL the console has no page at; it names the URL.
func noPage(r *http.Request) error {
	p := r.URL.Path
	if len(p) > 80 {
		p = p[:80] + "…"
	}
	return &statusError{status: http.StatusNotFound, titleKey: "err.notfound_title", msgKey: "err.nopage", args: []any{p}}
}

// badRequest is input the handler itself refuses, with a message for people.
type badRequest struct{ msg string }

func (e *badRequest) Error() string { return e.msg }

func (s *Server) page(r *http.Request, title, nav string) web.Page {
	p := web.Page{Title: title, Nav: nav, Demo: s.demoAuthority != "", Path: r.URL.RequestURI(), Notice: noticeText(r.Context())}
	if u := userFrom(r); u != nil {
		p.User, p.Admin = u.Username, u.IsAdmin()
	}
	return p
}
