package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/web"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

func (s *Server) tokensPage(w http.ResponseWriter, r *http.Request) {
	s.renderTokens(w, r, http.StatusOK, web.TokensView{})
}

func (s *Server) renderTokens(w http.ResponseWriter, r *http.Request, status int, v web.TokensView) {
	tokens, err := s.DB.APITokens(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	ctx, lang := r.Context(), i18n.From(r.Context())
	v.Page = s.page(r, i18n.T(ctx, "tokens.title"), "users")
	now := s.now()
	for _, t := range tokens {
		row := web.TokenRow{ID: t.ID, Name: t.Name, Role: t.Role, Scopes: strings.Join(t.Scopes, ", "), Hint: t.Hint,
			LastUsed: i18n.T(ctx, "tokens.never"), Active: t.Usable(now)}
		switch {
		case !t.RevokedAt.IsZero():
			row.State = i18n.T(ctx, "tokens.revoked", i18n.Date(lang, t.RevokedAt))
		case !t.Usable(now):
			row.State = i18n.T(ctx, "tokens.expired", i18n.Date(lang, t.ExpiresAt))
		case t.ExpiresAt.IsZero():
			row.State = i18n.T(ctx, "tokens.forever")
		default:
			row.State = i18n.T(ctx, "tokens.active", i18n.Date(lang, t.ExpiresAt))
		}
		if !t.LastUsed.IsZero() {
			row.LastUsed = when(ctx, t.LastUsed)
		}
		v.Tokens = append(v.Tokens, row)
	}
	// The page may show a new token: it must not linger in any cache.
	s.render(w, r, status, web.TokensPage(v))
}

// createToken makes a token and shows it once, on this answer only (no redirect, so it is in
// no URL and no later page).
func (s *Server) createToken(w http.ResponseWriter, r *http.Request) {
	name, role := r.PostFormValue("name"), r.PostFormValue("role")
	in := store.APITokenInput{Name: name, Role: role, Scopes: r.PostForm["scopes"]}
	if d := r.PostFormValue("expires"); d != "never" {
		days, err := strconv.Atoi(d)
		if err != nil || days < 1 {
			days = -1 // refused by the store's rule, with its message
		}
		in.TTL = time.Duration(days) * 24 * time.Hour
	}
	tok, t, err := s.DB.CreateAPIToken(r.Context(), in, currentUser(r))
	var ve *store.ValidationError
	var ce *store.ConflictError
	switch {
	case errors.As(err, &ve):
		s.renderTokens(w, r, http.StatusUnprocessableEntity, web.TokensView{FormName: name, FormRole: role, Errors: i18n.Fields(i18n.From(r.Context()), ve.Fields)})
		return
	case errors.As(err, &ce):
		s.renderTokens(w, r, http.StatusUnprocessableEntity, web.TokensView{FormName: name, FormRole: role, Errors: map[string]string{"name": i18n.Msg(i18n.From(r.Context()), ce.Message)}})
		return
	case err != nil:
		s.error(w, r, err)
		return
	}
	s.audit(r, "token.created", t.Name, "role "+t.Role+", scopes "+strings.Join(t.Scopes, " "))
	s.renderTokens(w, r, http.StatusCreated, web.TokensView{NewToken: tok, NewName: t.Name})
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		s.error(w, r, store.ErrNotFound)
		return
	}
	tokens, err := s.DB.APITokens(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	name := ""
	for _, t := range tokens {
		if t.ID == id {
			name = t.Name
		}
	}
	if name == "" {
		s.error(w, r, store.ErrNotFound)
		return
	}
	if err := s.DB.RevokeAPIToken(r.Context(), id); err != nil {
		s.error(w, r, err)
		return
	}
	s.audit(r, "token.revoked", name, "")
	s.setNotice(w, r, "token_revoked", name)
	http.Redirect(w, r, "/tokens", http.StatusSeeOther)
}
