package mailer

import (
	"slices"
	"strings"
	"time"
)

// Claims are what an access token says about the app, decoded but not verified: smtpoauth is not
// the audience, and these are read only to explain what Exchange will decide.
type Claims struct {
	Audience  string    `json:"aud"`
	Roles     []string  `json:"roles"`
	TenantID  string    `json:"tid"`
	AppID     string    `json:"appid"` // appid in v1 tokens, azp in v2
	ObjectID  string    `json:"oid"`   // the Enterprise application's (service principal's) object ID
	Issuer    string    `json:"iss"`
	Version   string    `json:"ver"`
	ExpiresAt time.Time `json:"exp"`
	// AuthMethod is appidacr/azpacr: "1" client secret, "2" certificate.
	AuthMethod string `json:"auth_method,omitempty"`
}

// SMTPRole is the application permission Exchange requires for app-only SMTP AUTH.
const SMTPRole = "SMTP.SendAsApp"

// HasSMTPRole reports whether the token carries SMTP.SendAsApp.
func (c *Claims) HasSMTPRole() bool { return slices.Contains(c.Roles, SMTPRole) }

// ClaimCheck is one verdict on a claim, shown with a tick or a cross. Msg is the verdict as a
// code (claims.<claim>) and arguments; web/i18n puts it into words, into Detail for the CLI.
// Records saved before the catalogue have only Detail, in English.
type ClaimCheck struct {
	Claim string `json:"claim"`
	OK    bool   `json:"ok"`
	// Note marks a finding that is neither a pass nor a failure: a token without roles is what
	// Exchange RBAC for Applications expects, and wrong only for the API-permission model.
	Note   bool    `json:"note,omitempty"`
	Detail string  `json:"detail,omitempty"`
	Msg    Message `json:"msg"`
}

// InspectClaims checks a token against what Exchange will require, before any SMTP traffic.
// The first failing check, if any, is the diagnosis code to report.
func InspectClaims(c *Claims, ep Endpoints, tenant, clientID string, now time.Time) (checks []ClaimCheck, failure string) {
	add := func(claim string, ok bool, detail Message, code string) {
		checks = append(checks, ClaimCheck{Claim: claim, OK: ok, Msg: detail})
		if !ok && failure == "" {
			failure = code
		}
	}
	audOK := strings.TrimRight(c.Audience, "/") == ep.Resource || c.Audience == exchangeAppID
	add("aud", audOK, Msg(ClaimAudience, quoteOrNone(c.Audience), ep.Resource), CodeClaimsWrongAudience)
	checks = append(checks, rolesCheck(c))
	if IsGUID(tenant) {
		add("tid", strings.EqualFold(c.TenantID, tenant), Msg(ClaimTenant, quoteOrNone(c.TenantID), tenant), CodeClaimsWrongTenant)
	} else {
		checks = append(checks, ClaimCheck{Claim: "tid", OK: c.TenantID != "", Msg: Msg(ClaimTenantDomain, quoteOrNone(c.TenantID), tenant)})
	}
	add("appid", strings.EqualFold(c.AppID, clientID), Msg(ClaimApp, quoteOrNone(c.AppID), clientID), CodeClaimsWrongApp)
	add("exp", c.ExpiresAt.IsZero() || c.ExpiresAt.After(now), Msg(ClaimExpires, c.ExpiresAt.Format(time.RFC3339)), CodeClaimsExpired)
	checks = append(checks, ClaimCheck{Claim: "oid", OK: c.ObjectID != "", Msg: Msg(ClaimObjectID, quoteOrNone(c.ObjectID))})
	return checks, failure
}

func quoteOrNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// rolesCheck never fails: without SMTP.SendAsApp the app can still be authorised through Exchange
// RBAC for Applications, so only the AUTH reply tells. It is a note that the two models need
// different pieces.
func rolesCheck(c *Claims) ClaimCheck {
	roles := quoteOrNone(strings.Join(c.Roles, ", "))
	if c.HasSMTPRole() {
		return ClaimCheck{Claim: "roles", OK: true, Msg: Msg(ClaimRoles, roles, SMTPRole)}
	}
	return ClaimCheck{Claim: "roles", OK: true, Note: true, Msg: Msg(ClaimRolesNone, roles, SMTPRole)}
}
