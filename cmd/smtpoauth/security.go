package main

import (
	"errors"
	"flag"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/smtpoauth/smtpoauth/handlers"
	"github.com/smtpoauth/smtpoauth/store"
)

// securityFlags configure the console's protection; each has an environment variable.
type securityFlags struct {
	trustedProxies, recipientDomains string
	tlsCert, tlsKey                  string
	runsUser, runsProfile            int
	idle, absolute                   time.Duration
}

// register adds the flags, their defaults from the environment. It returns, by flag name, the
// environment variables that hold no valid value, which would otherwise be ignored without a
// word; one whose flag is given does not matter.
func (f *securityFlags) register(fs *flag.FlagSet, getenv func(string) string) (badEnv map[string]string) {
	def := handlers.DefaultSecurity()
	badEnv = map[string]string{}
	flagOf := map[string]string{"SMTPOAUTH_RUNS_PER_MINUTE_USER": "runs-per-minute-user", "SMTPOAUTH_RUNS_PER_MINUTE_PROFILE": "runs-per-minute-profile",
		"SMTPOAUTH_SESSION_IDLE": "session-idle", "SMTPOAUTH_SESSION_MAX": "session-max"}
	envInt := func(name string, v int) int {
		s := getenv(name)
		if s == "" {
			return v
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			badEnv[flagOf[name]] = fmt.Sprintf("%s=%q is not a whole number", name, s)
			return v
		}
		return n
	}
	envDur := func(name string, v time.Duration) time.Duration {
		s := getenv(name)
		if s == "" {
			return v
		}
		d, err := time.ParseDuration(s)
		if err != nil {
			badEnv[flagOf[name]] = fmt.Sprintf("%s=%q is not a duration such as 30m or 8h", name, s)
			return v
		}
		return d
	}
	fs.StringVar(&f.tlsCert, "tls-cert", getenv("SMTPOAUTH_TLS_CERT"), "serve HTTPS with this certificate (PEM) (env SMTPOAUTH_TLS_CERT)")
	fs.StringVar(&f.tlsKey, "tls-key", getenv("SMTPOAUTH_TLS_KEY"), "private key of --tls-cert (env SMTPOAUTH_TLS_KEY)")
	fs.StringVar(&f.trustedProxies, "trusted-proxy", getenv("SMTPOAUTH_TRUSTED_PROXIES"), "comma-separated addresses or CIDRs of reverse proxies whose X-Forwarded-For/-Proto are believed (env SMTPOAUTH_TRUSTED_PROXIES)")
	fs.StringVar(&f.recipientDomains, "allowed-recipient-domains", getenv("SMTPOAUTH_ALLOWED_RECIPIENT_DOMAINS"), "comma-separated domains that may receive test messages besides each connection's test recipient (env SMTPOAUTH_ALLOWED_RECIPIENT_DOMAINS)")
	fs.IntVar(&f.runsUser, "runs-per-minute-user", envInt("SMTPOAUTH_RUNS_PER_MINUTE_USER", def.RunsPerMinuteUser), "test runs a user may start per minute, 0 for no limit (env SMTPOAUTH_RUNS_PER_MINUTE_USER)")
	fs.IntVar(&f.runsProfile, "runs-per-minute-profile", envInt("SMTPOAUTH_RUNS_PER_MINUTE_PROFILE", def.RunsPerMinuteProfile), "test runs per connection per minute, 0 for no limit (env SMTPOAUTH_RUNS_PER_MINUTE_PROFILE)")
	fs.DurationVar(&f.idle, "session-idle", envDur("SMTPOAUTH_SESSION_IDLE", def.SessionPolicy.Idle), "sign out after this long without activity (env SMTPOAUTH_SESSION_IDLE)")
	fs.DurationVar(&f.absolute, "session-max", envDur("SMTPOAUTH_SESSION_MAX", def.SessionPolicy.Absolute), "sign out after this long in any case (env SMTPOAUTH_SESSION_MAX)")
	return badEnv
}

func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// policy builds the protection policy; it reports every bad value at once.
func (f *securityFlags) policy() (handlers.Security, error) {
	var errs []error
	if (f.tlsCert == "") != (f.tlsKey == "") {
		errs = append(errs, usageError("--tls-cert and --tls-key go together"))
	}
	sec := handlers.Security{SessionPolicy: store.SessionPolicy{Idle: f.idle, Absolute: f.absolute},
		RunsPerMinuteUser: f.runsUser, RunsPerMinuteProfile: f.runsProfile,
		AllowedRecipientDomains: splitList(f.recipientDomains)}
	for _, p := range splitList(f.trustedProxies) {
		prefix, err := netip.ParsePrefix(p)
		if err != nil {
			addr, err2 := netip.ParseAddr(p)
			if err2 != nil {
				errs = append(errs, usageError("--trusted-proxy %q is neither an address nor a CIDR", p))
				continue
			}
			prefix = netip.PrefixFrom(addr, addr.BitLen())
		}
		sec.TrustedProxies = append(sec.TrustedProxies, prefix)
	}
	if f.idle <= 0 || f.absolute <= 0 {
		errs = append(errs, usageError("session timeouts must be positive"))
	}
	if f.runsUser < 0 || f.runsProfile < 0 {
		errs = append(errs, usageError("--runs-per-minute-user and --runs-per-minute-profile must be 0 (no limit) or more"))
	}
	return sec, errors.Join(errs...)
}
