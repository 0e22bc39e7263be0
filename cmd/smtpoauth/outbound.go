package main

import (
	"errors"
	"flag"
	"strings"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

// outboundFlags say where checks may connect besides Microsoft's endpoints. serve, check and
// profile share them, so a profile the CLI saves passes the same policy the console enforces.
type outboundFlags struct {
	allowedHosts string
	allowPrivate bool
}

func (f *outboundFlags) register(fs *flag.FlagSet, getenv func(string) string) {
	fs.StringVar(&f.allowedHosts, "allowed-hosts", getenv("SMTPOAUTH_ALLOWED_HOSTS"),
		"comma-separated extra endpoints for SMTP host or authority overrides: host (ports 443 and 587) or host:port; an address with a port, like 10.1.2.3:587, is allowed even though private (env SMTPOAUTH_ALLOWED_HOSTS)")
	fs.BoolVar(&f.allowPrivate, "allow-private-targets", getenv("SMTPOAUTH_ALLOW_PRIVATE_TARGETS") == "true",
		"let allowed host names resolve to private addresses (RFC 1918, fc00::/7, 100.64.0.0/10); loopback, link-local and cloud metadata stay refused (env SMTPOAUTH_ALLOW_PRIVATE_TARGETS=true)")
}

// config is the policy's configuration; endpoints are exact ip:port exemptions (the demo's fake).
func (f *outboundFlags) config(endpoints ...string) mailer.PolicyConfig {
	return mailer.PolicyConfig{AllowedHosts: splitList(f.allowedHosts), AllowPrivate: f.allowPrivate, AllowEndpoints: endpoints}
}

// policy builds the outbound policy; a malformed --allowed-hosts entry is a usage error.
func (f *outboundFlags) policy(endpoints ...string) (*mailer.Policy, error) {
	p, err := mailer.NewPolicy(f.config(endpoints...))
	if err != nil {
		return nil, usageError("--allowed-hosts: %v", err)
	}
	return p, nil
}

// overrideError turns the policy's field errors into one usage error naming the flags.
func overrideError(err error) error {
	if err == nil {
		return nil
	}
	flags := map[string]string{"smtp_host": "--smtp-host", "authority": "--authority"}
	var lines []string
	for _, e := range unjoinErrs(err) {
		var fe *mailer.FieldError
		if errors.As(e, &fe) {
			lines = append(lines, flags[fe.Field]+": "+i18n.Msg(i18n.EN, fe.Message))
		} else {
			lines = append(lines, e.Error())
		}
	}
	return usageError("%s", strings.Join(lines, "\n"))
}

func unjoinErrs(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
