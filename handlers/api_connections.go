package handlers

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

// apiConnection is a connection as the API shows it: never a secret or a key, only whether one
// is set, its hint and its expiry.
type apiConnection struct {
	ID             int64          `json:"id"`
	Name           string         `json:"name"`
	Cloud          string         `json:"cloud"`
	Tenant         string         `json:"tenant"`
	ClientID       string         `json:"client_id"`
	CredentialKind string         `json:"credential_kind"`
	Credential     apiCredential  `json:"credential"`
	Mailbox        string         `json:"mailbox"`
	From           string         `json:"from"`
	TestRecipient  string         `json:"test_recipient"`
	SMTPHost       string         `json:"smtp_host"`
	Authority      string         `json:"authority"`
	Notes          string         `json:"notes"`
	AuthModel      string         `json:"auth_model"`
	CreatedAt      time.Time      `json:"created_at"`
	CreatedBy      string         `json:"created_by"`
	UpdatedAt      time.Time      `json:"updated_at"`
	UpdatedBy      string         `json:"updated_by"`
	LastRun        *apiRunSummary `json:"last_run"`
	Tags           []string       `json:"tags"`
	// ExpiryLevel is mailer.ExpiryLevel's name: "", "30", "14", "7" or "expired".
	ExpiryLevel string `json:"expiry_level"`
}

type apiCredential struct {
	Set   bool       `json:"set"`
	Hint  string     `json:"hint"`
	SetAt *time.Time `json:"set_at"`
	// ExpiresAt is the secret's expiry as the admin entered it, or the certificate's NotAfter.
	ExpiresAt *time.Time `json:"expires_at"`
}

type apiRunSummary struct {
	ID            string    `json:"id"`
	Status        string    `json:"status"`
	DiagnosisCode string    `json:"diagnosis_code"`
	StartedAt     time.Time `json:"started_at"`
}

// credentialExpiry is when a connection's credential stops working, if known: the secret's
// expiry date the admin entered, or the certificate's NotAfter.
func credentialExpiry(p *store.Profile) (time.Time, bool) {
	if p.CredentialKind == store.KindCertificate && p.CertificatePEM != "" {
		if na, ok := certificateNotAfter(p.CertificatePEM); ok {
			return na, true
		}
		return time.Time{}, false
	}
	if t, err := time.Parse(time.DateOnly, p.SecretExpiresOn); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// certificateNotAfter reads the NotAfter of the first certificate in a PEM bundle.
func certificateNotAfter(bundle string) (time.Time, bool) {
	rest := []byte(bundle)
	for {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			return time.Time{}, false
		}
		if b.Type == "CERTIFICATE" {
			c, err := x509.ParseCertificate(b.Bytes)
			if err != nil {
				return time.Time{}, false
			}
			return c.NotAfter, true
		}
	}
}

func toAPIConnection(p *store.Profile, last *store.RunSummary, now time.Time) apiConnection {
	c := apiConnection{Tags: p.Tags, ExpiryLevel: p.Expiry(now).Level.String(), ID: p.ID, Name: p.Name, Cloud: string(p.Cloud), Tenant: p.Tenant, ClientID: p.ClientID, CredentialKind: p.CredentialKind,
		Credential: apiCredential{Set: p.HasCredential(), Hint: p.SecretHint}, Mailbox: p.Mailbox, From: p.From, TestRecipient: p.TestRecipient,
		SMTPHost: p.SMTPHost, Authority: p.Authority, Notes: p.Notes, AuthModel: string(p.AuthModel), CreatedAt: p.CreatedAt.UTC(), CreatedBy: p.CreatedBy, UpdatedAt: p.UpdatedAt.UTC(), UpdatedBy: p.UpdatedBy}
	if p.HasCredential() {
		at := p.SecretSetAt.UTC()
		c.Credential.SetAt = &at
	}
	if exp, ok := credentialExpiry(p); ok {
		exp = exp.UTC()
		c.Credential.ExpiresAt = &exp
	}
	if last != nil {
		c.LastRun = &apiRunSummary{ID: last.ID, Status: last.Outcome, DiagnosisCode: last.DiagnosisCode, StartedAt: last.StartedAt.UTC()}
	}
	return c
}

// apiPage is one page of a list, with the link to the next page when there is one.
type apiPage[T any] struct {
	Items []T    `json:"items"`
	Total int    `json:"total"`
	Next  string `json:"next"`
}

