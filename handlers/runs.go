package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/web"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

// startRun is "Test now": authenticate only, or also send to a recipient.
func (s *Server) startRun(w http.ResponseWriter, r *http.Request) {
	p, err := s.profileParam(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	mode, to := r.PostFormValue("mode"), strings.TrimSpace(r.PostFormValue("to"))
	if msg := s.recipientProblem(r, p, mode, to); msg != "" {
		s.refuseRecipient(w, r, p, to, msg)
		return
	}
	run, err := s.launchRun(r, p, mode, to)
	if err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/runs/"+run.ID, http.StatusSeeOther)
}

// launchRun checks a run's mode and recipient against the policy and starts it: the one way
// the console and the API start a test. mode "send" without a recipient sends to the
// connection's test recipient; any other mode authenticates only.
func (s *Server) launchRun(r *http.Request, p *store.Profile, mode, to string) (*store.Run, error) {
	if mode == "send" && to == "" {
		to = p.TestRecipient
	}
	if mode != "send" {
		mode, to = "auth", ""
	}
	if mode == "send" {
		if err := mailer.ValidateMailbox("to", to); err != nil {
			return nil, &badRequest{i18n.T(r.Context(), "err.recipient_bad", i18n.Msg(i18n.From(r.Context()), err.(*mailer.FieldError).Message))}
		}
		if err := s.checkRecipient(i18n.From(r.Context()), p, to); err != nil {
			s.audit(r, "run.refused", p.Name, "recipient "+to+" not allowed")
			return nil, err
		}
	}
	return s.beginRun(r, p, to)
}

// beginRun records the run and hands it to the hub. The run does not depend on the request: it
// goes on, and is saved, if the client leaves.
func (s *Server) beginRun(r *http.Request, p *store.Profile, to string) (*store.Run, error) {
	if err := s.checkRunRate(currentUser(r), p.ID); err != nil {
		return nil, err
	}
	req, err := s.DB.Request(r.Context(), p, to)
	if err != nil {
		return nil, err
	}
	run, err := s.recordRun(r.Context(), p, req, currentUser(r), to, s.Checker, nil, nil)
	if err != nil {
		return nil, err
	}
	s.audit(r, "run.started", p.Name, fmt.Sprintf("run %s, %s", run.ID, modeLabel(i18n.WithLang(r.Context(), i18n.EN), run)))
	return run, nil
}

// recordRun records a run of req as started and hands it to the hub, which shows it live on its
// run page and saves it when it ends: the one path "Test now", the API and fleet jobs share.
// stop, if not nil, cuts the check short when it ends; saved, if not nil, hears once the run is
// stored (not when saving failed for good).
func (s *Server) recordRun(ctx context.Context, p *store.Profile, req mailer.Request, startedBy, to string, checker mailer.Checker,
	stop context.Context, saved func(res *mailer.Result, interrupted bool)) (*store.Run, error) {
	run := &store.Run{ProfileID: p.ID, ProfileName: p.Name, StartedBy: startedBy, Recipient: to, StartedAt: s.now()}
	if err := s.DB.StartRun(ctx, run); err != nil {
		return nil, err
	}
	s.Hub.Start(run.ID, func(ctx context.Context, emit func(mailer.Event)) *mailer.Result {
		if stop != nil {
			var cancel context.CancelFunc
			ctx, cancel = context.WithCancel(ctx)
			defer context.AfterFunc(stop, cancel)()
			defer cancel()
		}
		return checker.Run(ctx, req, emit)
	}, func(ctx context.Context, res *mailer.Result, interrupted bool) error {
		// The hub gives a fresh context: the run is saved even when its request is long gone.
		save := s.DB.FinishRun
		if interrupted {
			save = s.DB.InterruptRun
		}
		// The record keeps an English reading beside the codes, as before the catalogue, for the
		// database and its backups; pages put the codes into the reader's language again.
		record := *res
		record.Diagnosis, record.Checks = i18n.Localize(res.Diagnosis, i18n.EN), i18n.ClaimChecks(i18n.EN, res.Checks)
		if err := save(ctx, run.ID, &record); errors.Is(err, store.ErrNotFound) {
			// The row is gone (a restored backup): retrying cannot help.
			s.Log.Error("test run not saved: its row no longer exists", "run_id", run.ID)
			return nil
		} else if err != nil {
			return err
		}
		code := ""
		if res.Diagnosis != nil {
			code = res.Diagnosis.Code
		}
		s.apiMetrics().observeRun(res, interrupted)
		s.Log.Info("test run finished", "run_id", run.ID, "ok", res.OK, "stage", res.Stage, "diagnosis", code)
		if saved != nil {
			saved(&record, interrupted)
		}
		return nil
	})
	return run, nil
}

func (s *Server) listRuns(w http.ResponseWriter, r *http.Request) {
	runs, err := s.DB.RunList(r.Context(), 200)
	if err != nil {
		s.error(w, r, err)
		return
	}
	v := web.RunsView{Page: s.page(r, i18n.T(r.Context(), "runs.title"), "runs")}
	for _, run := range runs {
		v.Runs = append(v.Runs, runListRow(r.Context(), run))
	}
	s.render(w, r, http.StatusOK, web.RunsPage(v))
}

func modeLabel(ctx context.Context, run *store.Run) string {
	if run.Recipient != "" {
		return i18n.T(ctx, "mode.send", run.Recipient)
	}
	return i18n.T(ctx, "mode.auth")
}

func (s *Server) showRun(w http.ResponseWriter, r *http.Request) {
	run, err := s.DB.Run(r.Context(), chi.URLParam(r, "id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	v := web.RunView{Page: s.page(r, i18n.T(r.Context(), "runs.title"), "runs"), ID: run.ID, ProfileName: run.ProfileName, ProfileID: run.ProfileID,
		ProfileDeleted: run.ProfileDeleted(), StartedBy: run.StartedBy, StartedAt: when(r.Context(), run.StartedAt), Mode: modeLabel(r.Context(), run)}
	if events, live := s.Hub.Snapshot(run.ID); live {
		v.Live, v.Events = true, events
		stage := mailer.StageToken
		if len(events) > 0 {
			stage = events[len(events)-1].Stage
			v.After = events[len(events)-1].Seq
		}
		v.Progress = progress(stage, true, false, run.Recipient != "")
		v.Wait = s.liveWait(r.Context(), run, events)
	} else {
		// Finished (or interrupted): reload, since it may have finished after the lookup above.
		if run, err = s.DB.Run(r.Context(), run.ID); err != nil {
			s.error(w, r, err)
			return
		}
		v.Events = run.Events
		v.Progress, v.Verdict = finishedView(r.Context(), run)
		v.Token = tokenLabel(r.Context(), run.Result)
		v.Verdict.Settings = s.runSettings(r.Context(), run)
	}
	linkChecklist(v.Verdict, run)
	s.render(w, r, http.StatusOK, web.RunPage(v))
}

// tokenLabel says which token a finished run used: reused from an earlier run, or fetched for
// it; empty when the run got no token (it stopped at its input or at Entra ID).
func tokenLabel(ctx context.Context, res *mailer.Result) string {
	switch {
	case res == nil:
		return ""
	case res.TokenReused:
		return i18n.T(ctx, "run.token_reused")
	case res.Claims != nil:
		return i18n.T(ctx, "run.token_fresh")
	}
	return ""
}

// linkChecklist points a diagnosis at the checklist step it concerns.
func linkChecklist(v *web.VerdictView, run *store.Run) {
	if v == nil || v.Diagnosis == nil || run.ProfileDeleted() {
		return
	}
	var model mailer.AuthModel
	if run.Result != nil && run.Result.Diagnosis != nil {
		model = run.Result.Diagnosis.Values.Model
	}
	if step := mailer.StepForDiagnosisIn(v.Diagnosis.Code, model); step != "" {
		v.Diagnosis.StepURL = fmt.Sprintf("/profiles/%d/setup#step-%s", run.ProfileID, step)
	}
}

func finishedView(ctx context.Context, run *store.Run) ([]web.PhaseView, *web.VerdictView) {
	if run.Result == nil {
		return progress(mailer.Stage(run.Stage), false, false, run.Recipient != ""),
			&web.VerdictView{Summary: i18n.T(ctx, "verdict.interrupted"), Outcome: store.OutcomeInterrupted, Phase: mailer.Stage(run.Stage).Phase()}
	}
	v := verdictView(ctx, run.Result, run.Recipient)
	if run.Outcome == store.OutcomeInterrupted {
		// Cut off (by a shutdown) is not a failure of the connection, whatever stage it reached.
		v.Outcome = store.OutcomeInterrupted
	}
	return progress(run.Result.Stage, false, run.Result.OK, run.Result.Sent), v
}

func (s *Server) runTranscript(w http.ResponseWriter, r *http.Request) {
	run, err := s.DB.Run(r.Context(), chi.URLParam(r, "id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	events := run.Events
	if live, ok := s.Hub.Snapshot(run.ID); ok {
		events = live
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="smtpoauth-transcript-%s.txt"`, run.ID))
	fmt.Fprintf(w, "smtpoauth transcript of run %s (%s, %s)\n\n", run.ID, run.DisplayName(), run.StartedAt.UTC().Format(evidenceTime))
	w.Write([]byte(mailer.RenderText(events)))
}
