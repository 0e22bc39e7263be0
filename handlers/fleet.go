package handlers

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/web"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

// Fleet defaults.
const (
	// DefaultFleetRunsPerMinute is how many fleet runs one user may start in a minute: enough to
	// correct a wrong tag, not enough to flood the queue.
	DefaultFleetRunsPerMinute = 3
	// DefaultScheduleEvery is how often the schedule looks for connections due for a re-test.
	DefaultScheduleEvery = time.Minute
	// fleetChangesPerPoll bounds the rows one poll of the fleet page sends; the rest follow in
	// the next polls.
	fleetChangesPerPoll = 200
)

func fleetError(status int, key string, args ...any) error {
	return &statusError{status: status, titleKey: "fleet.err_title", msgKey: key, args: args}
}

// startFleet is "Test all", "Test failing", "Test selected" and "Test tag": one fleet run, one
// audit entry, one check job per connection.
func (s *Server) startFleet(w http.ResponseWriter, r *http.Request) {
	if s.Queue == nil {
		s.error(w, r, fleetError(http.StatusServiceUnavailable, "fleet.err_off"))
		return
	}
	sel, tag := r.PostFormValue("selection"), strings.TrimSpace(r.PostFormValue("tag"))
	var ids []int64
	switch sel {
	case store.SelectAll, store.SelectFailing:
		tag = ""
	case store.SelectTag:
		if tag == "" {
			s.error(w, r, fleetError(http.StatusBadRequest, "fleet.err_tag"))
			return
		}
	case store.SelectSelected:
		tag = ""
		for _, v := range r.PostForm["id"] {
			id, err := strconv.ParseInt(v, 10, 64)
			if err != nil || id <= 0 {
				s.error(w, r, fleetError(http.StatusBadRequest, "fleet.err_selected"))
				return
			}
			ids = append(ids, id)
		}
		if len(ids) == 0 {
			s.error(w, r, fleetError(http.StatusBadRequest, "fleet.err_selected"))
			return
		}
	default:
		s.error(w, r, fleetError(http.StatusBadRequest, "fleet.err_selection"))
		return
	}
	user := currentUser(r)
	if ok, wait := s.fleetRuns.allow(user, s.now()); !ok {
		s.error(w, r, fleetError(http.StatusTooManyRequests, "fleet.err_rate", s.fleetRuns.n, wait.Round(time.Second).String()))
		return
	}
	targets, err := s.DB.FleetTargets(r.Context(), sel, tag, ids)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if len(targets) == 0 {
		s.error(w, r, fleetError(http.StatusUnprocessableEntity, "fleet.err_none"))
		return
	}
	f := &store.FleetRun{StartedBy: user, Selection: sel, Tag: tag, StartedAt: s.now()}
	// The fleet run goes on if the browser leaves.
	if err := s.enqueueFleet(context.WithoutCancel(r.Context()), f, targets); err != nil {
		s.error(w, r, err)
		return
	}
	s.audit(r, "fleet.started", "fleet "+f.ID, fmt.Sprintf("%s, %d connections", selectionLabel(i18n.WithLang(r.Context(), i18n.EN), f), len(targets)))
	http.Redirect(w, r, "/fleet/"+f.ID, http.StatusSeeOther)
}

// selectionLabel says in words which connections a fleet run covers.
func selectionLabel(ctx context.Context, f *store.FleetRun) string {
	if f.Selection == store.SelectTag {
		return i18n.T(ctx, "fleet.sel.tag", f.Tag)
	}
	return i18n.T(ctx, "fleet.sel."+f.Selection)
}

func fleetRow(it store.FleetItem) web.FleetRowView {
	return web.FleetRowView{ProfileID: it.ProfileID, Name: it.ProfileName, State: it.State, RunID: it.RunID, Diagnosis: it.DiagnosisTitle}
}

func (s *Server) fleetCounts(ctx context.Context, id string) (web.FleetCountsView, bool, int64, error) {
	c, version, err := s.DB.FleetCounts(ctx, id)
	if err != nil {
		return web.FleetCountsView{}, false, 0, err
	}
	v := web.FleetCountsView{Queued: c.Queued, Running: c.Running, Passed: c.Passed, Failed: c.Failed, Cancelled: c.Cancelled, Skipped: c.Skipped}
	for _, d := range c.ByDiagnosis {
		v.ByDiagnosis = append(v.ByDiagnosis, web.FleetDiagnosisView{Code: d.Code, Title: diagnosisTitle(ctx, d.Code, d.Title), Count: d.Count})
	}
	return v, c.Finished(), version, nil
}

