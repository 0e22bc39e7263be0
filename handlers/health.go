package handlers

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// healthz says the process is alive.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

// readyCacheFor is how long one readiness answer serves: /readyz is anonymous, and each check
// commits a write, so a flood of probes must not become a flood of writes.
const readyCacheFor = time.Second

// readiness is the last readiness answer; mu also makes concurrent probes share one check.
type readiness struct {
	mu     sync.Mutex
	at     time.Time
	status int
	body   string
}

// readyz says the console can serve: the database answers and takes writes, and the master
// key is loaded. Answers are shared for readyCacheFor.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	s.ready.mu.Lock()
	if s.ready.at.IsZero() || time.Since(s.ready.at) >= readyCacheFor {
		s.ready.status, s.ready.body = s.checkReady(r.Context())
		s.ready.at = time.Now()
	}
	status, body := s.ready.status, s.ready.body
	s.ready.mu.Unlock()
	w.WriteHeader(status)
	w.Write([]byte(body))
}

func (s *Server) checkReady(ctx context.Context) (int, string) {
	// The answer is shared with other probes: one client leaving must not make it a failure.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	if err := s.DB.Ping(ctx); err != nil {
		s.Log.Error("not ready: database", "err", err)
		return http.StatusServiceUnavailable, "database not answering\n"
	}
	// A console that answers but cannot save loses every run's result: that is not ready.
	if err := s.DB.Writable(ctx); err != nil {
		s.Log.Error("not ready: database cannot be written", "err", err)
		return http.StatusServiceUnavailable, "database cannot be written\n"
	}
	if s.DB.Keys() == nil {
		return http.StatusServiceUnavailable, "master key not loaded\n"
	}
	return http.StatusOK, "ready\n"
}
