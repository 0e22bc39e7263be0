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

// ClaimCheck is one verdict on a claim, shown with a tick or a cross.
type ClaimCheck struct {
	Claim string `json:"claim"`
	OK    bool   `json:"ok"`
	// Note marks a finding that is neither a pass nor a failure: a token without roles is what
	// Exchange RBAC for Applications expects, and wrong only for the API-permission model.
	Note     bool   `json:"note,omitempty"`
	Detail   string `json:"detail"`
	DetailDE string `json:"detail_de,omitempty"`
}

// In returns the detail in a language ("de" or English).
func (c ClaimCheck) In(lang string) string {
	if lang == "de" && c.DetailDE != "" {
		return c.DetailDE
	}
	return c.Detail
}

// InspectClaims checks a token against what Exchange will require, before any SMTP traffic.
// The first failing check, if any, is the diagnosis code to report.
func InspectClaims(c *Claims, ep Endpoints, tenant, clientID string, now time.Time) (checks []ClaimCheck, failure string) {
	add := func(claim string, ok bool, detail, detailDE, code string) {
		checks = append(checks, ClaimCheck{Claim: claim, OK: ok, Detail: detail, DetailDE: detailDE})
		if !ok && failure == "" {
			failure = code
		}
	}
	audOK := strings.TrimRight(c.Audience, "/") == ep.Resource || c.Audience == exchangeAppID
	add("aud", audOK, "audience is "+quoteOrNone(c.Audience)+"; Exchange needs "+ep.Resource,
		"Zielgruppe ist "+quoteOrNone(c.Audience)+"; Exchange braucht "+ep.Resource, CodeClaimsWrongAudience)
	checks = append(checks, rolesCheck(c))
	if IsGUID(tenant) {
		add("tid", strings.EqualFold(c.TenantID, tenant), "tenant is "+quoteOrNone(c.TenantID)+"; the profile names "+tenant,
			"Mandant ist "+quoteOrNone(c.TenantID)+"; die Verbindung nennt "+tenant, CodeClaimsWrongTenant)
	} else {
		checks = append(checks, ClaimCheck{Claim: "tid", OK: c.TenantID != "", Detail: "tenant ID is " + quoteOrNone(c.TenantID) + " (the profile names the domain " + tenant + ")",
			DetailDE: "Mandanten-ID ist " + quoteOrNone(c.TenantID) + " (die Verbindung nennt die Domäne " + tenant + ")"})
	}
	add("appid", strings.EqualFold(c.AppID, clientID), "application is "+quoteOrNone(c.AppID)+"; the profile names "+clientID,
		"Anwendung ist "+quoteOrNone(c.AppID)+"; die Verbindung nennt "+clientID, CodeClaimsWrongApp)
	add("exp", c.ExpiresAt.IsZero() || c.ExpiresAt.After(now), "expires "+c.ExpiresAt.Format(time.RFC3339),
		"läuft ab "+c.ExpiresAt.Format(time.RFC3339), CodeClaimsExpired)
	checks = append(checks, ClaimCheck{Claim: "oid", OK: c.ObjectID != "", Detail: "service principal (Enterprise application) object ID is " + quoteOrNone(c.ObjectID),
		DetailDE: "Objekt-ID des Dienstprinzipals (Unternehmensanwendung) ist " + quoteOrNone(c.ObjectID)})
	return checks, failure
}

// rolesCheck never fails: without SMTP.SendAsApp the app can still be authorised through Exchange
// RBAC for Applications, so only the AUTH reply tells (FACTS §6.3). It is a note that the two
// models need different pieces.
func rolesCheck(c *Claims) ClaimCheck {
	roles := quoteOrNone(strings.Join(c.Roles, ", "))
	if c.HasSMTPRole() {
		return ClaimCheck{Claim: "roles", OK: true, Detail: "roles are " + roles + ": the API-permission model; Exchange also checks the service principal's permission on the mailbox",
			DetailDE: "Rollen sind " + roles + ": das Modell mit API-Berechtigung; Exchange prüft zusätzlich die Berechtigung des Dienstprinzipals auf das Postfach"}
	}
	return ClaimCheck{Claim: "roles", OK: true, Note: true,
		Detail:   "no " + SMTPRole + " role (roles are " + roles + "): this app must be granted through Exchange RBAC for Applications (a role assignment over a scope that holds the mailbox), or its API permission lacks admin consent; the AUTH reply will tell",
		DetailDE: "keine Rolle " + SMTPRole + " (Rollen sind " + roles + "): diese App muss über Exchange RBAC für Anwendungen berechtigt sein (eine Rollenzuweisung über einen Bereich, der das Postfach enthält), oder ihrer API-Berechtigung fehlt die Administratorzustimmung; die Antwort auf AUTH entscheidet"}
}

func quoteOrNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
