package mailer

// tokenCatalogue explains the Entra ID answers beyond the first table of AADSTS codes: the
// certificate credential's own errors, errors that only a changed request can cause, and the
// OAuth error values and HTTP statuses used when the code says nothing more (Microsoft Learn,
// "Microsoft Entra authentication and authorization error codes"; the reply corpus in
// mailer/exchange/testdata/replies names a real answer for each).
var tokenCatalogue = []entry{
	{Code: CodeTokenTenantMissing, Doc: docCC,
		steps: one("diag.TOKEN_TENANT_MISSING.step.1")},
	{Code: CodeTokenAppDisabled, Doc: docCC,
		steps: func(v values) []Step {
			return []Step{{Msg: Msg("diag.TOKEN_APP_DISABLED.step.1", v.AppID)},
				{Msg: Msg("diag.TOKEN_APP_DISABLED.step.2")}}
		}},
	{Code: CodeTokenConsentMissing, Doc: docCC,
		steps: stepAdminConsent},
	{Code: CodeTokenAssertionTime, Doc: docCert,
		steps: func(v values) []Step {
			return []Step{{Msg: Msg("diag.TOKEN_ASSERTION_TIME_INVALID.step.1")},
				{Msg: Msg("diag.TOKEN_ASSERTION_TIME_INVALID.step.2")}}
		}},
	{Code: CodeTokenAssertionAudience, Doc: docCert,
		steps: one("diag.TOKEN_ASSERTION_AUDIENCE_INVALID.step.1")},
	{Code: CodeTokenAssertionInvalid, Doc: docCert,
		steps: func(v values) []Step {
			return []Step{{Msg: Msg("diag.TOKEN_ASSERTION_INVALID.step.1", v.AppID)}}
		}},
	{Code: CodeTokenRequestMalformed, Doc: docCC,
		steps: func(v values) []Step {
			return []Step{{Msg: Msg("diag.TOKEN_REQUEST_MALFORMED.step.1")},
				{Msg: Msg("diag.TOKEN_REQUEST_MALFORMED.step.2")}}
		}},
	{Code: CodeTokenUserCredentials, Doc: docCC,
		steps: one("diag.TOKEN_USER_CREDENTIALS.step.1")},
	{Code: CodeTokenFlowNotEnabled, Doc: docCC,
		steps: one("diag.TOKEN_FLOW_NOT_ENABLED.step.1")},
	{Code: CodeTokenClientRejected, Doc: docCC,
		steps: func(v values) []Step {
			return []Step{{Msg: Msg("diag.TOKEN_CLIENT_REJECTED.step.1", v.AppID)},
				{Msg: Msg("diag.TOKEN_CLIENT_REJECTED.step.2")}}
		}},
	{Code: CodeTokenClientNotAllowed, Doc: docCC,
		steps: one("diag.TOKEN_CLIENT_NOT_ALLOWED.step.1")},
	{Code: CodeTokenThrottled, Doc: docCC,
		steps: one("diag.TOKEN_THROTTLED.step.1")},
	{Code: CodeTokenUnavailable, Doc: "https://status.cloud.microsoft",
		steps: one("diag.TOKEN_SERVICE_UNAVAILABLE.step.1")},
}
