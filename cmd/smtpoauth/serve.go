package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/smtpoauth/smtpoauth/handlers"
	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/mailer/exchange"
	"github.com/smtpoauth/smtpoauth/mailer/fleet"
	"github.com/smtpoauth/smtpoauth/store/queue"
)

// browsable turns a listen address into one a browser on this machine can open.
func browsable(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}

// loadKeyPair reads the console's own certificate and key through the CLI's bounded reader.
func loadKeyPair(ctx context.Context, certFile, keyFile string) (*tls.Certificate, error) {
	certPEM, err := readInputFile(ctx, "--tls-cert", certFile, maxCABundleBytes)
	if err != nil {
		return nil, err
	}
	keyPEM, err := readInputFile(ctx, "--tls-key", keyFile, maxInputBytes)
	if err != nil {
		return nil, err
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	clear(keyPEM)
	if err != nil {
		return nil, usageError("--tls-cert %s and --tls-key %s: %v", certFile, keyFile, err)
	}
	return &pair, nil
}

// runServe runs the console: one Config, then the store, the checker and the handlers built
// from it in that order, none changed after it is built.
func runServe(ctx context.Context, args []string, e env) error {
	cfg, err := loadConfig(args, e)
	if err != nil {
		return err
	}
	log, err := cfg.Data.logger(e.stderr)
	if err != nil {
		return err
	}
	// The certificate and key are read once, bounded, before anything else: a FIFO or a huge file
	// given as --tls-cert is refused with the flag's name instead of blocking or filling memory.
	var tlsPair *tls.Certificate
	if cfg.TLSCert != "" {
		if tlsPair, err = loadKeyPair(ctx, cfg.TLSCert, cfg.TLSKey); err != nil {
			return err
		}
	}
	// Held until serve returns: a key rotation meanwhile would re-seal secrets under a key this
	// console does not have.
	lock, err := cfg.Data.lock("serve")
	if err != nil {
		return err
	}
	defer lock.Release()
	db, _, err := cfg.Data.openStore(ctx, e, log)
	if err != nil {
		return err
	}
	defer func() {
		if err := db.Close(); err != nil {
			log.Error("closing database", "err", err)
		} else {
			log.Info("database closed")
		}
	}()
	if n, err := db.InterruptRuns(ctx); err != nil {
		return err
	} else if n > 0 {
		log.Warn("marked test runs left over from the last stop as interrupted", "runs", n)
	}
	roots, outbound, demoAuthority := cfg.RootCAs, cfg.Outbound, ""
	if cfg.Demo {
		fake, err := startDemo(ctx, db, log)
		if err != nil {
			return fmt.Errorf("demo mode: %w", err)
		}
		defer fake.Close()
		// Real tenants keep working in demo mode: the fake's CA is added to the system roots.
		if roots == nil {
			if roots, err = x509.SystemCertPool(); err != nil {
				roots = x509.NewCertPool()
			}
		} else {
			roots = roots.Clone()
		}
		roots.AppendCertsFromPEM(fake.CACertPEM)
		demoAuthority = fake.URL
		// The simulated Exchange lives on loopback: exactly its two endpoints are exempt, no other
		// loopback port and no private range.
		outbound.AllowEndpoints = fake.Endpoints()
	}
	policy, err := mailer.NewPolicy(outbound)
	if err != nil {
		return usageError("--allowed-hosts: %v", err)
	}
	// River shares the store's single writer connection: the two never wait for each other's
	// file lock (no SQLITE_BUSY by construction), and it measured faster than a second writer.
	jobs, err := queue.New(queue.Config{Path: db.Path, Log: log, DB: db.Writer()})
	if err != nil {
		return err
	}
	// Stopped after the HTTP server below, or here when serve fails before that.
	jobsStopped := false
	defer func() {
		if !jobsStopped {
			jobs.Stop(context.Background())
		}
	}()
	checker := &exchange.Checker{RootCAs: roots, Policy: policy}
	// One Runner for every fleet and scheduled check, so its per-mailbox and per-tenant limits
	// hold across fleet runs; "Test now" goes to the checker directly.
	h := handlers.New(handlers.Config{DB: db, Checker: checker, Log: log, DemoAuthority: demoAuthority, Security: cfg.Security,
		Integrations: cfg.Integrations, Queue: jobs, FleetChecker: fleet.New(checker, fleet.Options{})})
	// Workers are registered (by handlers.New and whoever else is handed the queue) before it starts.
	if err := jobs.Start(ctx); err != nil {
		return err
	}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", cfg.Addr, err)
	}
	// No ReadTimeout or WriteTimeout: either would end the live transcript's long response. Request
	// bodies and responses get their own deadlines in the handler (handlers.Limits) instead, which
	// the transcript extends as it goes.
	srv := &http.Server{Handler: h.Routes(), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	// Over HTTP/2 (with --tls-cert) one connection could otherwise open hundreds of streams whose
	// responses it never reads, each pinning a handler and its buffers.
	srv.HTTP2 = &http.HTTP2Config{MaxConcurrentStreams: 32}
	// Live transcripts are long requests: end them at shutdown, browsers reconnect on their own.
	srv.RegisterOnShutdown(h.BeginShutdown)
	serveErr := make(chan error, 1)
	scheme := "http"
	if cfg.TLSCert != "" {
		scheme = "https"
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{*tlsPair}}
		go func() { serveErr <- srv.ServeTLS(ln, "", "") }()
	} else {
		go func() { serveErr <- srv.Serve(ln) }()
	}
	base := scheme + "://" + browsable(ln.Addr().String())
	if link, err := h.SetupLink(ctx, base); err != nil {
		srv.Close()
		return err
	} else if link != "" {
		log.Warn("no administrator yet: open this one-time link within an hour to create one (or run 'smtpoauth user add')", "setup_link", link)
	}
	log.Info("listening", "addr", base, "demo", cfg.Demo, "tls", cfg.TLSCert != "")

	select {
	case err := <-serveErr:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: letting requests and running tests finish", "timeout", cfg.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	err = srv.Shutdown(sctx)
	// Jobs in progress finish (their runs are saved) or are cancelled at the deadline and run
	// again at the next start; then the live runs the console started itself.
	jobsStopped = true
	if qerr := jobs.Stop(sctx); qerr != nil {
		log.Error("stopping the job queue", "err", qerr)
	}
	h.Shutdown(sctx)
	if err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	log.Info("stopped")
	return nil
}
