package handlers

import (
	"errors"
	"net/http"

	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/web"
)

// error is the one place errors become responses: a status and words for people. Internal
// errors are logged with detail and shown as a short apology.
func (s *Server) error(w http.ResponseWriter, r *http.Request, err error) {
	status, title, msg := http.StatusInternalServerError, "Something went wrong", "The console could not complete this request. The details are in its log."
	var ve *store.ValidationError
	var ce *store.ConflictError
	var be *badRequest
	var se *statusError
	switch {
	case errors.As(err, &se):
		status, title, msg = se.status, se.title, se.message
	case errors.Is(err, store.ErrNotFound):
		status, title, msg = http.StatusNotFound, "Not found", "This connection or test run does not exist (any more)."
	case errors.As(err, &ve):
		status, title, msg = http.StatusUnprocessableEntity, "Invalid input", ve.Error()
	case errors.As(err, &ce):
		status, title, msg = http.StatusConflict, "Already taken", ce.Message
	case errors.As(err, &be):
		status, title, msg = http.StatusBadRequest, "Invalid request", be.msg
	case errors.Is(err, store.ErrSealed):
		s.Log.Error("sealed secret cannot be opened", "path", r.URL.Path, "err", err)
		title, msg = "The stored secret cannot be opened", "The secret of this connection cannot be decrypted with the console's master key. Replace the secret, or start the console with the key it was saved with."
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
	s.render(w, r, status, web.ErrorPage(web.ErrorView{Page: s.page(r, title, ""), Status: status, Message: msg}))
}

// badRequest is input the handler itself refuses, with a message for people.
type badRequest struct{ msg string }

func (e *badRequest) Error() string { return e.msg }

func (s *Server) page(r *http.Request, title, nav string) web.Page {
	p := web.Page{Title: title, Nav: nav, Demo: s.DemoAuthority != ""}
	if u := userFrom(r); u != nil {
		p.User, p.Admin = u.Username, u.IsAdmin()
	}
	return p
}
