// Package handlers is the console's HTTP side: one route table, handlers as methods on Server,
// one error mapper. Handlers parse, call the store or the mailer, and render web components.
package handlers

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/a-h/templ"

	"github.com/smtpoauth/smtpoauth/handlers/runhub"
	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/mailer/fleet"
	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/store/queue"
)

// Config is everything a Server is built from; cmd/smtpoauth fills it from flags and
// environment. Zero fields mean their defaults, except Security's run limits, where 0 means none:
// start from DefaultSecurity.
type Config struct {
	DB      *store.DB
	Checker mailer.Checker
	// Log receives request logs and errors; nil discards them.
	Log *slog.Logger
	// DemoAuthority is the simulated Exchange's URL in demo mode: profiles using it are labelled.
	DemoAuthority string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Security is the protection policy; a zero SessionPolicy means store.DefaultSessionPolicy.
	Security Security
	// Limits bound request bodies; the zero value means DefaultLimits.
	Limits Limits
	// Retry is how the run hub retries saving a finished run; zero means runhub.DefaultRetry.
	Retry runhub.RetryPolicy
	// Integrations configure the REST API and /metrics.
	Integrations Integrations
	// Queue is the job engine fleet runs and schedules go through; New registers their workers
	// on it, so it must not have started yet. Nil: no fleet runs (their buttons are refused).
	Queue *queue.Queue
	// FleetChecker runs the checks of fleet runs and schedules: a fleet.Runner around Checker, so
	// that Exchange's per-mailbox limit and the tenants' token endpoints are respected. Nil means
	// a fleet.Runner with its defaults around Checker.
	FleetChecker mailer.Checker
	// FleetRunsPerMinute bounds the fleet runs one user starts in a minute (single-run limits do
	// not apply to fleet runs); 0 means DefaultFleetRunsPerMinute.
	FleetRunsPerMinute int
	// ScheduleEvery is how often the schedule looks for connections due for a re-test; 0 means
	// DefaultScheduleEvery.
	ScheduleEvery time.Duration
}

// Server holds what the handlers need. Everything is fixed by New; DB, Checker, Hub and Log are
// exported for tests to read, not to replace.
type Server struct {
	DB      *store.DB
	Checker mailer.Checker
	Hub     *runhub.Hub
	Log     *slog.Logger
	// Queue is the job engine, or nil.
	Queue *queue.Queue
	// fleetChecker runs fleet and scheduled checks; fleetRuns limits fleet runs per user.
	fleetChecker mailer.Checker
	fleetRuns    *rateLimiter

	demoAuthority string
	now           func() time.Time
	security      Security
	limits        Limits
	integrations  Integrations
	ready         readiness

	userRuns, profileRuns *rateLimiter
	// anonRefusals lets an API refusal without a known token reach the append-only audit log at
	// most once a minute per client address: a flood must not grow the log or hold the writer.
	anonRefusals *rateLimiter
	api          apiState

	closing     chan struct{}
	closingOnce sync.Once
}

// New returns a Server built from cfg, with a fresh run hub.
func New(cfg Config) *Server {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Security.SessionPolicy == (store.SessionPolicy{}) {
		cfg.Security.SessionPolicy = store.DefaultSessionPolicy
	}
	if cfg.Limits == (Limits{}) {
		cfg.Limits = DefaultLimits()
	}
	hub := runhub.New(cfg.Log)
	if cfg.Retry != (runhub.RetryPolicy{}) {
		hub.Retry = cfg.Retry
	}
	s := &Server{DB: cfg.DB, Checker: cfg.Checker, Hub: hub, Log: cfg.Log, Queue: cfg.Queue, demoAuthority: cfg.DemoAuthority, now: cfg.Now,
		security: cfg.Security, limits: cfg.Limits, integrations: cfg.Integrations, closing: make(chan struct{})}
	s.userRuns, s.profileRuns = newRateLimiter(cfg.Security.RunsPerMinuteUser), newRateLimiter(cfg.Security.RunsPerMinuteProfile)
	s.anonRefusals = newRateLimiter(1)
	s.fleetChecker = cfg.FleetChecker
	if s.fleetChecker == nil && cfg.Checker != nil {
		s.fleetChecker = fleet.New(cfg.Checker, fleet.Options{})
	}
	if cfg.FleetRunsPerMinute <= 0 {
		cfg.FleetRunsPerMinute = DefaultFleetRunsPerMinute
	}
	s.fleetRuns = newRateLimiter(cfg.FleetRunsPerMinute)
	if cfg.ScheduleEvery <= 0 {
		cfg.ScheduleEvery = DefaultScheduleEvery
	}
	if cfg.Queue != nil {
		if err := s.registerJobs(cfg.Queue, cfg.ScheduleEvery); err != nil {
			// Only a second Server on the same queue gets here: a wiring mistake.
			panic(fmt.Sprintf("handlers: registering the fleet's jobs: %v", err))
		}
	}
	return s
}

// BeginShutdown ends live transcript streams, which would otherwise keep the server from
// shutting down; browsers reconnect by themselves and replay from the saved run.
func (s *Server) BeginShutdown() { s.closingOnce.Do(func() { close(s.closing) }) }

// render writes a page; pages are never cached, since they show live state and (on forms) input.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	if clientGone(r) {
		s.clientLeft(w, r, r.Context().Err())
		return
	}
	if err := writePage(w, r, status, c); err != nil {
		s.error(w, r, fmt.Errorf("rendering the page: %w", err))
	}
}

// writePage renders into a buffer, so a failure leaves the response untouched, then writes it.
// The render does not inherit the request's cancellation: templates do no I/O, and a client that
// leaves mid-render is handled before and after, not by failing the template.
func writePage(w http.ResponseWriter, r *http.Request, status int, c templ.Component) error {
	var buf bytes.Buffer
	if err := c.Render(context.WithoutCancel(r.Context()), &buf); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
	return nil
}

// statusClientClosed is logged for requests whose client went away before the answer (nginx's
// 499); nobody receives it.
const statusClientClosed = 499

// clientGone reports a request whose client disconnected or whose context otherwise ended.
func clientGone(r *http.Request) bool { return r.Context().Err() != nil }

// clientLeft ends a request whose client has gone: nothing to show to anyone, so no error page
// and no error in the log.
func (s *Server) clientLeft(w http.ResponseWriter, r *http.Request, err error) {
	s.Log.Debug("client went away", "method", r.Method, "path", r.URL.Path, "err", err)
	w.WriteHeader(statusClientClosed)
}

// isHTMX reports an htmx request, which wants a fragment instead of a whole page.
func isHTMX(r *http.Request) bool { return r.Header.Get("HX-Request") == "true" }

// Shutdown lets running tests finish until ctx ends, then cancels and saves them.
func (s *Server) Shutdown(ctx context.Context) { s.Hub.Shutdown(ctx) }
