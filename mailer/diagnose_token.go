package mailer

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

var aadstsInText = regexp.MustCompile(`AADSTS(\d+)`)

// diagnoseToken decides from everything Entra said, most specific first: the AADSTS codes (some
// are families whose description says which credential failed), the OAuth error value, the HTTP
// status, and last Entra's own description, quoted and explained with the link for its code.
func diagnoseToken(te *TokenError, v values) *Diagnosis {
	var d *Diagnosis
	if e := te.Entra; e != nil {
		code := entraCode(e)
		if code == "" {
			code = statusCode(e.HTTPStatus)
		}
		if code == "" {
			code = CodeTokenRefused
		}
		d = entryByCode(code).make(v)
		d.Quote = e.Description
		if d.Quote == "" {
			d.Quote = e.Error
		}
		if d.DocURL == "" || code == CodeTokenRefused {
			d.DocURL = entraLink(e)
		}
	} else {
		d = entryByCode(tokenTransportCode(te)).make(v)
		switch {
		case te.HTTPStatus != 0:
			d.Quote = fmt.Sprintf("HTTP %d: %s", te.HTTPStatus, te.Page)
		case te.Err != nil:
			d.Quote = te.Err.Error()
		}
	}
	d.Stage = StageToken
	d.Temporary = tokenTemporary(d.Code, te)
	if d.Temporary && te.RetryAfter > 0 {
		d.RetryAfterSeconds = int(te.RetryAfter.Seconds())
	}
	return d
}

// entraCode maps the AADSTS codes Entra named (error_codes first, then those in the text, so a
// wrapper such as AADSTS70002 yields to the AADSTS50012 inside it) and then the error value.
func entraCode(e *EntraError) string {
	desc := strings.ToLower(e.Description)
	codes := []int{}
	if e.Code != 0 {
		codes = append(codes, e.Code)
	}
	for _, m := range aadstsInText.FindAllStringSubmatch(e.Description, -1) {
		if n, err := strconv.Atoi(m[1]); err == nil {
			codes = append(codes, n)
		}
	}
	for _, c := range codes {
		if code := aadstsCode(c, desc); code != "" {
			return code
		}
	}
	// invalid_request, invalid_grant and access_denied cover too many causes to name one.
	return map[string]string{
		"invalid_client": CodeTokenClientRejected, "unauthorized_client": CodeTokenClientNotAllowed,
		"invalid_scope": CodeTokenScopeInvalid, "invalid_tenant": CodeTokenTenantNotFound,
		"invalid_resource": CodeTokenResourceMissing, "temporarily_unavailable": CodeTokenUnavailable,
		"server_error": CodeTokenUnavailable,
	}[e.Error]
}

// aadstsCode is the diagnosis for one AADSTS code (Microsoft Learn, "Microsoft Entra
// authentication and authorization error codes"), or "" when the code alone does not say.
func aadstsCode(c int, desc string) string {
	switch c {
	case 90002:
		// The same code answers an unknown tenant and a tenant value that cannot be one.
		if has(desc, "empty guid", "is not valid") {
			return CodeTokenTenantMalformed
		}
		return CodeTokenTenantNotFound
	case 900023:
		return CodeTokenTenantMalformed
	case 50059:
		return CodeTokenTenantMissing
	case 700016:
		return CodeTokenAppNotFound
	case 7000112:
		return CodeTokenAppDisabled
	case 7000229:
		return CodeTokenNoSP
	case 7000215:
		return CodeTokenSecretInvalid
	case 7000222:
		return CodeTokenSecretExpired
	case 7000218:
		return CodeTokenNoCredential
	case 700027:
		return CodeTokenCertUnknown
	case 700024:
		return CodeTokenAssertionTime
	case 700023:
		return CodeTokenAssertionAudience
	case 50013:
		return CodeTokenAssertionInvalid
	case 70011, 1002012:
		return CodeTokenScopeInvalid
	case 500011:
		return CodeTokenResourceMissing
	case 53003:
		return CodeTokenConditional
	case 65001:
		return CodeTokenConsentMissing
	case 700054:
		return CodeTokenFlowNotEnabled
	case 50126:
		return CodeTokenUserCredentials
	case 90033:
		return CodeTokenUnavailable
	case 900144, 90014:
		if credentialParameter(desc) {
			return CodeTokenNoCredential
		}
		return CodeTokenRequestMalformed
	case 70002, 50012:
		return credentialFamily(desc)
	}
	return ""
}

// credentialFamily reads the older "Error validating credentials" family (AADSTS70002 wrapping
// AADSTS50012), whose number is the same for a wrong secret, a stale assertion and a wrong audience.
func credentialFamily(desc string) string {
	switch {
	case credentialParameter(desc):
		return CodeTokenNoCredential
	case has(desc, "valid time range"):
		return CodeTokenAssertionTime
	case has(desc, "audience"):
		return CodeTokenAssertionAudience
	case has(desc, "key was not found", "not registered"):
		return CodeTokenCertUnknown
	case has(desc, "secret") && has(desc, "expired"):
		return CodeTokenSecretExpired
	case has(desc, "secret"):
		return CodeTokenSecretInvalid
	}
	return ""
}

// credentialParameter is a missing-parameter error that names the credential itself.
func credentialParameter(desc string) bool {
	return has(desc, "must contain") && has(desc, "client_secret") && has(desc, "client_assertion")
}

// statusCode decides from the HTTP status when Entra's words do not: throttling and server
// errors are worth a retry.
func statusCode(status int) string {
	switch {
	case status == http.StatusTooManyRequests:
		return CodeTokenThrottled
	case status == http.StatusServiceUnavailable:
		return CodeTokenUnavailable
	case status >= 500:
		return CodeTokenServerError
	}
	return ""
}

// tokenTransportCode is the diagnosis when no Entra JSON came back.
func tokenTransportCode(te *TokenError) string {
	var refused *TargetRefusedError
	if errors.As(te.Err, &refused) {
		return CodeTargetRefused
	}
	if te.Kind == "not_json" || te.Kind == "server_error" {
		if code := statusCode(te.HTTPStatus); code != "" && code != CodeTokenUnavailable {
			return code
		}
		if te.HTTPStatus >= 500 {
			return CodeTokenServerError
		}
		return CodeTokenNotJSON
	}
	return CodeTokenUnreachable
}

// tokenTemporary: retrying unchanged can succeed after throttling, an outage or a timeout.
func tokenTemporary(code string, te *TokenError) bool {
	switch code {
	case CodeTokenThrottled, CodeTokenUnavailable, CodeTokenServerError:
		return true
	case CodeTokenUnreachable:
		return te.Kind == "timeout"
	}
	return false
}

// entraLink is Microsoft's page for the error: the error_uri Entra sent, else the page for the code.
func entraLink(e *EntraError) string {
	if e.ErrorURI != "" {
		return e.ErrorURI
	}
	if e.Code != 0 {
		return "https://login.microsoftonline.com/error?code=" + strconv.Itoa(e.Code)
	}
	return docCC
}
