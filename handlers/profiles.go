package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/web"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

// profileFromForm reads the form. The secret and key go into the input only, never back to a page.
func profileFromForm(r *http.Request) (store.ProfileInput, web.ProfileFormValues) {
	f := func(k string) string { return r.PostFormValue(k) }
	in := store.ProfileInput{Name: f("name"), Cloud: f("cloud"), Tenant: f("tenant"), ClientID: f("client_id"),
		CredentialKind: f("credential_kind"), Secret: f("secret"), CertificatePEM: f("certificate_pem"), PrivateKeyPEM: f("private_key_pem"),
		SecretExpiresOn: f("secret_expires_on"), Mailbox: f("mailbox"), From: f("from"), TestRecipient: f("test_recipient"),
		SMTPHost: f("smtp_host"), Authority: f("authority"), AuthModel: f("auth_model"), Notes: f("notes")}
	// A form without the tags field (an older page) keeps the stored tags; an empty one clears them.
	if _, ok := r.PostForm["tags"]; ok {
		in.Tags = store.ParseTags(f("tags"))
	}
	// A private key pasted into any other field is never echoed back, even when the form is refused.
	e := store.WithoutPrivateKeys
	vals := web.ProfileFormValues{Name: e(in.Name), Cloud: e(in.Cloud), Tenant: e(in.Tenant), ClientID: e(in.ClientID), CredentialKind: e(in.CredentialKind),
		CertificatePEM: e(in.CertificatePEM), SecretExpiresOn: e(in.SecretExpiresOn), Mailbox: e(in.Mailbox), From: e(in.From),
		TestRecipient: e(in.TestRecipient), SMTPHost: e(in.SMTPHost), Authority: e(in.Authority), Notes: e(in.Notes), TestMode: f("mode"),
		AuthModel: e(in.AuthModel), Tags: e(f("tags"))}
	return in, vals
}

// formError re-renders the form with the store's messages next to their fields and what was typed.
func (s *Server) formError(w http.ResponseWriter, r *http.Request, v web.ProfileFormView, err error) {
	var ve *store.ValidationError
	var ce *store.ConflictError
	switch {
	case errors.As(err, &ve):
		s.renderFormErrors(w, r, v, i18n.Fields(i18n.From(r.Context()), ve.Fields))
	case errors.As(err, &ce):
		s.renderFormErrors(w, r, v, map[string]string{ce.Field: i18n.Msg(i18n.From(r.Context()), ce.Message)})
	default:
		s.error(w, r, err)
	}
}

// renderFormErrors re-renders the form with messages, already in words, next to their fields.
func (s *Server) renderFormErrors(w http.ResponseWriter, r *http.Request, v web.ProfileFormView, errs map[string]string) {
	v.Errors = errs
	v.Clouds = cloudOptions(r.Context(), v.Values.Cloud)
	s.render(w, r, http.StatusUnprocessableEntity, web.ProfileForm(v))
}

// formChecks are the checks the handler makes before the store's: the outbound policy on
// overrides, and the certificate file, which it turns into the PEM texts the store takes.
func (s *Server) formChecks(r *http.Request, in *store.ProfileInput) map[string]string {
	errs := s.checkOverrides(i18n.From(r.Context()), in)
	for k, v := range s.certificateUpload(r, in) {
		errs[k] = v
	}
	return errs
}

// submitWizard is the wizard's own address taking its form: step 1's check without
// JavaScript, or saving. A form that comes back with errors keeps the wizard's address.
func (s *Server) submitWizard(w http.ResponseWriter, r *http.Request) {
	if r.PostFormValue("action") == "check_token" {
		s.wizardToken(w, r)
		return
	}
	s.createProfile(w, r)
}

