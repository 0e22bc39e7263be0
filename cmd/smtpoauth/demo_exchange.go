package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/smtpoauth/smtpoauth/mailer/mailertest"
)

func runDemoExchange(ctx context.Context, args []string, e env) error {
	fs := newFlagSet("demo-exchange", "demo-exchange [--ca-file FILE]\n\nRuns a simulated Exchange Online on loopback until interrupted, and prints how to check against it.", e)
	caFile := fs.String("ca-file", "", "where to write the test CA certificate (default: a temporary file)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	srv, err := mailertest.NewServer()
	if err != nil {
		return err
	}
	defer srv.Close()
	scenarios, err := srv.InstallStandardWorld()
	if err != nil {
		return err
	}
	if *caFile == "" {
		dir, err := os.MkdirTemp("", "smtpoauth-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		*caFile = filepath.Join(dir, "fake-exchange-ca.pem")
	}
	if err := os.WriteFile(*caFile, srv.CACertPEM, 0o644); err != nil {
		return err
	}
	w := e.stdout
	fmt.Fprintf(w, "Simulated Exchange Online is running (no Microsoft account involved).\n\n")
	fmt.Fprintf(w, "  token endpoint (authority): %s\n  SMTP submission:            %s\n  test CA certificate:        %s\n\n", srv.URL, srv.SMTPAddr, *caFile)
	fmt.Fprintf(w, "Try the working connection from another terminal:\n\n")
	works, _ := mailertest.ScenarioByName(scenarios, "works")
	// The outbound policy refuses loopback unless the exact endpoints are named.
	fmt.Fprintf(w, "  export SSL_CERT_FILE=%s\n  export SMTPOAUTH_ALLOWED_HOSTS=%s\n  export SMTPOAUTH_CLIENT_SECRET='%s'\n",
		*caFile, strings.Join(srv.Endpoints(), ","), works.Secret)
	fmt.Fprintf(w, "  smtpoauth check --authority %s --smtp-host %s \\\n    --tenant %s --client-id %s --mailbox %s --to %s\n\n",
		srv.URL, srv.SMTPAddr, works.Tenant, works.ClientID, works.Mailbox, works.To)
	fmt.Fprintf(w, "Other simulated tenants (change --client-id, --tenant, --mailbox and the secret):\n")
	for _, sc := range scenarios {
		if sc.Secret == "" {
			continue
		}
		fmt.Fprintf(w, "  %-28s tenant %s client %s mailbox %s\n", sc.Name, sc.Tenant, sc.ClientID, sc.Mailbox)
	}
	fmt.Fprintf(w, "\nPress Ctrl-C to stop.\n")
	<-ctx.Done()
	return nil
}
