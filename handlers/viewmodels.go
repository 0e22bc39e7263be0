package handlers

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/web"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

const dateFormat = "2006-01-02"

func cloudLabel(ctx context.Context, c mailer.Cloud) string {
	if _, err := mailer.CloudEndpoints(c); err != nil {
		return string(c)
	}
	return i18n.T(ctx, "cloud."+string(c))
}

func cloudOptions(ctx context.Context, selected string) []web.Option {
	var out []web.Option
	for _, ep := range mailer.Clouds() {
		out = append(out, web.Option{Value: string(ep.Cloud), Label: cloudLabel(ctx, ep.Cloud), Selected: string(ep.Cloud) == selected})
	}
	return out
}

// when formats a moment for the reader's language.
func when(ctx context.Context, t time.Time) string { return i18n.DateTime(i18n.From(ctx), t) }

// secretStatus says when the secret was set and how it starts, never what it is.
func (s *Server) secretStatus(ctx context.Context, p *store.Profile) web.SecretStatus {
	l := i18n.From(ctx)
	st := web.SecretStatus{Set: p.HasCredential(), Hint: p.SecretHint, IsCert: p.CredentialKind == store.KindCertificate}
	if st.Set {
		st.SetOn = i18n.Date(l, p.SecretSetAt)
	}
	if t, err := time.Parse(dateFormat, p.SecretExpiresOn); err == nil && !st.IsCert {
		st.ExpiresOn = i18n.Date(l, t)
	}
	if st.IsCert && !p.CertNotAfter.IsZero() {
		st.ExpiresOn = i18n.Date(l, p.CertNotAfter)
	}
	_, st.ExpiryLevel, _ = expiry(ctx, p, s.now())
	return st
}

// expiry warns at 30, 14 and 7 days before a secret or certificate expires, with its date.
// level is "soon" or "expired" (the CSS classes); days is the mailer's level name ("30", "14",
// "7", "expired") for pages and tests that tell the thresholds apart.
func expiry(ctx context.Context, p *store.Profile, now time.Time) (warning, level, days string) {
	e := p.Expiry(now)
	if e.Level == mailer.ExpiryNone {
		return "", "", ""
	}
	l := i18n.From(ctx)
	// The date as the admin knows it: the portal's Expires date, or the certificate's NotAfter.
	date := i18n.Date(l, p.CertNotAfter)
	if p.CredentialKind != store.KindCertificate {
		d, _ := time.Parse(dateFormat, p.SecretExpiresOn)
		date = i18n.Date(l, d)
	}
	switch {
	case e.Level == mailer.ExpiryExpired:
		return i18n.Tr(l, "expiry.expired", date), "expired", e.Level.String()
	case e.Days == 0:
		return i18n.Tr(l, "expiry.today", date), "soon", e.Level.String()
	case e.Days == 1:
		return i18n.Tr(l, "expiry.tomorrow", date), "soon", e.Level.String()
	}
	return i18n.Tr(l, "expiry.soon", e.Days, date), "soon", e.Level.String()
}

func age(ctx context.Context, t, now time.Time) string {
	if t.IsZero() {
		return i18n.T(ctx, "age.none")
	}
	switch days := int(now.Sub(t).Hours() / 24); days {
	case 0:
		return i18n.T(ctx, "age.today")
	case 1:
		return i18n.T(ctx, "age.yesterday")
	default:
		return i18n.T(ctx, "age.days", days)
	}
}

func (s *Server) simulated(p *store.Profile) bool {
	return s.demoAuthority != "" && p.Authority == s.demoAuthority
}

// runName is the run's connection, or "deleted profile <name>" in the reader's language.
func runName(ctx context.Context, r *store.Run) string {
	if r.ProfileDeleted() {
		return i18n.T(ctx, "run.deleted", r.ProfileName)
	}
	return r.ProfileName
}

func runSummary(ctx context.Context, r *store.Run) web.RunSummaryView {
	v := web.RunSummaryView{ID: r.ID, Outcome: r.Outcome, When: when(ctx, r.StartedAt), By: r.StartedBy, ProfileName: runName(ctx, r)}
	if r.Result != nil && r.Result.Diagnosis != nil {
		v.Title = i18n.Localize(r.Result.Diagnosis, i18n.From(ctx)).Title
	}
	return v
}

