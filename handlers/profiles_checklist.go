package handlers

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/web"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

// lastFacts finds what the checklist needs from the run history: the last token's claims and the
// last test's outcome.
func lastFacts(runs []*store.Run) (claims *mailer.Claims, last *store.Run) {
	for _, r := range runs {
		if r.Result == nil {
			continue
		}
		if last == nil {
			last = r
		}
		if claims == nil && r.Result.Claims != nil {
			claims = r.Result.Claims
		}
	}
	return claims, last
}

func scriptValues(ctx context.Context, p *store.Profile, oid string) mailer.ScriptValues {
	return mailer.ScriptValues{ProfileName: p.Name, CredentialKind: p.CredentialKind, Thumbprint: p.SecretHint, SetupValues: setupValues(ctx, p, oid)}
}

// checklist is the administrator's procedure for one connection, each step with what smtpoauth knows.
func (s *Server) checklist(w http.ResponseWriter, r *http.Request) {
	p, runs, err := s.profileHistory(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	claims, last := lastFacts(runs)
	in := mailer.ChecklistInput{Values: setupValues(r.Context(), p, ""), Claims: claims, SecretLooksLikeID: p.SecretLooksLikeID, CredentialKind: p.CredentialKind}
	if claims != nil {
		in.Values.ObjectID = claims.ObjectID
	}
	var lastDiag *mailer.Diagnosis
	if last != nil {
		in.Tested, in.LastOK, in.LastSent, in.AuthPassed = true, last.Result.OK, last.Result.Sent, last.Result.AuthPassed()
		if lastDiag = i18n.Localize(last.Result.Diagnosis, i18n.From(r.Context())); lastDiag != nil {
			in.LastCode = lastDiag.Code
		}
	}
	id := strconv.FormatInt(p.ID, 10)
	v := web.ChecklistView{Page: s.page(r, i18n.T(r.Context(), "check.title")+": "+p.Name, "profiles"), ProfileID: p.ID, ProfileName: p.Name,
		ScriptURL: "/profiles/" + id + "/setup.ps1", ObjectID: in.Values.ObjectID}
	v.Script = web.CommandView{ID: "full-script", Text: mailer.SetupScript(scriptValues(r.Context(), p, in.Values.ObjectID))}
	for i, st := range mailer.Checklist(in) {
		sv := web.ChecklistStepView{N: i + 1, ID: st.ID, Title: st.Title, What: st.What, Where: st.Where, Status: string(st.Status),
			StatusLabel: i18n.T(r.Context(), "status."+string(st.Status)), Finding: st.Finding, Commands: commandViews("step-"+st.ID, st.Commands)}
		if (st.Status == mailer.StepFailed || st.Status == mailer.StepSuspect) && lastDiag != nil {
			if sv.Finding == "" {
				sv.Finding = i18n.T(r.Context(), "check.finding", when(r.Context(), last.StartedAt), lastDiag.Title)
				if lastDiag.Quote != "" {
					sv.Finding += " — " + lastDiag.Quote
				}
			}
			sv.RunURL = "/runs/" + last.ID
		}
		v.Steps = append(v.Steps, sv)
	}
	s.render(w, r, http.StatusOK, web.ChecklistPage(v))
}

// utf8BOM starts a downloaded script so that Windows PowerShell 5.1 knows it is UTF-8.
const utf8BOM = "\ufeff"

// setupScript downloads the Exchange side as a .ps1 file; it holds no secret.
func (s *Server) setupScript(w http.ResponseWriter, r *http.Request) {
	p, runs, err := s.profileHistory(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	oid := ""
	if claims, _ := lastFacts(runs); claims != nil {
		oid = claims.ObjectID
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="smtpoauth-setup-%d.ps1"`, p.ID))
	// Windows PowerShell 5.1 reads a .ps1 without a byte-order mark in the ANSI code page, which
	// garbles umlauts and arrows; with the UTF-8 BOM every PowerShell reads it as UTF-8.
	w.Write([]byte(utf8BOM + mailer.SetupScript(scriptValues(r.Context(), p, oid))))
}