// paging reads limit and offset, refusing values out of range rather than guessing.
func paging(q url.Values) (limit, offset int, err error) {
	limit, offset = 50, 0
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > 200 {
			return 0, 0, &apiProblem{status: http.StatusBadRequest, code: "bad_query", detail: "limit must be a whole number from 1 to 200", fields: map[string]string{"limit": "from 1 to 200"}}
		}
	}
	if v := q.Get("offset"); v != "" {
		if offset, err = strconv.Atoi(v); err != nil || offset < 0 {
			return 0, 0, &apiProblem{status: http.StatusBadRequest, code: "bad_query", detail: "offset must be a whole number, 0 or more", fields: map[string]string{"offset": "0 or more"}}
		}
	}
	return limit, offset, nil
}

func nextPage(r *http.Request, offset, limit, total int) string {
	if offset+limit >= total {
		return ""
	}
	q := r.URL.Query()
	q.Set("offset", strconv.Itoa(offset+limit))
	q.Set("limit", strconv.Itoa(limit))
	return r.URL.Path + "?" + q.Encode()
}

var lastStatuses = map[string]bool{"passed": true, "failed": true, "running": true, "interrupted": true, "never": true}

// apiListConnections lists connections: q matches name, tenant or mailbox as on the dashboard;
// tenant matches exactly; status is the last run's outcome, or "never".
func (s *Server) apiListConnections(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, offset, err := paging(q)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	status := q.Get("status")
	if status != "" && !lastStatuses[status] {
		s.apiError(w, r, &apiProblem{status: http.StatusBadRequest, code: "bad_query", detail: "status must be passed, failed, running, interrupted or never", fields: map[string]string{"status": "passed, failed, running, interrupted or never"}})
		return
	}
	profiles, err := s.DB.Profiles(r.Context(), q.Get("q"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	last, err := s.DB.LastRuns(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	page := apiPage[apiConnection]{Items: []apiConnection{}}
	now := s.now()
	var all []apiConnection
	for _, p := range profiles {
		lr, ran := last[p.ID]
		if t := q.Get("tenant"); t != "" && !strings.EqualFold(t, p.Tenant) {
			continue
		}
		if t := strings.TrimSpace(q.Get("tag")); t != "" && !slices.ContainsFunc(p.Tags, func(pt string) bool { return strings.EqualFold(pt, t) }) {
			continue
		}
		if status == "never" && ran || status != "" && status != "never" && (!ran || lr.Outcome != status) {
			continue
		}
		var lp *store.RunSummary
		if ran {
			lp = &lr
		}
		all = append(all, toAPIConnection(p, lp, now))
	}
	page.Total = len(all)
	if offset < len(all) {
		page.Items = append(page.Items, all[offset:min(offset+limit, len(all))]...)
	}
	page.Next = nextPage(r, offset, limit, page.Total)
	writeJSON(w, http.StatusOK, page)
}

func (s *Server) apiGetConnection(w http.ResponseWriter, r *http.Request) {
	p, err := s.profileParam(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.apiConnectionOf(r, p))
}

func (s *Server) apiConnectionOf(r *http.Request, p *store.Profile) apiConnection {
	var lp *store.RunSummary
	if last, err := s.DB.LastRuns(r.Context()); err == nil {
		if lr, ok := last[p.ID]; ok {
			lp = &lr
		}
	}
	return toAPIConnection(p, lp, s.now())
}

// apiConnectionInput is what a script sends to create or change a connection. Secret and
// private_key_pem are write-only; on update, a field left out keeps its value.
type apiConnectionInput struct {
	Name            *string `json:"name"`
	Cloud           *string `json:"cloud"`
	Tenant          *string `json:"tenant"`
	ClientID        *string `json:"client_id"`
	CredentialKind  *string `json:"credential_kind"`
	Secret          *string `json:"secret"`
	CertificatePEM  *string `json:"certificate_pem"`
	PrivateKeyPEM   *string `json:"private_key_pem"`
	SecretExpiresOn *string `json:"secret_expires_on"`
	Mailbox         *string `json:"mailbox"`
	From            *string `json:"from"`
	TestRecipient   *string `json:"test_recipient"`
	SMTPHost        *string `json:"smtp_host"`
	Authority       *string `json:"authority"`
	Notes           *string `json:"notes"`
	AuthModel       *string `json:"auth_model"`
	// Tags replace the stored ones; left out, they stay.
	Tags *[]string `json:"tags"`
}

// apply sets the fields that were sent over in.
func (a *apiConnectionInput) apply(in *store.ProfileInput) {
	for _, f := range []struct {
		from *string
		to   *string
	}{{a.Name, &in.Name}, {a.Cloud, &in.Cloud}, {a.Tenant, &in.Tenant}, {a.ClientID, &in.ClientID}, {a.CredentialKind, &in.CredentialKind},
		{a.Secret, &in.Secret}, {a.CertificatePEM, &in.CertificatePEM}, {a.PrivateKeyPEM, &in.PrivateKeyPEM}, {a.SecretExpiresOn, &in.SecretExpiresOn},
		{a.Mailbox, &in.Mailbox}, {a.From, &in.From}, {a.TestRecipient, &in.TestRecipient}, {a.SMTPHost, &in.SMTPHost},
		{a.Authority, &in.Authority}, {a.Notes, &in.Notes}, {a.AuthModel, &in.AuthModel}} {
		if f.from != nil {
			*f.to = *f.from
		}
	}
	if a.Tags != nil {
		in.Tags = append([]string{}, *a.Tags...)
	}
}

func (s *Server) apiCreateConnection(w http.ResponseWriter, r *http.Request) {
	var body apiConnectionInput
	if err := decodeJSON(r, &body); err != nil {
		s.apiError(w, r, err)
		return
	}
	var in store.ProfileInput
	body.apply(&in)
	if errs := s.checkOverrides(i18n.From(r.Context()), &in); len(errs) > 0 {
		s.apiError(w, r, &apiProblem{status: http.StatusUnprocessableEntity, code: "invalid", detail: i18n.T(r.Context(), "err.invalid_title"), fields: errs})
		return
	}
	p, err := s.DB.CreateProfile(r.Context(), in, currentUser(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.audit(r, "profile.created", p.Name, fmt.Sprintf("id %d, tenant %s, app %s, mailbox %s", p.ID, p.Tenant, p.ClientID, p.Mailbox))
	w.Header().Set("Location", fmt.Sprintf("/api/v1/connections/%d", p.ID))
	writeJSON(w, http.StatusCreated, toAPIConnection(p, nil, s.now()))
}

func (s *Server) apiUpdateConnection(w http.ResponseWriter, r *http.Request) {
	p, err := s.profileParam(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var body apiConnectionInput
	if err := decodeJSON(r, &body); err != nil {
		s.apiError(w, r, err)
		return
	}
	// The stored values, as the edit form shows them: the secret and key stay unless sent.
	in := store.ProfileInput{Name: p.Name, Cloud: string(p.Cloud), Tenant: p.Tenant, ClientID: p.ClientID, CredentialKind: p.CredentialKind,
		CertificatePEM: p.CertificatePEM, SecretExpiresOn: p.SecretExpiresOn, Mailbox: p.Mailbox, From: p.From, TestRecipient: p.TestRecipient,
		SMTPHost: p.SMTPHost, Authority: p.Authority, Notes: p.Notes, AuthModel: string(p.AuthModel)}
	body.apply(&in)
	if errs := s.checkOverrides(i18n.From(r.Context()), &in); len(errs) > 0 {
		s.apiError(w, r, &apiProblem{status: http.StatusUnprocessableEntity, code: "invalid", detail: i18n.T(r.Context(), "err.invalid_title"), fields: errs})
		return
	}
	updated, err := s.DB.UpdateProfile(r.Context(), p.ID, in, currentUser(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.audit(r, "profile.updated", updated.Name, fmt.Sprintf("id %d", p.ID))
	if in.Secret != "" || in.PrivateKeyPEM != "" {
		s.audit(r, "secret.replaced", updated.Name, fmt.Sprintf("id %d, %s", p.ID, updated.CredentialKind))
	}
	writeJSON(w, http.StatusOK, s.apiConnectionOf(r, updated))
}

// apiUpdateNotes is the one change the help desk may make, as in the console.
func (s *Server) apiUpdateNotes(w http.ResponseWriter, r *http.Request) {
	p, err := s.profileParam(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var body struct {
		Notes *string `json:"notes"`
	}
	if err := decodeJSON(r, &body); err != nil {
		s.apiError(w, r, err)
		return
	}
	if body.Notes == nil {
		s.apiError(w, r, &apiProblem{status: http.StatusUnprocessableEntity, code: "invalid", detail: "send the notes", fields: map[string]string{"notes": "required"}})
		return
	}
	if err := s.DB.UpdateNotes(r.Context(), p.ID, *body.Notes, currentUser(r)); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.audit(r, "profile.notes", p.Name, fmt.Sprintf("id %d", p.ID))
	if p, err = s.DB.Profile(r.Context(), p.ID); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, s.apiConnectionOf(r, p))
}

func (s *Server) apiDeleteConnection(w http.ResponseWriter, r *http.Request) {
	p, err := s.profileParam(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if err := s.DB.DeleteProfile(r.Context(), p.ID); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.audit(r, "profile.deleted", p.Name, fmt.Sprintf("id %d", p.ID))
	w.WriteHeader(http.StatusNoContent)
}
