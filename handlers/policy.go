package handlers

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

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
}

// DefaultSecurity is the policy when nothing is configured.
func DefaultSecurity() Security {
	return Security{SessionPolicy: store.DefaultSessionPolicy, RunsPerMinuteUser: 10, RunsPerMinuteProfile: 10}
}

// checkOverrides refuses SMTP host and authority overrides the checker's outbound policy would
// refuse at connect time, so the form says so when it is saved rather than when a test runs.
func (s *Server) checkOverrides(lang i18n.Lang, in *store.ProfileInput) map[string]string {
	err := s.Checker.OutboundPolicy().CheckOverrides(in.SMTPHost, in.Authority)
	if err == nil {
		return map[string]string{}
	}
	return fieldErrors(lang, err)
}

// checkRecipient allows test messages only to the connection's test recipient or an allowed domain.
func (s *Server) checkRecipient(lang i18n.Lang, p *store.Profile, to string) error {
	if strings.EqualFold(to, p.TestRecipient) {
		return nil
	}
	domain := to[strings.LastIndexByte(to, '@')+1:]
	if slices.ContainsFunc(s.security.AllowedRecipientDomains, func(d string) bool { return strings.EqualFold(d, domain) }) {
		return nil
	}
	recipient, domains := "", ""
	if p.TestRecipient != "" {
		recipient = " (" + p.TestRecipient + ")"
	}
	if len(s.security.AllowedRecipientDomains) > 0 {
		domains = i18n.Tr(lang, "err.recipient_domains", strings.Join(s.security.AllowedRecipientDomains, ", "))
	}
	return &statusError{status: 403, titleKey: "err.recipient_title", msgKey: "err.recipient", args: []any{recipient, domains}}
}

// checkRunRate applies the per-user and per-connection limits on test runs.
func (s *Server) checkRunRate(user string, profileID int64) error {
	now := s.now()
	if ok, wait := s.userRuns.allow(user, now); !ok {
		return &statusError{status: 429, titleKey: "err.rate_title", msgKey: "err.rate_user", args: []any{s.security.RunsPerMinuteUser, wait.Round(time.Second).String()}}
	}
	if ok, wait := s.profileRuns.allow(fmt.Sprint(profileID), now); !ok {
		return &statusError{status: 429, titleKey: "err.rate_title", msgKey: "err.rate_profile", args: []any{s.security.RunsPerMinuteProfile, wait.Round(time.Second).String()}}
	}
	return nil
}
