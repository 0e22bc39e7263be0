package main

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/smtpoauth/smtpoauth/handlers"
	"github.com/smtpoauth/smtpoauth/mailer/exchange"
)

const defaultAddr = "127.0.0.1:8080"

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

func runServe(ctx context.Context, args []string, e env) error {
	fs := newFlagSet("serve", "[serve] [--addr HOST:PORT] [--data-dir DIR] [--demo] [--log-format text|json]", e)
	var data dataFlags
	data.register(fs, e.getenv)
	addr := fs.String("addr", envOr(e.getenv, "SMTPOAUTH_ADDR", defaultAddr), "address to serve HTTP on (env SMTPOAUTH_ADDR)")
	demo := fs.Bool("demo", envOr(e.getenv, "SMTPOAUTH_DEMO", "") == "true", "start a simulated Exchange Online with one demo connection per scenario (env SMTPOAUTH_DEMO=true)")
	grace := fs.Duration("shutdown-timeout", 20*time.Second, "how long running requests and tests may finish on SIGTERM")
	var sec securityFlags
	sec.register(fs, e.getenv)
	var out outboundFlags
	out.register(fs, e.getenv)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	policy, err := sec.policy()
	if err != nil {
		return err
	}
	if _, err := out.policy(); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("serve takes no arguments, got %q", fs.Args())
	}
	log, err := data.logger(e.stderr)
	if err != nil {
		return err
	}
	// Held until serve returns: a key rotation meanwhile would re-seal secrets under a key this
	// console does not have.
	lock, err := data.lock("serve")
	if err != nil {
		return err
	}
	defer lock.Release()
	db, _, err := data.openStore(ctx, e.getenv, log)
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
	roots, err := rootsFromEnv(e.getenv)
	if err != nil {
		return err
	}
	checker := &exchange.Checker{RootCAs: roots}
	h := handlers.New(db, checker, log)
	h.SetSecurity(policy)
	if checker.Policy, err = out.policy(); err != nil {
		return err
	}
	if *demo {
		fake, err := startDemo(ctx, db, log)
		if err != nil {
			return fmt.Errorf("demo mode: %w", err)
		}
		defer fake.Close()
		// Real tenants keep working in demo mode: the fake's CA is added to the system roots.
		pool := roots
		if pool == nil {
			if pool, err = x509.SystemCertPool(); err != nil {
				pool = x509.NewCertPool()
			}
		}
		pool.AppendCertsFromPEM(fake.CACertPEM)
		checker.RootCAs = pool
		h.DemoAuthority = fake.URL
		// The simulated Exchange lives on loopback: exactly its two endpoints are exempt, no other
		// loopback port and no private range.
		if checker.Policy, err = out.policy(fake.Endpoints()...); err != nil {
			return err
		}
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", *addr, err)
	}
	// No ReadTimeout or WriteTimeout: either would end the live transcript's long response. Request
	// bodies get their own deadline in the handler (handlers.Limits.BodyTimeout) instead.
	srv := &http.Server{Handler: h.Routes(), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	// Live transcripts are long requests: end them at shutdown, browsers reconnect on their own.
	srv.RegisterOnShutdown(h.BeginShutdown)
	serveErr := make(chan error, 1)
	scheme := "http"
	if sec.tlsCert != "" {
		scheme = "https"
		go func() { serveErr <- srv.ServeTLS(ln, sec.tlsCert, sec.tlsKey) }()
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
	log.Info("listening", "addr", base, "demo", *demo, "tls", sec.tlsCert != "")

	select {
	case err := <-serveErr:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: letting requests and running tests finish", "timeout", grace.String())
	sctx, cancel := context.WithTimeout(context.Background(), *grace)
	defer cancel()
	err = srv.Shutdown(sctx)
	h.Shutdown(sctx)
	if err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	log.Info("stopped")
	return nil
}
