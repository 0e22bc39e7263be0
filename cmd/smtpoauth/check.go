package main

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/mailer/exchange"
	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

const checkSynopsis = `check --tenant ID --client-id ID --mailbox ADDRESS [--to ADDRESS] [flags]
       smtpoauth check --profile NAME [--to ADDRESS]
       smtpoauth check --all [--tag T] [--failing] [--send] [--concurrency N] [--json]

The client secret comes from --secret-file (- for standard input) or SMTPOAUTH_CLIENT_SECRET,
never from a flag value, which would show in the process list. A certificate credential
comes from --cert-file and --key-file. Without --to the test stops after authentication.
--all tests every stored connection (at most 3 at once per mailbox, tokens reused between
connections of one app); with --json it prints one line per connection and a last
{"summary": …} line.
Exit status: 0 passed, 1 the test failed (a diagnosis is printed), 2 bad input or usage.`

func runCheck(ctx context.Context, args []string, e env) error {
	fs := newFlagSet("check", checkSynopsis, e)
	var (
		req                        mailer.Request
		cloud, secretFile, model   string
		certFile, keyFile, profile string
		asJSON                     bool
		timeout, replyT, connectT  time.Duration
		data                       dataFlags
		fleetF                     fleetFlags
	)
	fs.StringVar(&req.Tenant, "tenant", "", "directory (tenant) ID or verified domain")
	fs.StringVar(&req.ClientID, "client-id", "", "application (client) ID")
	fs.StringVar(&req.Mailbox, "mailbox", "", "mailbox that authenticates (XOAUTH2 user=)")
	fs.StringVar(&req.From, "from", "", "sender address, when it differs from --mailbox (needs Send As)")
	fs.StringVar(&req.To, "to", "", "send a real test message to this address")
	fs.StringVar(&cloud, "cloud", string(mailer.CloudGlobal), "cloud: global, usgov-gcchigh, usgov-dod or china")
	fs.StringVar(&secretFile, "secret-file", "", "file holding the client secret value (- reads standard input)")
	fs.StringVar(&certFile, "cert-file", "", "PEM certificate registered on the app (certificate credential)")
	fs.StringVar(&keyFile, "key-file", "", "PEM private key of --cert-file")
	fs.StringVar(&req.SMTPAddr, "smtp-host", "", "override the SMTP host:port")
	fs.StringVar(&req.Authority, "authority", "", "override the sign-in authority URL")
	fs.StringVar(&profile, "profile", "", "test a stored profile by name instead")
	fs.StringVar(&model, "auth-model", "", "how Exchange authorises the app: permission, rbac or unsure (ranks the causes of 535 5.7.3; a stored profile's own unless given)")
	fs.BoolVar(&asJSON, "json", false, "print one JSON object instead of the live transcript")
	fs.DurationVar(&timeout, "timeout", exchange.DefaultDeadline, "overall deadline of the check")
	fs.DurationVar(&replyT, "reply-timeout", exchange.DefaultReplyTimeout, "how long to wait for each server reply")
	fs.DurationVar(&connectT, "connect-timeout", exchange.DefaultConnectTimeout, "how long to wait for the TCP connection")
	data.register(fs, e.getenv)
	fleetF.register(fs)
	var out outboundFlags
	out.register(fs, e.getenv)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("check takes no arguments, got %q", fs.Args())
	}
	if err := fleetF.validate(fs); err != nil {
		return err
	}
	policy, err := out.policy()
	if err != nil {
		return err
	}
	if fleetF.all {
		roots, err := rootsFromEnv(e.getenv)
		if err != nil {
			return err
		}
		checker := &exchange.Checker{RootCAs: roots, Deadline: timeout, ReplyTimeout: replyT, ConnectTimeout: connectT, Policy: policy}
		return runCheckAll(ctx, fleetF, &data, checker, asJSON, e)
	}
	req.Cloud = mailer.Cloud(cloud)
	if req.AuthModel, err = mailer.ParseAuthModel(model); err != nil {
		return usageError("--auth-model: %s", i18n.Error(i18n.EN, err))
	}
	if profile != "" {
		var err error
		given := req.AuthModel
		if req, err = profileRequest(ctx, &data, profile, req.To, e); err != nil {
			return err
		}
		if model != "" {
			req.AuthModel = given
		}
	} else {
		cred, err := readCredential(ctx, secretFile, certFile, keyFile, e)
		if err != nil {
			return err
		}
		req.Credential = cred
	}
	if err := req.Validate(); err != nil {
		return usageError("%s", strings.ReplaceAll(i18n.Error(i18n.EN, err), "\n", "\n  "))
	}
	if err := overrideError(policy.CheckOverrides(req.SMTPAddr, req.Authority)); err != nil {
		return err
	}
	if req.Credential.Secret != "" && mailer.SecretLooksLikeID(req.Credential.Secret) {
		fmt.Fprintln(e.stderr, "warning: the client secret looks like a GUID: that is usually the secret's ID, not its value. Entra shows the value only once, when the secret is created.")
	}
	roots, err := rootsFromEnv(e.getenv)
	if err != nil {
		return err
	}
	checker := &exchange.Checker{RootCAs: roots, Deadline: timeout, ReplyTimeout: replyT, ConnectTimeout: connectT, Policy: policy}
	var onEvent func(mailer.Event)
	if !asJSON {
		fmt.Fprintf(e.stdout, "Checking %s as %s (tenant %s, app %s)\n", endpointLabel(req), req.Mailbox, req.Tenant, req.ClientID)
		onEvent = func(ev mailer.Event) { fmt.Fprintln(e.stdout, ev.String()) }
	}
	res := checker.Run(ctx, req, onEvent)
	// The domain speaks in codes; the CLI prints English, from the same catalogue as the console.
	res.Diagnosis = i18n.Localize(res.Diagnosis, i18n.EN)
	res.Checks = i18n.ClaimChecks(i18n.EN, res.Checks)
	if asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			return err
		}
	} else {
		printVerdict(e.stdout, req, res)
	}
	if !res.OK {
		if res.Diagnosis != nil && res.Diagnosis.Code == mailer.CodeInputInvalid {
			return &exitError{code: 2}
		}
		return errCheckFailed
	}
	return nil
}

