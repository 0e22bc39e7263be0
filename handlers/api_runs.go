package handlers

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

// apiRun is a run as the API shows it. Result is null while the run is going.
type apiRun struct {
	ID             string     `json:"id"`
	ConnectionID   *int64     `json:"connection_id"`
	ConnectionName string     `json:"connection_name"`
	StartedBy      string     `json:"started_by"`
	StartedAt      time.Time  `json:"started_at"`
	FinishedAt     *time.Time `json:"finished_at"`
	Status         string     `json:"status"`
	Mode           string     `json:"mode"`
	Recipient      string     `json:"recipient"`
	Stage          string     `json:"stage"`
	Result         *apiResult `json:"result"`
}

type apiResult struct {
	OK          bool             `json:"ok"`
	Stage       string           `json:"stage"`
	MessageSent bool             `json:"message_sent"`
	TimingsMS   map[string]int64 `json:"timings_ms"`
	Diagnosis   *apiDiagnosis    `json:"diagnosis"`
}

type apiDiagnosis struct {
	Code        string    `json:"code"`
	Title       string    `json:"title"`
	Explanation string    `json:"explanation"`
	Remediation []apiStep `json:"remediation"`
	DocURL      string    `json:"doc_url"`
	Quote       string    `json:"quote"`
	Stage       string    `json:"stage"`
	Temporary   bool      `json:"temporary"`
	// RetryAfterSeconds is the wait Microsoft asked for before trying again, 0 when it named none.
	RetryAfterSeconds int `json:"retry_after_seconds"`
	// Causes are the candidates a reply leaves open (535 5.7.3), most likely first.
	Causes []apiCause `json:"causes"`
}

type apiCause struct {
	Rank int    `json:"rank"`
	Step string `json:"step"`
	Text string `json:"text"`
}

type apiStep struct {
	Text    string `json:"text"`
	Command string `json:"command"`
}

type apiEvent struct {
	Seq      int    `json:"seq"`
	OffsetMS int64  `json:"offset_ms"`
	Dir      string `json:"dir"`
	Stage    string `json:"stage"`
	Text     string `json:"text"`
}

func toAPIEvent(e mailer.Event) apiEvent {
	return apiEvent{Seq: e.Seq, OffsetMS: e.OffsetMS, Dir: string(e.Dir), Stage: string(e.Stage), Text: e.Text}
}

// toAPIRun shows a run; a diagnosis is in the reader's language (Accept-Language), commands and
// quotes verbatim, as on the run page.
func toAPIRun(ctx context.Context, run *store.Run) apiRun {
	out := apiRun{ID: run.ID, ConnectionName: run.ProfileName, StartedBy: run.StartedBy, StartedAt: run.StartedAt.UTC(), Status: run.Outcome,
		Mode: "auth", Recipient: run.Recipient, Stage: run.Stage}
	if run.Recipient != "" {
		out.Mode = "send"
	}
	if !run.ProfileDeleted() {
		id := run.ProfileID
		out.ConnectionID = &id
	}
	if !run.FinishedAt.IsZero() {
		f := run.FinishedAt.UTC()
		out.FinishedAt = &f
	}
	if res := run.Result; res != nil {
		out.Result = &apiResult{OK: res.OK, Stage: string(res.Stage), MessageSent: res.Sent, TimingsMS: map[string]int64{}}
		for st, ms := range res.Timings {
			out.Result.TimingsMS[string(st)] = ms
		}
		if d := res.Diagnosis; d != nil {
			d = i18n.Localize(d, i18n.From(ctx))
			ad := &apiDiagnosis{Code: d.Code, Title: d.Title, Explanation: d.Explanation, Remediation: []apiStep{}, DocURL: d.DocURL, Quote: d.Quote,
				Stage: string(d.Stage), Temporary: d.Temporary, RetryAfterSeconds: d.RetryAfterSeconds, Causes: []apiCause{}}
			for _, c := range d.Causes {
				ad.Causes = append(ad.Causes, apiCause{Rank: c.Rank, Step: c.Step, Text: c.Text})
			}
			for _, st := range d.Steps {
				ad.Remediation = append(ad.Remediation, apiStep{Text: st.Text, Command: st.Command})
			}
			out.Result.Diagnosis = ad
		}
	}
	return out
}