// createProfile saves the wizard's profile and, unless told not to, starts its first test.
func (s *Server) createProfile(w http.ResponseWriter, r *http.Request) {
	in, vals := profileFromForm(r)
	form := web.ProfileFormView{Page: s.page(r, i18n.T(r.Context(), "form.new_title"), "wizard"), Values: vals}
	if errs := s.formChecks(r, &in); len(errs) > 0 {
		s.renderFormErrors(w, r, form, errs)
		return
	}
	p, err := s.DB.CreateProfile(r.Context(), in, currentUser(r))
	if err != nil {
		s.formError(w, r, form, err)
		return
	}
	s.audit(r, "profile.created", p.Name, fmt.Sprintf("id %d, tenant %s, app %s, mailbox %s", p.ID, p.Tenant, p.ClientID, p.Mailbox))
	s.afterSave(w, r, p, vals.TestMode, "profile_created", "profile_created_only")
}

// afterSave starts the test the form asked for, or shows the connection, confirming the save
// on the next page with notice (a test runs) or quiet (no test).
func (s *Server) afterSave(w http.ResponseWriter, r *http.Request, p *store.Profile, mode, notice, quiet string) {
	switch mode {
	case "auth", "send":
		to := ""
		if mode == "send" {
			to = p.TestRecipient
		}
		run, err := s.beginRun(r, p, to)
		if err != nil {
			s.error(w, r, err)
			return
		}
		s.setNotice(w, r, notice, p.Name)
		http.Redirect(w, r, "/runs/"+run.ID, http.StatusSeeOther)
	default:
		s.setNotice(w, r, quiet, p.Name)
		http.Redirect(w, r, "/profiles/"+strconv.FormatInt(p.ID, 10), http.StatusSeeOther)
	}
}

func (s *Server) profileParam(r *http.Request) (*store.Profile, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil {
		return nil, store.ErrNotFound
	}
	return s.DB.Profile(r.Context(), id)
}

// profileHistory is the profile named in the URL with its recent runs, newest first: what the
// profile page, the checklist and the setup script are built from.
func (s *Server) profileHistory(r *http.Request) (*store.Profile, []*store.Run, error) {
	p, err := s.profileParam(r)
	if err != nil {
		return nil, nil, err
	}
	runs, err := s.DB.Runs(r.Context(), p.ID, 50)
	return p, runs, err
}

func (s *Server) showProfile(w http.ResponseWriter, r *http.Request) {
	p, runs, err := s.profileHistory(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, web.ProfilePage(s.profileView(r, p, runs)))
}

// profileView is a connection's page: its settings, its last claims, its runs and who "Test now"
// may send to.
func (s *Server) profileView(r *http.Request, p *store.Profile, runs []*store.Run) web.ProfileView {
	v := web.ProfileView{Page: s.page(r, p.Name, "profiles"), ID: p.ID, Name: p.Name, Cloud: cloudLabel(r.Context(), p.Cloud), Tenant: p.Tenant,
		ClientID: p.ClientID, Mailbox: p.Mailbox, From: p.From, TestRecipient: p.TestRecipient, SMTPHost: p.SMTPHost,
		Authority: p.Authority, Notes: p.Notes, Simulated: s.simulated(p), Secret: s.secretStatus(r.Context(), p),
		Created: i18n.T(r.Context(), "profile.by", when(r.Context(), p.CreatedAt), p.CreatedBy), Updated: i18n.T(r.Context(), "profile.by", when(r.Context(), p.UpdatedAt), p.UpdatedBy),
		Recipient: web.RecipientChoice{Stored: p.TestRecipient, Domains: s.security.AllowedRecipientDomains}}
	v.SecretMissing = !p.HasCredential()
	for _, tg := range p.Tags {
		v.Tags = append(v.Tags, web.Link{Label: tg, Href: fleetHref("/", store.ProfileQuery{Tag: tg})})
	}
	oid := ""
	for _, run := range runs {
		v.Runs = append(v.Runs, runSummary(r.Context(), run))
		if v.Claims == nil && run.Result != nil && run.Result.Claims != nil {
			v.Claims = claimsView(r.Context(), run.ID, run.Result)
			oid = run.Result.Claims.ObjectID
		}
	}
	v.PowerShell = powerShellView(r.Context(), p, oid)
	if own, err := s.DB.Retest(r.Context(), p.ID); err == nil && own != nil {
		v.Retest = strconv.Itoa(*own)
	}
	v.DefaultRetest, _ = s.DB.DefaultRetest(r.Context())
	return v
}