func endpointLabel(req mailer.Request) string {
	ep, _ := mailer.CloudEndpoints(req.Cloud)
	if req.SMTPAddr != "" {
		return req.SMTPAddr
	}
	return ep.SMTPAddr
}

// readCredential takes the secret from a file or the environment, or a certificate and key.
func readCredential(ctx context.Context, secretFile, certFile, keyFile string, e env) (mailer.Credential, error) {
	envSecret := e.getenv("SMTPOAUTH_CLIENT_SECRET")
	switch {
	case certFile != "" || keyFile != "":
		if certFile == "" || keyFile == "" {
			return mailer.Credential{}, usageError("a certificate credential needs both --cert-file and --key-file")
		}
		if secretFile != "" {
			return mailer.Credential{}, usageError("give either a client secret or a certificate, not both")
		}
		certPEM, err := readInputFile(ctx, "--cert-file", certFile, maxInputBytes)
		if err != nil {
			return mailer.Credential{}, err
		}
		keyPEM, err := readInputFile(ctx, "--key-file", keyFile, maxInputBytes)
		if err != nil {
			return mailer.Credential{}, err
		}
		cert, err := mailer.ParseCertificate(certPEM, keyPEM)
		if err != nil {
			return mailer.Credential{}, usageError("%s", i18n.Error(i18n.EN, err))
		}
		return mailer.Credential{Certificate: cert}, nil
	case secretFile != "":
		var b []byte
		var err error
		if secretFile == "-" {
			b, err = readStdin(ctx, "--secret-file", e.stdin)
		} else {
			b, err = readInputFile(ctx, "--secret-file", secretFile, maxInputBytes)
		}
		if err != nil {
			return mailer.Credential{}, err
		}
		// Editors and echo add a final newline; it is never part of an Entra secret.
		return mailer.Credential{Secret: strings.TrimRight(string(b), "\r\n")}, nil
	case envSecret != "":
		return mailer.Credential{Secret: envSecret}, nil
	}
	return mailer.Credential{}, usageError("no credential: set SMTPOAUTH_CLIENT_SECRET, or use --secret-file, or --cert-file with --key-file")
}

