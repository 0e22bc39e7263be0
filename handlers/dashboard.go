package handlers

import (
	"context"
	"net/http"

	"github.com/smtpoauth/smtpoauth/web"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

// diagnosisTitle is a stored diagnosis's title in the reader's language.
func diagnosisTitle(ctx context.Context, code, stored string) string {
	if code == "" {
		return stored
	}
	return i18n.Title(i18n.From(ctx), code)
}

// dashboard lists the connections, filtered by name, tenant or mailbox.
func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
	filter := r.URL.Query().Get("q")
	ps, err := s.DB.Profiles(r.Context(), filter)
	if err != nil {
		s.error(w, r, err)
		return
	}
	total := len(ps)
	if filter != "" {
		if total, err = s.DB.CountProfiles(r.Context()); err != nil {
			s.error(w, r, err)
			return
		}
	}
	last, err := s.DB.LastRuns(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	now := s.now()
	v := web.DashboardView{Page: s.page(r, i18n.T(r.Context(), "dash.title"), "profiles"), Filter: filter, Total: total}
	for _, p := range ps {
		row := web.DashboardRow{ID: p.ID, Name: p.Name, Cloud: cloudLabel(r.Context(), p.Cloud), Tenant: p.Tenant, Mailbox: p.Mailbox,
			Simulated: s.simulated(p), SecretAge: age(r.Context(), p.SecretSetAt, now)}
		row.ExpiryWarning, row.ExpiryLevel = expiry(r.Context(), p.SecretExpiresOn, now)
		if lr, ok := last[p.ID]; ok {
			row.LastRun = &web.RunSummaryView{ID: lr.ID, Outcome: lr.Outcome, When: when(r.Context(), lr.StartedAt), Title: diagnosisTitle(r.Context(), lr.DiagnosisCode, lr.DiagnosisTitle)}
		}
		v.Rows = append(v.Rows, row)
	}
	s.render(w, r, http.StatusOK, web.Dashboard(v))
}
