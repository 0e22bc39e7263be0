package handlers

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/web"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) {
	s.renderUsers(w, r, http.StatusOK, web.UsersView{})
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, status int, v web.UsersView) {
	users, err := s.DB.Users(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	v.Page = s.page(r, i18n.T(r.Context(), "users.title"), "users")
	for _, u := range users {
		v.Users = append(v.Users, web.UserRow{ID: u.ID, Name: u.Username, Role: u.Role, Created: i18n.Date(i18n.From(r.Context()), u.CreatedAt),
			Self: u.Username == currentUser(r)})
	}
	s.render(w, r, status, web.UsersPage(v))
}

func (s *Server) createUser(w http.ResponseWriter, r *http.Request) {
	name, role, pw := r.PostFormValue("username"), r.PostFormValue("role"), r.PostFormValue("password")
	u, err := s.DB.CreateUser(r.Context(), name, pw, role)
	var ve *store.ValidationError
	var ce *store.ConflictError
	switch {
	case errors.As(err, &ve):
		s.renderUsers(w, r, http.StatusUnprocessableEntity, web.UsersView{NewName: name, NewRole: role, Errors: i18n.Fields(i18n.From(r.Context()), ve.Fields)})
		return
	case errors.As(err, &ce):
		s.renderUsers(w, r, http.StatusUnprocessableEntity, web.UsersView{NewName: name, NewRole: role, Errors: map[string]string{"username": i18n.Msg(i18n.From(r.Context()), ce.Message)}})
		return
	case err != nil:
		s.error(w, r, err)
		return
	}
	s.audit(r, "user.created", u.Username, "role "+u.Role)
	s.setNotice(w, r, "user_created", u.Username)
	http.Redirect(w, r, "/users", http.StatusSeeOther)
}

func (s *Server) deleteUser(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	u, err := s.DB.User(r.Context(), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := s.DB.DeleteUser(r.Context(), id); err != nil {
		var ce *store.ConflictError
		if errors.As(err, &ce) {
			s.error(w, r, &statusError{status: http.StatusConflict, titleKey: "err.user_remove", msg: i18n.Msg(i18n.From(r.Context()), ce.Message)})
			return
		}
		s.error(w, r, err)
		return
	}
	s.audit(r, "user.deleted", u.Username, "")
	s.setNotice(w, r, "user_deleted", u.Username)
	http.Redirect(w, r, "/users", http.StatusSeeOther)
}
