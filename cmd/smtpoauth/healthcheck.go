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
)

// runHealthcheck is the container's HEALTHCHECK: the image has no shell or curl, so the binary
// asks its own /readyz, over HTTPS when the console serves TLS itself.
func runHealthcheck(ctx context.Context, args []string, e env) error {
	fs := newFlagSet("healthcheck", "healthcheck [--addr HOST:PORT] [--tls-cert FILE]", e)
	addr := fs.String("addr", envOr(e.getenv, "SMTPOAUTH_ADDR", defaultAddr), "address the console listens on (env SMTPOAUTH_ADDR)")
	certFile := fs.String("tls-cert", e.getenv("SMTPOAUTH_TLS_CERT"), "the console's --tls-cert: ask over HTTPS and trust this certificate (env SMTPOAUTH_TLS_CERT)")
	// Accepted so that serve's flags and environment work unchanged; the key is not needed.
	fs.String("tls-key", e.getenv("SMTPOAUTH_TLS_KEY"), "ignored: accepted for symmetry with serve (env SMTPOAUTH_TLS_KEY)")
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
	client := &http.Client{}
	scheme := "http"
	if *certFile != "" {
		tc, err := trustOwnCertificate(ctx, *certFile)
		if err != nil {
			return err
		}
		client.Transport = &http.Transport{TLSClientConfig: tc}
		scheme = "https"
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	url := scheme + "://" + net.JoinHostPort(host, port) + "/readyz"
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := client.Do(req)
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

// trustOwnCertificate trusts exactly the certificates in the console's own certificate file.
// The health check dials a loopback address the certificate was not issued for, so the host
// name is not checked; the chain still has to end in a certificate from that file.
func trustOwnCertificate(ctx context.Context, path string) (*tls.Config, error) {
	pemBytes, err := readInputFile(ctx, "--tls-cert", path, maxCABundleBytes)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBytes) {
		return nil, fmt.Errorf("--tls-cert: %s holds no PEM certificate", path)
	}
	return &tls.Config{
		// Only the host name check is skipped: VerifyConnection below does the chain check.
		InsecureSkipVerify: true,
		VerifyConnection: func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return errors.New("the console sent no certificate")
			}
			inter := x509.NewCertPool()
			for _, c := range cs.PeerCertificates[1:] {
				inter.AddCert(c)
			}
			_, err := cs.PeerCertificates[0].Verify(x509.VerifyOptions{Roots: pool, Intermediates: inter})
			if err != nil {
				return fmt.Errorf("the console's certificate does not match %s: %w", path, err)
			}
			return nil
		},
	}, nil
}