func formValues(p *store.Profile) web.ProfileFormValues {
	return web.ProfileFormValues{Name: p.Name, Cloud: string(p.Cloud), Tenant: p.Tenant, ClientID: p.ClientID, CredentialKind: p.CredentialKind,
		CertificatePEM: p.CertificatePEM, SecretExpiresOn: p.SecretExpiresOn, Mailbox: p.Mailbox, From: p.From,
		TestRecipient: p.TestRecipient, SMTPHost: p.SMTPHost, Authority: p.Authority, Notes: p.Notes, TestMode: "none", AuthModel: string(p.AuthModel),
		Tags: store.JoinTags(p.Tags)}
}

func (s *Server) editProfileForm(w http.ResponseWriter, r *http.Request) {
	p, err := s.profileParam(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, web.ProfileForm(web.ProfileFormView{Page: s.page(r, i18n.T(r.Context(), "form.edit_title", p.Name), "profiles"), ID: p.ID,
		Values: formValues(p), Clouds: cloudOptions(r.Context(), string(p.Cloud)), Secret: s.secretStatus(r.Context(), p)}))
}

func (s *Server) updateProfile(w http.ResponseWriter, r *http.Request) {
	p, err := s.profileParam(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	in, vals := profileFromForm(r)
	form := web.ProfileFormView{Page: s.page(r, i18n.T(r.Context(), "form.edit_title", p.Name), "profiles"), ID: p.ID, Values: vals, Secret: s.secretStatus(r.Context(), p)}
	if errs := s.formChecks(r, &in); len(errs) > 0 {
		s.renderFormErrors(w, r, form, errs)
		return
	}
	updated, err := s.DB.UpdateProfile(r.Context(), p.ID, in, currentUser(r))
	if err != nil {
		s.formError(w, r, form, err)
		return
	}
	s.audit(r, "profile.updated", updated.Name, fmt.Sprintf("id %d", p.ID))
	if in.Secret != "" || in.PrivateKeyPEM != "" {
		s.audit(r, "secret.replaced", updated.Name, fmt.Sprintf("id %d, %s", p.ID, updated.CredentialKind))
	}
	s.afterSave(w, r, updated, vals.TestMode, "profile_saved_run", "profile_saved")
}

// submitEdit is the edit page's own address taking its form: step 1's check without
// JavaScript (with the stored credential when none is typed), or saving.
func (s *Server) submitEdit(w http.ResponseWriter, r *http.Request) {
	if r.PostFormValue("action") == "check_token" {
		s.editToken(w, r)
		return
	}
	s.updateProfile(w, r)
}

func (s *Server) deleteProfile(w http.ResponseWriter, r *http.Request) {
	p, err := s.profileParam(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if r.PostFormValue("confirm") != "yes" {
		s.error(w, r, &badRequest{i18n.T(r.Context(), "err.confirm_delete", p.Name)})
		return
	}
	if err := s.DB.DeleteProfile(r.Context(), p.ID); err != nil {
		s.error(w, r, err)
		return
	}
	s.audit(r, "profile.deleted", p.Name, fmt.Sprintf("id %d", p.ID))
	s.setNotice(w, r, "profile_deleted", p.Name)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// updateNotes is the one change the help desk may make to a connection.
func (s *Server) updateNotes(w http.ResponseWriter, r *http.Request) {
	p, err := s.profileParam(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := s.DB.UpdateNotes(r.Context(), p.ID, r.PostFormValue("notes"), currentUser(r)); err != nil {
		s.error(w, r, err)
		return
	}
	s.audit(r, "profile.notes", p.Name, fmt.Sprintf("id %d", p.ID))
	s.setNotice(w, r, "notes_saved", "")
	http.Redirect(w, r, "/profiles/"+strconv.FormatInt(p.ID, 10), http.StatusSeeOther)
}
