package handlers

import (
	"net/http"
	"strings"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/web"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

// recipientProblem says, in words, why "Test now" may not send to to: the same policy launchRun
// enforces, asked first so that the page can answer at the field instead of with an error page.
func (s *Server) recipientProblem(r *http.Request, p *store.Profile, mode, to string) string {
	if mode != "send" {
		return ""
	}
	if to == "" {
		to = p.TestRecipient
	}
	lang := i18n.From(r.Context())
	if to == "" {
		return i18n.Tr(lang, "recipient.none")
	}
	if err := mailer.ValidateMailbox("to", to); err != nil {
		return i18n.Tr(lang, "err.recipient_bad", i18n.Msg(lang, err.(*mailer.FieldError).Message))
	}
	if s.checkRecipient(lang, p, to) == nil {
		return ""
	}
	stored, domains := "", ""
	if p.TestRecipient != "" {
		stored = " (" + p.TestRecipient + ")"
	}
	if len(s.security.AllowedRecipientDomains) > 0 {
		domains = i18n.Tr(lang, "recipient.refused_dom", strings.Join(s.security.AllowedRecipientDomains, ", "))
	}
	return i18n.Tr(lang, "recipient.refused", to, stored+domains)
}

// refuseRecipient shows the connection's page again with the refusal at the recipient field
// and what was asked for still there. Nothing starts; the refusal is audited as before.
func (s *Server) refuseRecipient(w http.ResponseWriter, r *http.Request, p *store.Profile, to, msg string) {
	s.audit(r, "run.refused", p.Name, "recipient "+to+" not allowed")
	runs, err := s.DB.Runs(r.Context(), p.ID, 50)
	if err != nil {
		s.error(w, r, err)
		return
	}
	v := s.profileView(r, p, runs)
	v.RunMode, v.Recipient.Typed, v.Recipient.Error = "send", to, msg
	s.render(w, r, http.StatusUnprocessableEntity, web.ProfilePage(v))
}
