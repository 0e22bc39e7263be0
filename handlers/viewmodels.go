package handlers

import (
	"fmt"
	"strings"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/web"
)

const dateFormat = "2006-01-02"
const timeFormat = "2006-01-02 15:04:05 UTC"

func cloudLabel(c mailer.Cloud) string {
	ep, err := mailer.CloudEndpoints(c)
	if err != nil {
		return string(c)
	}
	return ep.Label
}

func cloudOptions(selected string) []web.Option {
	var out []web.Option
	for _, ep := range mailer.Clouds() {
		out = append(out, web.Option{Value: string(ep.Cloud), Label: ep.Label, Selected: string(ep.Cloud) == selected})
	}
	return out
}

// secretStatus says when the secret was set and how it starts, never what it is.
func (s *Server) secretStatus(p *store.Profile) web.SecretStatus {
	st := web.SecretStatus{Set: p.HasCredential(), Hint: p.SecretHint, IsCert: p.CredentialKind == store.KindCertificate, ExpiresOn: p.SecretExpiresOn}
	if st.Set {
		st.SetOn = p.SecretSetAt.UTC().Format(dateFormat)
	}
	_, st.ExpiryLevel = expiry(p.SecretExpiresOn, s.Now())
	return st
}

// expiry warns 30 days before a secret expires.
func expiry(on string, now time.Time) (warning, level string) {
	if on == "" {
		return "", ""
	}
	t, err := time.Parse(dateFormat, on)
	if err != nil {
		return "", ""
	}
	days := int(t.Sub(now.Truncate(24*time.Hour)).Hours() / 24)
	switch {
	case days < 0:
		return "expired on " + on, "expired"
	case days <= 30:
		return fmt.Sprintf("expires in %d days (%s)", days, on), "soon"
	}
	return "", ""
}

func age(t, now time.Time) string {
	if t.IsZero() {
		return "no secret stored"
	}
	days := int(now.Sub(t).Hours() / 24)
	switch days {
	case 0:
		return "set today"
	case 1:
		return "set yesterday"
	}
	return fmt.Sprintf("set %d days ago", days)
}

func (s *Server) simulated(p *store.Profile) bool {
	return s.DemoAuthority != "" && p.Authority == s.DemoAuthority
}

func runSummary(r *store.Run) web.RunSummaryView {
	v := web.RunSummaryView{ID: r.ID, Outcome: r.Outcome, When: r.StartedAt.UTC().Format(timeFormat), By: r.StartedBy, ProfileName: r.DisplayName()}
	if r.Result != nil && r.Result.Diagnosis != nil {
		v.Title = r.Result.Diagnosis.Title
	}
	return v
}

func commandViews(prefix string, cmds []mailer.SetupCommand) []web.CommandView {
	out := make([]web.CommandView, len(cmds))
	for i, c := range cmds {
		out[i] = web.CommandView{ID: fmt.Sprintf("%s-%d", prefix, i+1), Label: c.Label, Text: c.Command}
	}
	return out
}

func powerShellView(p *store.Profile, oid string) web.PowerShellView {
	cmds := mailer.SetupCommands(mailer.SetupValues{Cloud: p.Cloud, Tenant: p.Tenant, AppID: p.ClientID, ObjectID: oid,
		Mailbox: p.Mailbox, From: p.From, DisplayName: "smtpoauth: " + p.Name})
	return web.PowerShellView{AppID: p.ClientID, ObjectID: oid, Mailbox: p.Mailbox, Tenant: p.Tenant, Commands: commandViews("ps", cmds)}
}

func diagnosisView(d *mailer.Diagnosis) *web.DiagnosisView {
	if d == nil {
		return nil
	}
	v := &web.DiagnosisView{Code: d.Code, Title: d.Title, Explanation: d.Explanation, Quote: d.Quote, DocURL: d.DocURL, Stage: string(d.Stage), Temporary: d.Temporary}
	for i, st := range d.Steps {
		step := web.StepView{N: i + 1, Text: st.Text}
		if st.Command != "" {
			step.Command = web.CommandView{ID: fmt.Sprintf("fix-%d", i+1), Text: st.Command}
		}
		v.Steps = append(v.Steps, step)
	}
	return v
}

var phases = []struct{ name, label string }{
	{"token", "Token"}, {"connect", "Connect"}, {"tls", "TLS"}, {"auth", "Auth"}, {"send", "Send"},
}

// progress turns the stage reached into the five-step bar.
func progress(stage mailer.Stage, live, ok, sending bool) []web.PhaseView {
	current := 0
	for i, p := range phases {
		if p.name == stage.Phase() {
			current = i
		}
	}
	out := make([]web.PhaseView, len(phases))
	for i, p := range phases {
		state := "pending"
		switch {
		case ok && (p.name != "send" || sending):
			state = "done"
		case ok:
			state = "skipped"
		case i < current:
			state = "done"
		case i == current && live:
			state = "active"
		case i == current:
			state = "failed"
		}
		out[i] = web.PhaseView{Name: p.name, Label: p.label, State: state}
	}
	return out
}

func verdictView(res *mailer.Result, recipient string) *web.VerdictView {
	if res == nil {
		return nil
	}
	v := &web.VerdictView{OK: res.OK, Diagnosis: diagnosisView(res.Diagnosis)}
	total := res.Finished.Sub(res.Started).Milliseconds()
	switch {
	case res.OK && res.Sent:
		v.Summary = fmt.Sprintf("Passed: authenticated and sent a test message to %s in %d ms", recipient, total)
	case res.OK:
		v.Summary = fmt.Sprintf("Passed: Exchange Online accepted the token (%d ms)", total)
	default:
		v.Summary = fmt.Sprintf("Failed at the %s step after %d ms", res.Stage.Phase(), total)
	}
	for _, st := range mailer.Stages() {
		if ms, ok := res.Timings[st]; ok {
			v.Timings = append(v.Timings, web.TimingView{Stage: string(st), MS: ms})
		}
	}
	if e := res.Entra; e != nil && (e.TraceID != "" || e.CorrelationID != "") {
		v.Support = fmt.Sprintf("For Microsoft support: AADSTS%d, trace ID %s, correlation ID %s, timestamp %s", e.Code, e.TraceID, e.CorrelationID, e.Timestamp)
	}
	return v
}

func claimsView(runID string, res *mailer.Result) *web.ClaimsView {
	c := res.Claims
	return &web.ClaimsView{Audience: c.Audience, TenantID: c.TenantID, AppID: c.AppID, ObjectID: c.ObjectID,
		Expires: c.ExpiresAt.UTC().Format(timeFormat), Version: c.Version, Roles: strings.Join(c.Roles, ", "), Checks: res.Checks, FromRun: runID}
}