// runListRow is runSummary from the list's columns alone: the same row, without the run's
// result and transcript.
func runListRow(ctx context.Context, r store.RunListItem) web.RunSummaryView {
	name := r.ProfileName
	if r.ProfileDeleted() {
		name = i18n.T(ctx, "run.deleted", r.ProfileName)
	}
	v := web.RunSummaryView{ID: r.ID, Outcome: r.Outcome, When: when(ctx, r.StartedAt), By: r.StartedBy, ProfileName: name}
	if r.DiagnosisCode != "" {
		v.Title = diagnosisTitle(ctx, r.DiagnosisCode, r.DiagnosisTitle)
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

func setupValues(ctx context.Context, p *store.Profile, oid string) mailer.SetupValues {
	return mailer.SetupValues{Cloud: p.Cloud, Tenant: p.Tenant, AppID: p.ClientID, ObjectID: oid, Mailbox: p.Mailbox, From: p.From,
		DisplayName: "smtpoauth: " + p.Name, Words: i18n.WordsIn(i18n.From(ctx)), AuthModel: p.AuthModel}
}

func powerShellView(ctx context.Context, p *store.Profile, oid string) web.PowerShellView {
	cmds := mailer.SetupCommands(setupValues(ctx, p, oid))
	return web.PowerShellView{AppID: p.ClientID, ObjectID: oid, Mailbox: p.Mailbox, Tenant: p.Tenant, Commands: commandViews("ps", cmds)}
}

// diagnosisView shows a diagnosis in the reader's language; commands and quotes stay verbatim.
func diagnosisView(ctx context.Context, d *mailer.Diagnosis) *web.DiagnosisView {
	if d == nil {
		return nil
	}
	d = i18n.Localize(d, i18n.From(ctx))
	v := &web.DiagnosisView{Code: d.Code, Title: d.Title, Explanation: d.Explanation, Quote: d.Quote, DocURL: d.DocURL, Stage: stageLabel(ctx, d.Stage), Temporary: d.Temporary, RetryAfter: d.RetryAfterSeconds}
	for i, st := range d.Steps {
		step := web.StepView{N: i + 1, Text: st.Text}
		if st.Command != "" {
			step.Command = web.CommandView{ID: fmt.Sprintf("fix-%d", i+1), Text: st.Command}
		}
		v.Steps = append(v.Steps, step)
	}
	for _, c := range d.Causes {
		v.Causes = append(v.Causes, c.Text)
	}
	return v
}

// stageLabel names a stage of the dialogue in the reader's language.
func stageLabel(ctx context.Context, st mailer.Stage) string {
	if st == "" {
		return ""
	}
	return i18n.T(ctx, "stage."+string(st))
}

var phases = []string{"token", "connect", "tls", "auth", "send"}

// progress turns the stage reached into the five-step bar.
func progress(stage mailer.Stage, live, ok, sending bool) []web.PhaseView {
	current := 0
	for i, p := range phases {
		if p == stage.Phase() {
			current = i
		}
	}
	out := make([]web.PhaseView, len(phases))
	for i, p := range phases {
		state := "pending"
		switch {
		case ok && (p != "send" || sending):
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
		out[i] = web.PhaseView{Name: p, State: state}
	}
	return out
}

func verdictView(ctx context.Context, res *mailer.Result, recipient string) *web.VerdictView {
	if res == nil {
		return nil
	}
	l := i18n.From(ctx)
	v := &web.VerdictView{OK: res.OK, Diagnosis: diagnosisView(ctx, res.Diagnosis), Outcome: store.OutcomeFailed, Phase: res.Stage.Phase()}
	if res.OK {
		v.Outcome, v.Phase = store.OutcomePassed, ""
	}
	total := i18n.Int(l, res.Finished.Sub(res.Started).Milliseconds())
	v.Duration = i18n.Tr(l, "verdict.duration", total)
	switch {
	case res.OK && res.Sent:
		v.Summary = i18n.Tr(l, "verdict.sent", recipient, total)
	case res.OK:
		v.Summary = i18n.Tr(l, "verdict.auth", total)
	default:
		v.Summary = i18n.Tr(l, "verdict.failed", i18n.Tr(l, "phase."+res.Stage.Phase()), total)
	}
	for _, st := range mailer.Stages() {
		if ms, ok := res.Timings[st]; ok {
			v.Timings = append(v.Timings, web.TimingView{Stage: stageLabel(ctx, st), MS: ms})
		}
	}
	if e := res.Entra; e != nil && (e.TraceID != "" || e.CorrelationID != "") {
		v.Support = i18n.Tr(l, "verdict.support", e.Code, e.TraceID, e.CorrelationID, e.Timestamp)
	}
	return v
}

func claimsView(ctx context.Context, runID string, res *mailer.Result) *web.ClaimsView {
	c := res.Claims
	return &web.ClaimsView{Audience: c.Audience, TenantID: c.TenantID, AppID: c.AppID, ObjectID: c.ObjectID,
		Expires: when(ctx, c.ExpiresAt), Version: c.Version, Roles: strings.Join(c.Roles, ", "), Checks: res.Checks, FromRun: runID}
}
