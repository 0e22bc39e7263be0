package handlers

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/store"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

// Security is the console's protection policy, from the configuration.
type Security struct {
	SessionPolicy store.SessionPolicy
	// TrustedProxies may set X-Forwarded-For and X-Forwarded-Proto; nobody else's are believed.
	TrustedProxies []netip.Prefix
	// RunsPerMinuteUser and RunsPerMinuteProfile limit test runs; 0 means no limit.
	RunsPerMinuteUser, RunsPerMinuteProfile int
	// AllowedRecipientDomains may receive test messages besides each connection's test recipient.
	AllowedRecipientDomains []string
	// AllowedHosts may be used as SMTP host or authority overrides besides Microsoft's endpoints.
	AllowedHosts []string
	// AllowPrivateTargets lets checks reach loopback and link-local addresses (demo mode, tests).
	AllowPrivateTargets bool
}

// DefaultSecurity is the policy when nothing is configured.
func DefaultSecurity() Security {
	return Security{SessionPolicy: store.DefaultSessionPolicy, RunsPerMinuteUser: 10, RunsPerMinuteProfile: 10}
}

// microsoftHosts are the endpoints of every cloud: overrides to them need no configuration.
func microsoftHosts() []string {
	hosts := []string{"outlook.office365.com", "outlook.office365.us", "login.chinacloudapi.cn"}
	for _, ep := range mailer.Clouds() {
		h, _, _ := net.SplitHostPort(ep.SMTPAddr)
		u, _ := url.Parse(ep.Authority)
		hosts = append(hosts, h, u.Hostname())
	}
	return hosts
}

// checkOverrides refuses SMTP host and authority overrides outside the allow-list, so the console
// cannot be pointed at arbitrary machines of the network it sits in.
func (s *Server) checkOverrides(lang i18n.Lang, in *store.ProfileInput) map[string]string {
	errs := map[string]string{}
	allowed := append(microsoftHosts(), s.Security.AllowedHosts...)
	check := func(field, host string) {
		if host != "" && !slices.ContainsFunc(allowed, func(a string) bool { return strings.EqualFold(a, host) }) {
			errs[field] = i18n.Tr(lang, "err.override", host)
		}
	}
	if in.SMTPHost != "" {
		if h, _, err := net.SplitHostPort(strings.TrimSpace(in.SMTPHost)); err == nil {
			check("smtp_host", h)
		}
	}
	if in.Authority != "" {
		if u, err := url.Parse(strings.TrimSpace(in.Authority)); err == nil {
			check("authority", u.Hostname())
		}
	}
	return errs
}

// checkRecipient allows test messages only to the connection's test recipient or an allowed domain.
func (s *Server) checkRecipient(lang i18n.Lang, p *store.Profile, to string) error {
	if strings.EqualFold(to, p.TestRecipient) {
		return nil
	}
	domain := to[strings.LastIndexByte(to, '@')+1:]
	if slices.ContainsFunc(s.Security.AllowedRecipientDomains, func(d string) bool { return strings.EqualFold(d, domain) }) {
		return nil
	}
	recipient, domains := "", ""
	if p.TestRecipient != "" {
		recipient = " (" + p.TestRecipient + ")"
	}
	if len(s.Security.AllowedRecipientDomains) > 0 {
		domains = i18n.Tr(lang, "err.recipient_domains", strings.Join(s.Security.AllowedRecipientDomains, ", "))
	}
	return &statusError{status: 403, titleKey: "err.recipient_title", msgKey: "err.recipient", args: []any{recipient, domains}}
}

// checkRunRate applies the per-user and per-connection limits on test runs.
func (s *Server) checkRunRate(user string, profileID int64) error {
	now := s.Now()
	if ok, wait := s.userRuns.allow(user, now); !ok {
		return &statusError{status: 429, titleKey: "err.rate_title", msgKey: "err.rate_user", args: []any{s.Security.RunsPerMinuteUser, wait.Round(time.Second).String()}}
	}
	if ok, wait := s.profileRuns.allow(fmt.Sprint(profileID), now); !ok {
		return &statusError{status: 429, titleKey: "err.rate_title", msgKey: "err.rate_profile", args: []any{s.Security.RunsPerMinuteProfile, wait.Round(time.Second).String()}}
	}
	return nil
}

// AllowTarget is the checker's guard against loopback, link-local and cloud metadata addresses.
func AllowTarget(ip net.IP) error {
	if ip.IsLoopback() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() || ip.IsUnspecified() || ip.IsMulticast() {
		return fmt.Errorf("%s is a loopback, link-local or metadata address: the console does not connect there", ip)
	}
	return nil
}
