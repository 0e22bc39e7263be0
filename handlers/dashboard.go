package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/smtpoauth/smtpoauth/store"
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

// fleetQuery reads the dashboard's filters from the address. A value the console does not know
// (an old bookmark) falls back to the default rather than failing the page.
func fleetQuery(q url.Values) store.ProfileQuery {
	pq := store.ProfileQuery{Search: q.Get("q"), Tag: strings.TrimSpace(q.Get("tag")), Status: q.Get("status"), Sort: q.Get("sort")}
	if !store.ValidStatusFilter(pq.Status) {
		pq.Status = ""
	}
	if !store.ValidSort(pq.Sort) || pq.Sort == store.SortName {
		pq.Sort = ""
	}
	pq.Page, _ = strconv.Atoi(q.Get("page"))
	return pq
}

// fleetHref is the dashboard's address for a query; page 1 and defaults are left out.
func fleetHref(path string, pq store.ProfileQuery) string {
	v := url.Values{}
	for k, val := range map[string]string{"q": pq.Search, "tag": pq.Tag, "status": pq.Status, "sort": pq.Sort} {
		if val != "" {
			v.Set(k, val)
		}
	}
	if pq.Page > 1 {
		v.Set("page", strconv.Itoa(pq.Page))
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// dashboard lists a page of connections with the counts by state, filtered by name, tenant or
// mailbox, tag and state, in the order chosen.
func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	pq := fleetQuery(r.URL.Query())
	pg, err := s.DB.QueryProfiles(ctx, pq)
	if err != nil {
		s.error(w, r, err)
		return
	}
	total := pg.Counts.All
	if pq.Search != "" || pq.Tag != "" {
		if total, err = s.DB.CountProfiles(ctx); err != nil {
			s.error(w, r, err)
			return
		}
	}
	tags, err := s.DB.Tags(ctx)
	if err != nil {
		s.error(w, r, err)
		return
	}
	now := s.now()
	v := web.DashboardView{Page: s.page(r, i18n.T(ctx, "dash.title"), "profiles"), Filter: pq.Search, Total: total,
		Fleet: s.fleetControls(r, pq, pg, tags)}
	for _, p := range pg.Profiles {
		row := web.DashboardRow{ID: p.ID, Name: p.Name, Cloud: cloudLabel(ctx, p.Cloud), Tenant: p.Tenant, Mailbox: p.Mailbox,
			Simulated: s.simulated(p), SecretAge: age(ctx, p.SecretSetAt, now), Status: p.Status.State(), SecretMissing: !p.HasCredential()}
		row.ExpiryWarning, row.ExpiryLevel, row.ExpiryDays = expiry(ctx, p, now)
		for _, tg := range p.Tags {
			row.Tags = append(row.Tags, web.Link{Label: tg, Href: fleetHref("/", store.ProfileQuery{Tag: tg})})
		}
		if st := p.Status; st.RunID != "" {
			row.LastRun = &web.RunSummaryView{ID: st.RunID, Outcome: st.Outcome, When: when(ctx, st.TestedAt), Title: diagnosisTitle(ctx, st.DiagnosisCode, st.DiagnosisTitle)}
		}
		v.Rows = append(v.Rows, row)
	}
	s.render(w, r, http.StatusOK, web.Dashboard(v))
}

// fleetControls are the counts, choices and pager of a dashboard page.
func (s *Server) fleetControls(r *http.Request, pq store.ProfileQuery, pg *store.ProfilePage, tags []store.TagCount) web.FleetControls {
	ctx := r.Context()
	l := i18n.From(ctx)
	f := web.FleetControls{Tag: pq.Tag, Status: pq.Status, Sort: pq.Sort, CanImport: isAdmin(r)}
	statuses := []struct{ key, filter string }{{"all", ""}, {"failing", store.StateFailing}, {"untested", store.StateUntested},
		{"passing", store.StatePassing}, {"expiring", store.FilterExpiring}, {"missing", store.FilterSecretMissing}}
	for _, st := range statuses {
		n := pg.Counts.Of(st.filter)
		// "Secret missing" only shows when some connection lacks its secret.
		if st.key == "missing" && n == 0 && pq.Status != store.FilterSecretMissing {
			continue
		}
		label := i18n.Tr(l, "fleet.count_"+st.key)
		q := pq
		q.Status, q.Page = st.filter, 0
		f.Counts = append(f.Counts, web.StatusCount{Key: st.key, Label: label, Count: n, Href: fleetHref("/", q), Active: pq.Status == st.filter})
		f.Statuses = append(f.Statuses, web.Option{Value: st.filter, Label: label, Selected: pq.Status == st.filter})
	}
	tagKnown := false
	for _, tc := range tags {
		sel := strings.EqualFold(tc.Tag, pq.Tag)
		tagKnown = tagKnown || sel
		f.Tags = append(f.Tags, web.Option{Value: tc.Tag, Label: tc.Tag + " (" + strconv.Itoa(tc.Count) + ")", Selected: sel})
	}
	if pq.Tag != "" && !tagKnown {
		// A tag no connection carries any more stays chosen, so the page says why it is empty.
		f.Tags = append(f.Tags, web.Option{Value: pq.Tag, Label: pq.Tag + " (0)", Selected: true})
	}
	for _, so := range []string{store.SortName, store.SortStatus, store.SortTested, store.SortExpiry} {
		val := so
		if so == store.SortName {
			val = ""
		}
		f.Sorts = append(f.Sorts, web.Option{Value: val, Label: i18n.Tr(l, "fleet.sort_"+so), Selected: pq.Sort == val})
	}
	f.Pager = web.Pager{Page: pg.Page, Pages: pg.Pages}
	if pg.Total > 0 {
		first := (pg.Page-1)*pg.PerPage + 1
		f.Pager.Summary = i18n.Tr(l, "fleet.page_summary", first, first+len(pg.Profiles)-1, pg.Total)
	}
	if pg.Page > 1 {
		q := pq
		q.Page = pg.Page - 1
		f.Pager.Prev = fleetHref("/", q)
	}
	if pg.Page < pg.Pages {
		q := pq
		q.Page = pg.Page + 1
		f.Pager.Next = fleetHref("/", q)
	}
	exp := pq
	exp.Page = 0
	f.ExportHref = fleetHref("/export.csv", exp)
	f.NoMatch = noMatch(ctx, pq)
	return f
}

// noMatch says which filters left the list empty.
func noMatch(ctx context.Context, pq store.ProfileQuery) string {
	var parts []string
	if pq.Search != "" {
		parts = append(parts, i18n.T(ctx, "fleet.nm_search", pq.Search))
	}
	if pq.Tag != "" {
		parts = append(parts, i18n.T(ctx, "fleet.nm_tag", pq.Tag))
	}
	if pq.Status != "" {
		parts = append(parts, i18n.T(ctx, "fleet.nm_status", i18n.T(ctx, "fleet.count_"+statusKey(pq.Status))))
	}
	return i18n.T(ctx, "fleet.no_match", strings.Join(parts, ", "))
}

// isAdmin reports whether the signed-in user is an administrator.
func isAdmin(r *http.Request) bool {
	u := userFrom(r)
	return u != nil && u.IsAdmin()
}

// statusKey is the count key of a status filter.
func statusKey(status string) string {
	if status == "" {
		return "all"
	}
	return status
}
