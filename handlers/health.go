package handlers

import (
	"context"
	"net/http"
	"time"
)

// healthz says the process is alive.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

// readyz says the console can serve: the database answers and takes writes, and the master
// key is loaded.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := s.DB.Ping(ctx); err != nil {
		s.Log.Error("not ready: database", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("database not answering\n"))
		return
	}
	// A console that answers but cannot save loses every run's result: that is not ready.
	if err := s.DB.Writable(ctx); err != nil {
		s.Log.Error("not ready: database cannot be written", "err", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("database cannot be written\n"))
		return
	}
	if s.DB.Keys() == nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("master key not loaded\n"))
		return
	}
	w.Write([]byte("ready\n"))
}
