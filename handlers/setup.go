package handlers

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/web"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

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
		s.render(w, r, http.StatusUnprocessableEntity, web.SetupPage(web.SetupView{Page: s.page(r, i18n.T(r.Context(), "setup.title"), ""), Username: name, Errors: i18n.Fields(i18n.From(r.Context()), ve.Fields)}))
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
