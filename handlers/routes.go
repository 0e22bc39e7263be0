package handlers

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/smtpoauth/smtpoauth/web"
)

// Routes is the whole route table of the console.
func (s *Server) Routes() http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.Recoverer, s.logRequests, securityHeaders)
	// Cross-origin form posts are refused; same-origin browsers and htmx pass (Go 1.25+).
	r.Use(http.NewCrossOriginProtection().Handler)

	r.Get("/healthz", s.healthz)
	r.Get("/readyz", s.readyz)
	r.Handle("/static/*", web.StaticHandler())

	r.Get("/", s.dashboard)
	r.Get("/wizard", s.newProfileForm)
	r.Post("/wizard/token", s.wizardToken)
	r.Post("/profiles", s.createProfile)
	r.Get("/profiles/{id}", s.showProfile)
	r.Get("/profiles/{id}/edit", s.editProfileForm)
	r.Post("/profiles/{id}", s.updateProfile)
	r.Post("/profiles/{id}/delete", s.deleteProfile)
	r.Post("/profiles/{id}/runs", s.startRun)

	r.Get("/runs", s.listRuns)
	r.Get("/runs/{id}", s.showRun)
	r.Get("/runs/{id}/events", s.runEvents)
	r.Get("/runs/{id}/transcript.txt", s.runTranscript)
	r.Get("/runs/{id}/evidence.txt", s.runEvidence)

	r.NotFound(func(w http.ResponseWriter, r *http.Request) { s.error(w, r, errNotFoundPage) })
	return r
}
