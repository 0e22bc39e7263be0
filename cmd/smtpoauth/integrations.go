package main

import (
	"flag"
	"net/netip"

	"github.com/smtpoauth/smtpoauth/handlers"
)

// integrationFlags configure /metrics; each has an environment variable.
type integrationFlags struct {
	metricsAllowed string
	metricsNames   bool
}

func (f *integrationFlags) register(fs *flag.FlagSet, getenv func(string) string) {
	fs.StringVar(&f.metricsAllowed, "metrics-allowed", getenv("SMTPOAUTH_METRICS_ALLOWED"), "comma-separated addresses or CIDRs that may read /metrics without a token (env SMTPOAUTH_METRICS_ALLOWED)")
	fs.BoolVar(&f.metricsNames, "metrics-names", getenv("SMTPOAUTH_METRICS_NAMES") == "true", "label metrics with connection names and tenant IDs, not only connection IDs (env SMTPOAUTH_METRICS_NAMES=true)")
}

func (f *integrationFlags) config() (handlers.Integrations, error) {
	in := handlers.Integrations{MetricsNames: f.metricsNames}
	for _, p := range splitList(f.metricsAllowed) {
		prefix, err := netip.ParsePrefix(p)
		if err != nil {
			addr, err2 := netip.ParseAddr(p)
			if err2 != nil {
				return in, usageError("--metrics-allowed %q is neither an address nor a CIDR", p)
			}
			prefix = netip.PrefixFrom(addr, addr.BitLen())
		}
		in.MetricsAllowed = append(in.MetricsAllowed, prefix.Masked())
	}
	return in, nil
}
