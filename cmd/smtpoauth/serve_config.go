package main

import (
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/smtpoauth/smtpoauth/handlers"
	"github.com/smtpoauth/smtpoauth/mailer"
)

const defaultAddr = "127.0.0.1:8080"

// Config is everything serve runs with, from flags and environment, validated once by
// loadConfig. runServe builds the store, the checker and the handlers from it; nothing changes
// them afterwards.
type Config struct {
	// Addr is where the console listens.
	Addr string
	// Data is the data folder and log format, shared with the other subcommands.
	Data dataFlags
	// Demo starts a simulated Exchange Online with one demo connection per scenario.
	Demo bool
	// ShutdownTimeout is how long requests and running tests may finish on SIGTERM.
	ShutdownTimeout time.Duration
	// TLSCert and TLSKey, both or neither, make the console serve HTTPS.
	TLSCert, TLSKey string
	// Security is the console's protection policy.
	Security handlers.Security
	// Outbound says where checks may connect besides Microsoft's endpoints.
	Outbound mailer.PolicyConfig
	// RootCAs are the roots checks trust (SSL_CERT_FILE); nil means the system's.
	RootCAs *x509.CertPool
	// Integrations configure the REST API and /metrics.
	Integrations handlers.Integrations
}

// loadConfig parses serve's flags over its environment and checks everything at once: a
// misconfigured console says every problem in one go, in the flags' and variables' names,
// before it touches the data folder.
func loadConfig(args []string, e env) (Config, error) {
	fs := newFlagSet("serve", "[serve] [--addr HOST:PORT] [--data-dir DIR] [--demo] [--log-format text|json]", e)
	var cfg Config
	var problems []string
	cfg.Data.register(fs, e.getenv)
	fs.StringVar(&cfg.Addr, "addr", envOr(e.getenv, "SMTPOAUTH_ADDR", defaultAddr), "address to serve HTTP on (env SMTPOAUTH_ADDR)")
	fs.BoolVar(&cfg.Demo, "demo", envOr(e.getenv, "SMTPOAUTH_DEMO", "") == "true", "start a simulated Exchange Online with one demo connection per scenario (env SMTPOAUTH_DEMO=true)")
	fs.DurationVar(&cfg.ShutdownTimeout, "shutdown-timeout", 20*time.Second, "how long running requests and tests may finish on SIGTERM")
	var sec securityFlags
	badEnv := sec.register(fs, e.getenv)
	var out outboundFlags
	out.register(fs, e.getenv)
	var integ integrationFlags
	integ.register(fs, e.getenv)
	if err := parseFlags(fs, args); err != nil {
		return cfg, err
	}
	for name, flagName := range map[string]string{"SMTPOAUTH_DEMO": "demo", "SMTPOAUTH_ALLOW_PRIVATE_TARGETS": "allow-private-targets"} {
		if v := e.getenv(name); v != "" && v != "true" && v != "false" {
			badEnv[flagName] = fmt.Sprintf("%s=%q must be true or false", name, v)
		}
	}
	fs.Visit(func(f *flag.Flag) { delete(badEnv, f.Name) })
	for _, name := range slices.Sorted(maps.Keys(badEnv)) {
		problems = append(problems, badEnv[name])
	}
	if fs.NArg() > 0 {
		problems = append(problems, fmt.Sprintf("serve takes no arguments, got %q", fs.Args()))
	}
	problems = append(problems, lines(cfg.Data.checkLogFormat())...)
	var err error
	cfg.TLSCert, cfg.TLSKey = sec.tlsCert, sec.tlsKey
	cfg.Security, err = sec.policy()
	problems = append(problems, lines(err)...)
	cfg.Outbound = out.config()
	_, err = out.policy()
	problems = append(problems, lines(err)...)
	cfg.RootCAs, err = rootsFromEnv(e.getenv)
	problems = append(problems, lines(err)...)
	cfg.Integrations, err = integ.config()
	problems = append(problems, lines(err)...)
	if cfg.ShutdownTimeout < 0 {
		problems = append(problems, "--shutdown-timeout must not be negative")
	}
	if len(problems) > 0 {
		return cfg, usageError("%s", strings.Join(problems, "\n"))
	}
	return cfg, nil
}

// lines are the messages of err, one per joined error; none for nil.
func lines(err error) []string {
	if err == nil {
		return nil
	}
	var out []string
	for _, e := range unjoinErrs(err) {
		var ee *exitError
		if errors.As(e, &ee) {
			out = append(out, ee.msg)
		} else {
			out = append(out, e.Error())
		}
	}
	return out
}