// apiStartRun starts a test through the console's own path: the same recipient policy, rate
// limits and audit. It answers at once with the run, which goes on without the client.
func (s *Server) apiStartRun(w http.ResponseWriter, r *http.Request) {
	p, err := s.profileParam(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var body struct {
		Mode string `json:"mode"`
		To   string `json:"to"`
	}
	if err := decodeJSON(r, &body); err != nil {
		s.apiError(w, r, err)
		return
	}
	if body.Mode != "auth" && body.Mode != "send" {
		s.apiError(w, r, &apiProblem{status: http.StatusUnprocessableEntity, code: "invalid", detail: `mode must be "auth" or "send"`, fields: map[string]string{"mode": `"auth" or "send"`}})
		return
	}
	run, err := s.launchRun(r, p, body.Mode, strings.TrimSpace(body.To))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/runs/"+run.ID)
	writeJSON(w, http.StatusAccepted, toAPIRun(r.Context(), run))
}

var runStatuses = map[string]bool{store.OutcomeRunning: true, store.OutcomePassed: true, store.OutcomeFailed: true, store.OutcomeInterrupted: true}

func (s *Server) apiListRuns(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, offset, err := paging(q)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	f := store.RunFilter{Outcome: q.Get("status"), Limit: limit, Offset: offset}
	if f.Outcome != "" && !runStatuses[f.Outcome] {
		s.apiError(w, r, &apiProblem{status: http.StatusBadRequest, code: "bad_query", detail: "status must be running, passed, failed or interrupted", fields: map[string]string{"status": "running, passed, failed or interrupted"}})
		return
	}
	if v := q.Get("connection_id"); v != "" {
		if f.ProfileID, err = strconv.ParseInt(v, 10, 64); err != nil || f.ProfileID < 1 {
			s.apiError(w, r, &apiProblem{status: http.StatusBadRequest, code: "bad_query", detail: "connection_id must be a connection's ID", fields: map[string]string{"connection_id": "a connection's ID"}})
			return
		}
	}
	runs, total, err := s.DB.RunPage(r.Context(), f)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	page := apiPage[apiRun]{Items: []apiRun{}, Total: total, Next: nextPage(r, offset, limit, total)}
	for _, run := range runs {
		page.Items = append(page.Items, toAPIRun(r.Context(), run))
	}
	writeJSON(w, http.StatusOK, page)
}

func (s *Server) apiGetRun(w http.ResponseWriter, r *http.Request) {
	run, err := s.DB.Run(r.Context(), chi.URLParam(r, "id"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toAPIRun(r.Context(), run))
}

// apiTranscript is the run's transcript so far: live from the hub while it runs, else saved.
func (s *Server) apiTranscript(w http.ResponseWriter, r *http.Request) {
	run, err := s.DB.Run(r.Context(), chi.URLParam(r, "id"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	events := run.Events
	if live, ok := s.Hub.Snapshot(run.ID); ok {
		events = live
	}
	out := struct {
		RunID  string     `json:"run_id"`
		Events []apiEvent `json:"events"`
	}{RunID: run.ID, Events: []apiEvent{}}
	for _, e := range events {
		out.Events = append(out.Events, toAPIEvent(e))
	}
	writeJSON(w, http.StatusOK, out)
}

// apiRunEvents is the console's live stream with JSON in place of HTML: "line" events carry one
// transcript line each (id = its sequence number, for Last-Event-ID), then "verdict" the run as
// GET /api/v1/runs/{id} shows it, then "done".
func (s *Server) apiRunEvents(w http.ResponseWriter, r *http.Request) {
	s.streamRun(w, r, jsonStream{s})
}

type jsonStream struct{ s *Server }

func (j jsonStream) line(_ context.Context, w http.ResponseWriter, e mailer.Event, _ *liveProgress) {
	writeJSONEvent(w, "line", strconv.Itoa(e.Seq), toAPIEvent(e))
}

func (j jsonStream) verdict(ctx context.Context, w http.ResponseWriter, run *store.Run) {
	writeJSONEvent(w, "verdict", "", toAPIRun(ctx, run))
	fmt.Fprint(w, "event: done\ndata: {}\n\n")
}

func (j jsonStream) fail(w http.ResponseWriter, r *http.Request, err error) { j.s.apiError(w, r, err) }

// writeJSONEvent writes one event; JSON has no raw line breaks, so one data: line carries it.
func writeJSONEvent(w http.ResponseWriter, event, id string, v any) {
	b, _ := json.Marshal(v)
	var out strings.Builder
	out.WriteString("event: " + event + "\n")
	if id != "" {
		out.WriteString("id: " + id + "\n")
	}
	out.WriteString("data: " + string(b) + "\n\n")
	w.Write([]byte(out.String()))
}
