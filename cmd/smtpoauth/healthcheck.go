package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"
)

// runHealthcheck is the container's HEALTHCHECK: the image has no shell or curl, so the binary
// asks its own /readyz.
func runHealthcheck(ctx context.Context, args []string, e env) error {
	fs := newFlagSet("healthcheck", "healthcheck [--addr HOST:PORT]", e)
	addr := fs.String("addr", envOr(e.getenv, "SMTPOAUTH_ADDR", defaultAddr), "address the console listens on (env SMTPOAUTH_ADDR)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	host, port, err := net.SplitHostPort(*addr)
	if err != nil {
		return usageError("--addr %q is not host:port", *addr)
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1" // listening on all interfaces includes loopback
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	url := "http://" + net.JoinHostPort(host, port) + "/readyz"
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("not ready: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("not ready: %s answered %s", url, resp.Status)
	}
	fmt.Fprintln(e.stdout, "ready")
	return nil
}