func profileRequest(ctx context.Context, data *dataFlags, name, to string, e env) (mailer.Request, error) {
	log, err := data.logger(io.Discard)
	if err != nil {
		return mailer.Request{}, err
	}
	db, _, err := data.openStore(ctx, e, log)
	if err != nil {
		return mailer.Request{}, err
	}
	defer db.Close()
	p, err := db.ProfileByName(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return mailer.Request{}, usageError("no profile named %q (see: smtpoauth profile list)", name)
	}
	if err != nil {
		return mailer.Request{}, err
	}
	return db.Request(ctx, p, to)
}

// rootsFromEnv honours SSL_CERT_FILE like OpenSSL and Go do, read per call so tests can set it.
func rootsFromEnv(getenv func(string) string) (*x509.CertPool, error) {
	path := getenv("SSL_CERT_FILE")
	if path == "" {
		return nil, nil // the system roots
	}
	// Read before any check starts, from a regular file of bounded size like every CLI input.
	b, err := readInputFile(context.Background(), "SSL_CERT_FILE", path, maxCABundleBytes)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(b) {
		return nil, fmt.Errorf("SSL_CERT_FILE %s holds no PEM certificate", path)
	}
	return pool, nil
}

func printVerdict(w io.Writer, req mailer.Request, res *mailer.Result) {
	total := res.Finished.Sub(res.Started).Milliseconds()
	fmt.Fprintln(w)
	if res.OK {
		what := "authenticated as " + req.Mailbox
		if res.Sent {
			what += " and sent a test message to " + req.To
		}
		fmt.Fprintf(w, "PASSED: %s in %d ms.\n", what, total)
		if res.Claims != nil {
			fmt.Fprintf(w, "Service principal (Enterprise application) object ID: %s\n", res.Claims.ObjectID)
		}
		return
	}
	d := res.Diagnosis
	fmt.Fprintf(w, "FAILED at %s after %d ms: %s [%s]\n", res.Stage, total, d.Title, d.Code)
	if d.Quote != "" {
		fmt.Fprintf(w, "  Answer: %s\n", oneLine(d.Quote))
	}
	fmt.Fprintf(w, "\n%s\n", d.Explanation)
	if len(d.Causes) > 0 {
		fmt.Fprintln(w, "\nPossible causes, most likely first:")
		for _, c := range d.Causes {
			fmt.Fprintf(w, "%2d. %s\n", c.Rank, c.Text)
		}
	}
	switch {
	case d.Temporary && d.RetryAfterSeconds > 0:
		fmt.Fprintf(w, "\nTemporary: the same check can succeed after %d seconds, as Microsoft asked.\n", d.RetryAfterSeconds)
	case d.Temporary:
		fmt.Fprintln(w, "\nTemporary: the same check can succeed later, unchanged.")
	}
	if len(d.Steps) > 0 {
		fmt.Fprintln(w, "\nWhat to do:")
		for i, s := range d.Steps {
			fmt.Fprintf(w, "%2d. %s\n", i+1, s.Text)
			for _, line := range strings.Split(s.Command, "\n") {
				if line != "" {
					fmt.Fprintf(w, "      %s\n", line)
				}
			}
		}
	}
	if res.Entra != nil && res.Entra.TraceID != "" {
		fmt.Fprintf(w, "\nFor Microsoft support: trace ID %s, correlation ID %s, timestamp %s\n", res.Entra.TraceID, res.Entra.CorrelationID, res.Entra.Timestamp)
	}
	if d.DocURL != "" {
		fmt.Fprintf(w, "\nMore: %s\n", d.DocURL)
	}
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
