package mailer_test

import (
	"strings"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

func diagnoseEntra(e *mailer.EntraError) *mailer.Diagnosis {
	return mailer.Diagnose(mailer.Facts{Stage: mailer.StageToken, Err: &mailer.TokenError{Entra: e, HTTPStatus: e.HTTPStatus, Kind: "entra"}})
}

// Entra's answer is read most specific first: the AADSTS code (wrappers yield to the code inside),
// then the OAuth error value, then the HTTP status, and last its own words, quoted with the link.
func TestDiagnose_TokenDecidesFromCodeThenErrorThenStatusThenWords(t *testing.T) {
	cases := []struct {
		name string
		e    mailer.EntraError
		want string
	}{
		{"WrapperYieldsToTheCodeInside", mailer.EntraError{HTTPStatus: 401, Error: "invalid_client", Code: 70002,
			Description: "AADSTS70002: Error validating credentials. AADSTS50012: Client assertion is not within its valid time range."}, mailer.CodeTokenAssertionTime},
		{"SameCodeMalformedTenant", mailer.EntraError{HTTPStatus: 400, Error: "invalid_request", Code: 90002,
			Description: "AADSTS90002: Requested tenant identifier '00000000-0000-0000-0000-000000000000' is not valid. Tenant identifiers may not be an empty GUID."}, mailer.CodeTokenTenantMalformed},
		{"CertificateOutsideItsWindow", mailer.EntraError{HTTPStatus: 401, Error: "invalid_client", Code: 700024,
			Description: "AADSTS700024: Client assertion is not within its valid time range."}, mailer.CodeTokenAssertionTime},
		{"AssertionForAnotherEndpoint", mailer.EntraError{HTTPStatus: 401, Error: "invalid_client", Code: 700023,
			Description: "AADSTS700023: Client assertion audience claim does not match Realm issuer."}, mailer.CodeTokenAssertionAudience},
		{"UnknownCodeInvalidClient", mailer.EntraError{HTTPStatus: 401, Error: "invalid_client", Code: 7777777, Description: "AADSTS7777777: Something new."}, mailer.CodeTokenClientRejected},
		{"UnknownCodeUnauthorizedClient", mailer.EntraError{HTTPStatus: 400, Error: "unauthorized_client", Code: 7777777, Description: "AADSTS7777777: Something new."}, mailer.CodeTokenClientNotAllowed},
		{"UnknownCodeTooManyRequests", mailer.EntraError{HTTPStatus: 429, Error: "invalid_request", Code: 7777777, Description: "AADSTS7777777: Slow down."}, mailer.CodeTokenThrottled},
		{"TemporarilyUnavailable", mailer.EntraError{HTTPStatus: 503, Error: "temporarily_unavailable", Code: 90033, Description: "AADSTS90033: A transient error has occurred. Please try again."}, mailer.CodeTokenUnavailable},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := diagnoseEntra(&tc.e).Code; got != tc.want {
				t.Fatalf("got %s, want %s", got, tc.want)
			}
		})
	}
}

// The error value decides when the AADSTS code is one smtpoauth does not know.
func TestDiagnose_TokenErrorValueDecidesWhenTheCodeDoesNot(t *testing.T) {
	for value, want := range map[string]string{"invalid_client": mailer.CodeTokenClientRejected, "unauthorized_client": mailer.CodeTokenClientNotAllowed,
		"invalid_scope": mailer.CodeTokenScopeInvalid, "invalid_tenant": mailer.CodeTokenTenantNotFound} {
		d := diagnoseEntra(&mailer.EntraError{HTTPStatus: 400, Error: value, Code: 4242, Description: "AADSTS4242: Something new."})
		if d.Code != want {
			t.Errorf("%s: got %s, want %s", value, d.Code, want)
		}
		if en, de := i18n.Localize(d, i18n.EN), i18n.Localize(d, i18n.DE); de.Title == en.Title || de.Explanation == en.Explanation {
			t.Errorf("%s: %s has no German", value, d.Code)
		}
	}
}

// When nothing more specific is known, Entra's own words are the explanation, with its link.
func TestDiagnose_UnknownTokenErrorQuotesEntrasWordsWithTheLink(t *testing.T) {
	d := diagnoseEntra(&mailer.EntraError{HTTPStatus: 400, Error: "invalid_request", Code: 4242,
		Description: "AADSTS4242: The widget is not frobnicated for app 'x'.\r\nTrace ID: 1\r\nCorrelation ID: 2\r\nTimestamp: 2026-12-01 10:00:00Z"})
	if d.Code != mailer.CodeTokenRefused {
		t.Fatalf("got %s, want %s", d.Code, mailer.CodeTokenRefused)
	}
	for _, ex := range []string{i18n.Localize(d, i18n.EN).Explanation, i18n.Localize(d, i18n.DE).Explanation} {
		if !strings.Contains(ex, "AADSTS4242: The widget is not frobnicated for app 'x'.") || strings.Contains(ex, "Trace ID") {
			t.Errorf("explanation does not quote Entra's message alone: %q", ex)
		}
	}
	if d.DocURL != "https://login.microsoftonline.com/error?code=4242" {
		t.Errorf("got link %q, want Microsoft's page for the code", d.DocURL)
	}
}

// Throttling is temporary and carries the wait the endpoint asked for; a plain refusal is neither.
func TestDiagnose_TokenThrottlingIsTemporaryWithTheWait(t *testing.T) {
	d := mailer.Diagnose(mailer.Facts{Stage: mailer.StageToken, Err: &mailer.TokenError{Kind: "not_json", HTTPStatus: 429, RetryAfter: 30 * time.Second, Page: "Too Many Requests"}})
	if d.Code != mailer.CodeTokenThrottled || !d.Temporary || d.RetryAfterSeconds != 30 {
		t.Fatalf("got %s temporary=%v wait=%d, want %s temporary with 30 s", d.Code, d.Temporary, d.RetryAfterSeconds, mailer.CodeTokenThrottled)
	}
	d = diagnoseEntra(&mailer.EntraError{HTTPStatus: 401, Error: "invalid_client", Code: 7000215, Description: "AADSTS7000215: Invalid client secret provided."})
	if d.Temporary || d.RetryAfterSeconds != 0 {
		t.Fatalf("a wrong secret is marked temporary=%v wait=%d", d.Temporary, d.RetryAfterSeconds)
	}
}

// A page that is not Entra's JSON is named in the diagnosis, so the admin sees what answered.
func TestDiagnose_HTMLAnswerIsNamed(t *testing.T) {
	d := mailer.Diagnose(mailer.Facts{Stage: mailer.StageToken, Err: &mailer.TokenError{Kind: "not_json", HTTPStatus: 200, Page: "<title>Sign in to your account</title>"}})
	en := i18n.Localize(d, i18n.EN)
	if d.Code != mailer.CodeTokenNotJSON || !strings.Contains(en.Explanation, "Sign in to your account") || !strings.Contains(i18n.Localize(d, i18n.DE).Explanation, "Sign in to your account") {
		t.Fatalf("got %s: %q", d.Code, en.Explanation)
	}
}
