package handlers

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/web"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

// tokenStepTimeout bounds the wizard's token fetch: as long as the checker waits for one SMTP
// reply, so a person at the form never waits longer for step 1 than for a step of a check.
const tokenStepTimeout = 30 * time.Second

// wizardToken is step 1's "check": it fetches a token with what was typed — nothing is saved —
// and shows the claims with a verdict each, plus the PowerShell filled with the token's oid.
func (s *Server) wizardToken(w http.ResponseWriter, r *http.Request) {
	form := web.ProfileFormView{Page: s.page(r, i18n.T(r.Context(), "form.new_title"), "wizard")}
	s.tokenCheck(w, r, form, nil)
}

// editToken is step 1's check on the edit page: a secret or key left empty, as the page invites,
// means the stored one.
func (s *Server) editToken(w http.ResponseWriter, r *http.Request) {
	p, err := s.profileParam(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	form := web.ProfileFormView{Page: s.page(r, i18n.T(r.Context(), "form.edit_title", p.Name), "profiles"), ID: p.ID, Secret: s.secretStatus(r.Context(), p)}
	s.tokenCheck(w, r, form, p)
}

// tokenCheck fetches a token with the form's values; stored, when not nil, lends its credential
// to a form that leaves it empty.
func (s *Server) tokenCheck(w http.ResponseWriter, r *http.Request, form web.ProfileFormView, stored *store.Profile) {
	in, vals := profileFromForm(r)
	form.Values = vals
	lang := i18n.From(r.Context())
	// A private key in a wrong field is refused before the other checks, whose messages quote
	// what was typed.
	if err := in.CheckKeyPlacement(); err != nil {
		var ve *store.ValidationError
		errors.As(err, &ve)
		s.renderTokenCheck(w, r, form, web.TokenCheckView{Errors: i18n.Fields(lang, ve.Fields)})
		return
	}
	if in.CredentialKind == "" {
		in.CredentialKind = store.KindSecret
	}
	if errs := s.certificateUpload(r, &in); len(errs) > 0 {
		s.renderTokenCheck(w, r, form, web.TokenCheckView{Errors: errs})
		return
	}
	req := mailer.Request{ProfileName: in.Name, Cloud: mailer.Cloud(in.Cloud), Tenant: in.Tenant, ClientID: in.ClientID,
		Mailbox: in.Mailbox, From: in.From, SMTPAddr: in.SMTPHost, Authority: in.Authority}
	if req.Cloud == "" {
		req.Cloud = mailer.DefaultCloud
	}
	switch {
	case stored != nil && keepsCredential(stored, in):
		cred, err := s.DB.Credential(r.Context(), stored.ID)
		if err != nil {
			s.error(w, r, err)
			return
		}
		req.Credential = cred
	case in.CredentialKind == store.KindCertificate:
		cert, err := mailer.ParseCertificate([]byte(in.CertificatePEM), []byte(in.PrivateKeyPEM))
		if err != nil {
			s.renderTokenCheck(w, r, form, web.TokenCheckView{Errors: fieldErrors(lang, err)})
			return
		}
		req.Credential.Certificate = cert
	default:
		req.Credential.Secret = in.Secret
	}
	if req.Mailbox == "" {
		req.Mailbox = "placeholder@example.com" // step 1 needs no mailbox; the token does not depend on it
	}
	if err := req.Validate(); err != nil {
		s.renderTokenCheck(w, r, form, web.TokenCheckView{Errors: fieldErrors(lang, err)})
		return
	}
	// The same policy the checker enforces at connect time, asked early for a message at the field.
	if errs := s.checkOverrides(lang, &in); len(errs) > 0 {
		s.renderTokenCheck(w, r, form, web.TokenCheckView{Errors: errs})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), tokenStepTimeout)
	defer cancel()
	tc := s.Checker.Token(ctx, req)
	s.extendWrite(w) // the check may have taken most of the write deadline
	v := web.TokenCheckView{OK: tc.OK, Checks: tc.Checks, Diagnosis: diagnosisView(r.Context(), tc.Diagnosis)}
	if tc.Claims != nil {
		v.ObjectID = tc.Claims.ObjectID
	}
	p := &store.Profile{Name: in.Name, Cloud: req.Cloud, Tenant: in.Tenant, ClientID: in.ClientID, Mailbox: in.Mailbox, From: in.From}
	v.PowerShell = powerShellView(r.Context(), p, v.ObjectID)
	s.renderTokenCheck(w, r, form, v)
}

// keepsCredential says the edit form leaves the stored credential as it is: the same kind, and
// no new secret or key typed or uploaded.
func keepsCredential(p *store.Profile, in store.ProfileInput) bool {
	if !p.HasCredential() || in.CredentialKind != p.CredentialKind {
		return false
	}
	if in.CredentialKind == store.KindCertificate {
		return in.PrivateKeyPEM == ""
	}
	return in.Secret == ""
}

// renderTokenCheck answers htmx with the fragment; without JavaScript, the whole form comes back
// with the check in place, its errors also at their fields (the secret field empty: it is never
// echoed).
func (s *Server) renderTokenCheck(w http.ResponseWriter, r *http.Request, form web.ProfileFormView, v web.TokenCheckView) {
	if isHTMX(r) {
		s.render(w, r, http.StatusOK, web.TokenCheck(v))
		return
	}
	form.Clouds, form.TokenCheck, form.Errors = cloudOptions(r.Context(), form.Values.Cloud), &v, v.Errors
	s.render(w, r, http.StatusOK, web.ProfileForm(form))
}

// fieldErrors puts each field error in err into words of a language, by field.
func fieldErrors(lang i18n.Lang, err error) map[string]string {
	out := map[string]string{}
	for _, e := range unjoin(err) {
		var fe *mailer.FieldError
		if errors.As(e, &fe) {
			out[fe.Field] = i18n.Msg(lang, fe.Message)
		} else {
			out["input"] = e.Error()
		}
	}
	return out
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func (s *Server) newProfileForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, web.ProfileForm(web.ProfileFormView{Page: s.page(r, i18n.T(r.Context(), "form.new_title"), "wizard"),
		Values: web.ProfileFormValues{CredentialKind: store.KindSecret}, Clouds: cloudOptions(r.Context(), "global")}))
}
