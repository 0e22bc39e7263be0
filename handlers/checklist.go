package handlers

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/web"
)

var statusLabels = map[mailer.StepStatus]string{
	mailer.StepOK: "verified", mailer.StepFailed: "failing", mailer.StepSuspect: "possible cause",
	mailer.StepUnknown: "not verified yet", mailer.StepNotNeeded: "not needed",
}

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

func scriptValues(p *store.Profile, oid string) mailer.ScriptValues {
	return mailer.ScriptValues{ProfileName: p.Name, CredentialKind: p.CredentialKind, Thumbprint: p.SecretHint,
		SetupValues: mailer.SetupValues{Cloud: p.Cloud, Tenant: p.Tenant, AppID: p.ClientID, ObjectID: oid, Mailbox: p.Mailbox, From: p.From,
			DisplayName: "smtpoauth: " + p.Name}}
}

// checklist is the administrator's procedure for one connection, each step with what smtpoauth knows.
func (s *Server) checklist(w http.ResponseWriter, r *http.Request) {
	p, err := s.profileParam(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	runs, err := s.DB.Runs(r.Context(), p.ID, 50)
	if err != nil {
		s.error(w, r, err)
		return
	}
	claims, last := lastFacts(runs)
	in := mailer.ChecklistInput{Values: scriptValues(p, "").SetupValues, Claims: claims, SecretLooksLikeID: p.SecretLooksLikeID, CredentialKind: p.CredentialKind}
	if claims != nil {
		in.Values.ObjectID = claims.ObjectID
	}
	var lastDiag *mailer.Diagnosis
	if last != nil {
		in.Tested, in.LastOK, in.LastSent, in.AuthPassed = true, last.Result.OK, last.Result.Sent, last.Result.AuthPassed()
		if lastDiag = last.Result.Diagnosis; lastDiag != nil {
			in.LastCode = lastDiag.Code
		}
	}
	id := strconv.FormatInt(p.ID, 10)
	v := web.ChecklistView{Page: s.page(r, "Setup checklist: "+p.Name, "profiles"), ProfileID: p.ID, ProfileName: p.Name,
		ScriptURL: "/profiles/" + id + "/setup.ps1", ObjectID: in.Values.ObjectID}
	for i, st := range mailer.Checklist(in) {
		sv := web.ChecklistStepView{N: i + 1, ID: st.ID, Title: st.Title, What: st.What, Where: st.Where, Status: string(st.Status),
			StatusLabel: statusLabels[st.Status], Finding: st.Finding, Commands: commandViews("step-"+st.ID, st.Commands)}
		if (st.Status == mailer.StepFailed || st.Status == mailer.StepSuspect) && lastDiag != nil && sv.Finding == "" {
			sv.Finding = fmt.Sprintf("The last test (%s) ended with: %s", last.StartedAt.UTC().Format(timeFormat), lastDiag.Title)
			if lastDiag.Quote != "" {
				sv.Finding += " — " + lastDiag.Quote
			}
			sv.RunURL = "/runs/" + last.ID
		}
		v.Steps = append(v.Steps, sv)
	}
	s.render(w, r, http.StatusOK, web.ChecklistPage(v))
}

// setupScript downloads the Exchange side as a .ps1 file; it holds no secret.
func (s *Server) setupScript(w http.ResponseWriter, r *http.Request) {
	p, err := s.profileParam(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	runs, err := s.DB.Runs(r.Context(), p.ID, 50)
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
	w.Write([]byte(mailer.SetupScript(scriptValues(p, oid))))
}