// showFleet is a fleet run's page; it polls fleetUpdates for what changes.
func (s *Server) showFleet(w http.ResponseWriter, r *http.Request) {
	f, err := s.DB.FleetRun(r.Context(), chi.URLParam(r, "id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	// The counters first: a row that changes between the two reads is sent again by the next poll.
	counts, finished, version, err := s.fleetCounts(r.Context(), f.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	items, err := s.DB.FleetItems(r.Context(), f.ID, -1, 0)
	if err != nil {
		s.error(w, r, err)
		return
	}
	v := web.FleetView{Page: s.page(r, i18n.T(r.Context(), "fleet.title"), "fleet"), ID: f.ID, StartedBy: f.StartedBy,
		StartedAt: when(r.Context(), f.StartedAt), Selection: selectionLabel(r.Context(), f), Total: f.Total, Counts: counts,
		CancelledBy: f.CancelledBy, Finished: finished, Version: version}
	if f.Cancelled() && v.CancelledBy == "" {
		v.CancelledBy = "?"
	}
	for _, it := range items {
		v.Rows = append(v.Rows, fleetRow(it))
	}
	s.render(w, r, http.StatusOK, web.FleetPage(v))
}

// fleetUpdates answers the fleet page's poll: counters, and the rows changed after ?after=.
func (s *Server) fleetUpdates(w http.ResponseWriter, r *http.Request) {
	f, err := s.DB.FleetRun(r.Context(), chi.URLParam(r, "id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	after, err := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	if err != nil || after < 0 {
		after = 0
	}
	counts, finished, version, err := s.fleetCounts(r.Context(), f.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	items, err := s.DB.FleetItems(r.Context(), f.ID, after, fleetChangesPerPoll)
	if err != nil {
		s.error(w, r, err)
		return
	}
	v := web.FleetUpdatesView{ID: f.ID, Counts: counts, Finished: finished, Version: version, Cancellable: !finished && !f.Cancelled()}
	if len(items) == fleetChangesPerPoll {
		// More changed than one answer carries: ask again from the last one sent.
		v.Version, v.Finished = items[len(items)-1].Version, false
	}
	for _, it := range items {
		v.Rows = append(v.Rows, fleetRow(it))
	}
	s.render(w, r, http.StatusOK, web.FleetUpdates(v))
}

// cancelFleet cancels a fleet run: checks not yet begun never run; running ones finish.
func (s *Server) cancelFleet(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	jobs, err := s.DB.CancelFleetRun(r.Context(), id, currentUser(r))
	if err != nil {
		s.error(w, r, err)
		return
	}
	// The jobs stay queued: each finds its items cancelled and ends without a check. Dropping
	// them from the queue instead would strand another fleet run's rows that share a job.
	s.audit(r, "fleet.cancelled", "fleet "+id, fmt.Sprintf("%d queued checks cancelled", len(jobs)))
	http.Redirect(w, r, "/fleet/"+id, http.StatusSeeOther)
}

// listFleet lists the latest fleet runs.
func (s *Server) listFleet(w http.ResponseWriter, r *http.Request) {
	runs, err := s.DB.FleetRuns(r.Context(), 100)
	if err != nil {
		s.error(w, r, err)
		return
	}
	def, err := s.DB.DefaultRetest(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	v := web.FleetListView{Page: s.page(r, i18n.T(r.Context(), "fleet.list_title"), "fleet"), DefaultRetest: def}
	for _, f := range runs {
		v.Runs = append(v.Runs, web.FleetListRow{ID: f.ID, StartedBy: f.StartedBy, StartedAt: when(r.Context(), f.StartedAt),
			Selection: selectionLabel(r.Context(), f), Total: f.Total, Cancelled: f.Cancelled()})
	}
	s.render(w, r, http.StatusOK, web.FleetListPage(v))
}

// setSchedule sets the global re-test interval.
func (s *Server) setSchedule(w http.ResponseWriter, r *http.Request) {
	minutes, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("minutes")))
	if err != nil {
		s.error(w, r, fleetError(http.StatusBadRequest, "fleet.err_minutes"))
		return
	}
	if err := s.DB.SetDefaultRetest(r.Context(), minutes, currentUser(r)); err != nil {
		s.error(w, r, err)
		return
	}
	s.audit(r, "schedule.changed", "default", fmt.Sprintf("every %d minutes", minutes))
	http.Redirect(w, r, "/fleet", http.StatusSeeOther)
}

// setRetest sets one connection's re-test interval: empty follows the global default.
func (s *Server) setRetest(w http.ResponseWriter, r *http.Request) {
	p, err := s.profileParam(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var minutes *int
	if v := strings.TrimSpace(r.PostFormValue("minutes")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			s.error(w, r, fleetError(http.StatusBadRequest, "fleet.err_minutes"))
			return
		}
		minutes = &n
	}
	if err := s.DB.SetRetest(r.Context(), p.ID, minutes); err != nil {
		s.error(w, r, err)
		return
	}
	detail := "follows the default"
	if minutes != nil {
		detail = fmt.Sprintf("every %d minutes", *minutes)
	}
	s.audit(r, "schedule.changed", p.Name, detail)
	http.Redirect(w, r, fmt.Sprintf("/profiles/%d", p.ID), http.StatusSeeOther)
}
