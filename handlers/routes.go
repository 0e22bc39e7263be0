package handlers

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/web"
)

// Route is one entry of the route table, with who may use it.
type Route struct {
	Method, Pattern string
	Access          Access
	handler         http.HandlerFunc
}

// RouteTable is the whole console in one list; Routes serves it and tests walk it.
func (s *Server) RouteTable() []Route {
	return append([]Route{
		{"GET", "/healthz", Public, s.healthz},
		{"GET", "/readyz", Public, s.readyz},
		{"GET", "/signin", Public, s.signInForm},
		{"POST", "/signin", Public, s.signIn},
		{"POST", "/lang", Public, s.setLanguage},
		{"GET", "/setup/{token}", Public, s.setupForm},
		{"POST", "/setup/{token}", Public, s.setup},

		{"POST", "/signout", SignedIn, s.signOut},
		{"POST", "/signout-everywhere", SignedIn, s.signOutEverywhere},
		{"GET", "/", SignedIn, s.dashboard},
		{"GET", "/export.csv", SignedIn, s.exportCSV},
		{"GET", "/profiles/{id}", SignedIn, s.showProfile},
		{"POST", "/profiles/{id}/runs", SignedIn, s.startRun},
		{"POST", "/profiles/{id}/notes", SignedIn, s.updateNotes},
		{"GET", "/profiles/{id}/setup", SignedIn, s.checklist},
		{"GET", "/profiles/{id}/setup.ps1", SignedIn, s.setupScript},
		{"GET", "/runs", SignedIn, s.listRuns},
		{"GET", "/runs/{id}", SignedIn, s.showRun},
		{"GET", "/runs/{id}/events", SignedIn, s.runEvents},
		{"GET", "/runs/{id}/transcript.txt", SignedIn, s.runTranscript},
		{"GET", "/runs/{id}/evidence.txt", SignedIn, s.runEvidence},
		{"GET", "/alerts", SignedIn, s.alertsPage},
		{"GET", "/fleet", SignedIn, s.listFleet},
		{"POST", "/fleet", SignedIn, s.startFleet},
		{"GET", "/fleet/{id}", SignedIn, s.showFleet},
		{"GET", "/fleet/{id}/updates", SignedIn, s.fleetUpdates},
		{"POST", "/fleet/{id}/cancel", SignedIn, s.cancelFleet},

		{"GET", "/wizard", AdminOnly, s.newProfileForm},
		{"POST", "/wizard", AdminOnly, s.submitWizard},
		{"POST", "/wizard/token", AdminOnly, s.wizardToken},
		{"POST", "/profiles", AdminOnly, s.createProfile},
		{"GET", "/profiles/{id}/edit", AdminOnly, s.editProfileForm},
		{"POST", "/profiles/{id}/edit", AdminOnly, s.submitEdit},
		{"POST", "/profiles/{id}/token", AdminOnly, s.editToken},
		{"POST", "/profiles/{id}", AdminOnly, s.updateProfile},
		{"POST", "/profiles/{id}/delete", AdminOnly, s.deleteProfile},
		{"POST", "/profiles/{id}/retest", AdminOnly, s.setRetest},
		{"POST", "/fleet/schedule", AdminOnly, s.setSchedule},
		{"GET", "/users", AdminOnly, s.usersPage},
		{"POST", "/users", AdminOnly, s.createUser},
		{"POST", "/users/{id}/delete", AdminOnly, s.deleteUser},
		{"GET", "/import", AdminOnly, s.importForm},
		{"POST", "/import", AdminOnly, s.importCSV},
		{"GET", "/audit", AdminOnly, s.auditPage},
		{"GET", "/audit.csv", AdminOnly, s.auditCSV},
		{"GET", "/tokens", AdminOnly, s.tokensPage},
		{"POST", "/tokens", AdminOnly, s.createToken},
		{"POST", "/tokens/{id}/revoke", AdminOnly, s.revokeToken},
		{"POST", "/alerts", AdminOnly, s.saveAlerts},
		{"POST", "/alerts/test/{channel}", AdminOnly, s.testAlert},
		{"GET", "/metrics", MetricsReader, s.metricsPage},
	}, s.apiRoutes()...)
}

// Routes returns the console's handler.
func (s *Server) Routes() http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.Recoverer, s.guardBody, s.logRequests, s.securityHeaders)
	// Cross-origin form posts are refused; same-origin browsers and htmx pass (Go 1.25+).
	// The API refuses cross-origin reads too, in problem details, before this.
	r.Use(s.refuseCrossOrigin, http.NewCrossOriginProtection().Handler)
	// Static files come before the session: a page's stylesheet and scripts need no database
	// read, and fetching them must not keep an idle session alive.
	r.Handle("/static/*", web.StaticHandler())
	r.Method(http.MethodGet, "/favicon.ico", web.FaviconHandler())
	r.Group(func(r chi.Router) {
		r.Use(s.language, s.loadSession, s.takeNotice)
		for _, rt := range s.RouteTable() {
			r.With(s.require(rt.Access), s.readBody(rt)).Method(rt.Method, rt.Pattern, rt.handler)
		}
	})
	r.NotFound(s.language(s.loadSession(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isAPIPath(r) {
			s.apiError(w, r, store.ErrNotFound)
			return
		}
		s.error(w, r, noPage(r))
	}))).ServeHTTP)
	r.MethodNotAllowed(s.language(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isAPIPath(r) {
			s.apiError(w, r, errMethodNotAllowed)
			return
		}
		s.error(w, r, noPage(r))
	})).ServeHTTP)
	return r
}
