package handlers

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

// runEvidence is one text file to attach to a ticket: settings without secrets, the diagnosis,
// the token claims and the redacted transcript.
func (s *Server) runEvidence(w http.ResponseWriter, r *http.Request) {
	run, err := s.DB.Run(r.Context(), chi.URLParam(r, "id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	var p *store.Profile
	if !run.ProfileDeleted() {
		if p, err = s.DB.Profile(r.Context(), run.ProfileID); err != nil {
			p = nil
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="smtpoauth-evidence-%s.txt"`, run.ID))
	writeEvidence(w, run, p)
}

func writeEvidence(w io.Writer, run *store.Run, p *store.Profile) {
	section := func(title string) { fmt.Fprintf(w, "\n== %s ==\n", title) }
	kv := func(k, v string) {
		if v != "" {
			fmt.Fprintf(w, "%-28s %s\n", k+":", v)
		}
	}
	fmt.Fprintf(w, "smtpoauth evidence pack — run %s\n", run.ID)
	kv("Connection", run.DisplayName())
	kv("Started", run.StartedAt.UTC().Format(evidenceTime)+" by "+run.StartedBy)
	if !run.FinishedAt.IsZero() {
		kv("Finished", run.FinishedAt.UTC().Format(evidenceTime))
	}
	kv("Outcome", run.Outcome)
	kv("Test", modeLabel(i18n.WithLang(context.Background(), i18n.EN), run))

	if p != nil {
		section("Connection settings (no secrets)")
		ep, _ := mailer.CloudEndpoints(p.Cloud)
		kv("Cloud", i18n.Tr(i18n.EN, "cloud."+string(ep.Cloud)))
		kv("Tenant", p.Tenant)
		kv("Application (client) ID", p.ClientID)
		cred := "client secret"
		if p.CredentialKind == store.KindCertificate {
			cred = "certificate, thumbprint starting " + p.SecretHint
		}
		if p.HasCredential() {
			cred += ", set " + p.SecretSetAt.UTC().Format(dateFormat)
		}
		kv("Credential", cred)
		kv("Secret expires", p.SecretExpiresOn)
		kv("Sending mailbox", p.Mailbox)
		kv("From address", p.From)
		kv("SMTP host", firstNonEmpty(p.SMTPHost, ep.SMTPAddr))
		kv("Authority", firstNonEmpty(p.Authority, ep.Authority))
	}

	if res := run.Result; res != nil {
		if d := i18n.Localize(res.Diagnosis, i18n.EN); d != nil { // the evidence file is English, for tickets
			section("Diagnosis")
			kv("Code", d.Code)
			kv("Title", d.Title)
			kv("Stage", string(d.Stage))
			kv("Answer", d.Quote)
			fmt.Fprintf(w, "\n%s\n\n", d.Explanation)
			for i, st := range d.Steps {
				fmt.Fprintf(w, "%d. %s\n", i+1, st.Text)
				for _, line := range strings.Split(st.Command, "\n") {
					if line != "" {
						fmt.Fprintf(w, "     %s\n", line)
					}
				}
			}
			kv("Documentation", d.DocURL)
		}
		if e := res.Entra; e != nil {
			section("Entra ID error (for Microsoft support)")
			kv("HTTP status", fmt.Sprint(e.HTTPStatus))
			kv("error", e.Error)
			kv("AADSTS", fmt.Sprint(e.Code))
			kv("Trace ID", e.TraceID)
			kv("Correlation ID", e.CorrelationID)
			kv("Timestamp", e.Timestamp)
		}
		if c := res.Claims; c != nil {
			section("Token claims (the token itself is never stored)")
			kv("aud", c.Audience)
			kv("roles", strings.Join(c.Roles, ", "))
			kv("tid", c.TenantID)
			kv("appid", c.AppID)
			kv("oid", c.ObjectID)
			kv("ver", c.Version)
			kv("exp", c.ExpiresAt.UTC().Format(evidenceTime))
			for _, ch := range i18n.ClaimChecks(i18n.EN, res.Checks) {
				mark := "ok"
				if !ch.OK {
					mark = "PROBLEM"
				}
				fmt.Fprintf(w, "  [%s] %s: %s\n", mark, ch.Claim, ch.Detail)
			}
		}
		if len(res.Timings) > 0 {
			section("Timings (ms)")
			for _, st := range mailer.Stages() {
				if ms, ok := res.Timings[st]; ok {
					kv(string(st), fmt.Sprint(ms))
				}
			}
		}
	}
	section("Transcript (secrets and tokens redacted)")
	io.WriteString(w, mailer.RenderText(run.Events))
}

// evidenceTime: the evidence pack is written in English for Microsoft support, with ISO dates.
const evidenceTime = "2006-01-02 15:04:05 UTC"

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
