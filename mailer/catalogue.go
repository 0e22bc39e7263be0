package mailer

import "strings"

// Diagnosis codes are stable: the console, the store and tickets refer to them.
const (
	CodeInputInvalid         = "INPUT_INVALID"
	CodeInternal             = "INTERNAL_ERROR"
	CodeTokenTenantNotFound  = "TOKEN_TENANT_NOT_FOUND"
	CodeTokenTenantMalformed = "TOKEN_TENANT_MALFORMED"
	CodeTokenAppNotFound     = "TOKEN_APP_NOT_FOUND"
	CodeTokenSecretInvalid   = "TOKEN_SECRET_INVALID"
	CodeTokenSecretExpired   = "TOKEN_SECRET_EXPIRED"
	CodeTokenNoCredential    = "TOKEN_CREDENTIAL_MISSING"
	CodeTokenNoSP            = "TOKEN_SERVICE_PRINCIPAL_MISSING"
	CodeTokenCertUnknown     = "TOKEN_CERTIFICATE_NOT_REGISTERED"
	CodeTokenScopeInvalid    = "TOKEN_SCOPE_INVALID"
	CodeTokenResourceMissing = "TOKEN_RESOURCE_NOT_FOUND"
	CodeTokenConditional     = "TOKEN_CONDITIONAL_ACCESS"
	CodeTokenRefused         = "TOKEN_REFUSED"
	CodeTokenNotJSON         = "TOKEN_ENDPOINT_NOT_JSON"
	CodeTokenServerError     = "TOKEN_ENDPOINT_SERVER_ERROR"
	CodeTokenUnreachable     = "TOKEN_ENDPOINT_UNREACHABLE"
	CodeClaimsRoleMissing    = "CLAIMS_ROLE_MISSING"
	CodeClaimsWrongAudience  = "CLAIMS_WRONG_AUDIENCE"
	CodeClaimsWrongTenant    = "CLAIMS_WRONG_TENANT"
	CodeClaimsWrongApp       = "CLAIMS_WRONG_APP"
	CodeClaimsExpired        = "CLAIMS_EXPIRED"
	CodeClaimsNotJWT         = "CLAIMS_NOT_JWT"
	CodeSMTPDNS              = "SMTP_DNS_FAILED"
	CodeSMTPRefused          = "SMTP_CONNECTION_REFUSED"
	CodeSMTPUnreachable      = "SMTP_UNREACHABLE"
	CodeSMTPTimeout          = "SMTP_TIMEOUT"
	CodeSMTPClosed           = "SMTP_CONNECTION_CLOSED"
	CodeSMTPProtocol         = "SMTP_PROTOCOL_ERROR"
	CodeEHLOInvalid          = "EHLO_INVALID_DOMAIN"
	CodeSTARTTLSMissing      = "STARTTLS_MISSING"
	CodeTLSVerify            = "TLS_VERIFY_FAILED"
	CodeTLSVersion           = "TLS_VERSION_REFUSED"
	CodeTLSHandshake         = "TLS_HANDSHAKE_FAILED"
	CodeXOAUTH2NotOffered    = "AUTH_XOAUTH2_NOT_OFFERED"
	CodeAuthUnsuccessful     = "AUTH_UNSUCCESSFUL"
	CodeAuthDisabledTenant   = "AUTH_SMTP_DISABLED_TENANT"
	CodeAuthDisabledMailbox  = "AUTH_SMTP_DISABLED_MAILBOX"
	CodeAuthPolicyBlocked    = "AUTH_BLOCKED_BY_POLICY"
	CodeAuthBasicReply       = "AUTH_BASIC_AUTH_REPLY"
	CodeAuthTemporary        = "AUTH_TEMPORARY_ERROR"
	CodeMailNotAuth          = "MAIL_NOT_AUTHENTICATED"
	CodeSendAsEnvelope       = "SEND_AS_NOT_PERMITTED"
	CodeSendAsDenied         = "SEND_AS_DENIED"
	CodeSenderThrottled      = "SENDER_THROTTLED"
	CodeThreadLimit          = "SENDER_THREAD_LIMIT"
	CodeQuotaExceeded        = "SUBMISSION_QUOTA_EXCEEDED"
	CodeMailboxFull          = "MAILBOX_FULL"
	CodeOutboundSpam         = "OUTBOUND_SPAM"
	CodeRestrictedSender     = "RESTRICTED_SENDER"
	CodeMailboxLogon         = "MAILBOX_LOGON_FAILED"
	CodeRecipientNotFound    = "RECIPIENT_NOT_FOUND"
	CodeTemporary            = "TEMPORARY_SERVER_ERROR"
	CodeUnknownReply         = "UNKNOWN_REPLY"
	CodeTargetRefused        = "TARGET_REFUSED_BY_POLICY"

	// Token errors decided from the AADSTS code, the OAuth error value or the HTTP status.
	CodeTokenTenantMissing     = "TOKEN_TENANT_MISSING"
	CodeTokenAppDisabled       = "TOKEN_APP_DISABLED"
	CodeTokenConsentMissing    = "TOKEN_CONSENT_MISSING"
	CodeTokenAssertionTime     = "TOKEN_ASSERTION_TIME_INVALID"
	CodeTokenAssertionAudience = "TOKEN_ASSERTION_AUDIENCE_INVALID"
	CodeTokenAssertionInvalid  = "TOKEN_ASSERTION_INVALID"
	CodeTokenRequestMalformed  = "TOKEN_REQUEST_MALFORMED"
	CodeTokenUserCredentials   = "TOKEN_USER_CREDENTIALS"
	CodeTokenFlowNotEnabled    = "TOKEN_FLOW_NOT_ENABLED"
	CodeTokenClientRejected    = "TOKEN_CLIENT_REJECTED"
	CodeTokenClientNotAllowed  = "TOKEN_CLIENT_NOT_ALLOWED"
	CodeTokenThrottled         = "TOKEN_THROTTLED"
	CodeTokenUnavailable       = "TOKEN_SERVICE_UNAVAILABLE"

	// SMTP replies Exchange Online documents for client submission.
	CodeBasicAuthRetired    = "AUTH_BASIC_RETIRED"
	CodeAuthTypeUnknown     = "AUTH_MECHANISM_UNRECOGNIZED"
	CodeXOAUTH2DataInvalid  = "AUTH_XOAUTH2_DATA_INVALID"
	CodeTokenExpiring       = "AUTH_TOKEN_EXPIRING"
	CodeSTARTTLSRequired    = "STARTTLS_REQUIRED"
	CodeServiceUnavailable  = "SERVICE_NOT_AVAILABLE"
	CodeServerBusy          = "SERVER_BUSY"
	CodeDailyRecipientLimit = "DAILY_RECIPIENT_LIMIT"
	CodeSpamAbuse           = "SENDER_BANNED_SPAM"
	CodeExternalForwarding  = "EXTERNAL_FORWARDING_BLOCKED"
	CodeTenantBlocked       = "TENANT_OUTBOUND_BLOCKED"
	CodeUnregisteredDomain  = "SENDER_DOMAIN_UNREGISTERED"
	CodeReplyOther          = "REPLY_OTHER_STATUS"
	CodeReplyAddressing     = "REPLY_ADDRESSING_STATUS"
	CodeReplyMailbox        = "REPLY_MAILBOX_STATUS"
	CodeReplyMailSystem     = "REPLY_MAIL_SYSTEM_STATUS"
	CodeReplyNetwork        = "REPLY_NETWORK_STATUS"
	CodeReplyProtocol       = "REPLY_PROTOCOL_STATUS"
	CodeReplyContent        = "REPLY_CONTENT_STATUS"
	CodeReplySecurity       = "REPLY_SECURITY_STATUS"
)

// temporariness says whether retrying unchanged can succeed. byReply follows the reply: a 4xx
// whose enhanced code is not 5.x.x. The others are what Exchange documents for that reply.
type temporariness int

const (
	byReply temporariness = iota
	always
	never
)

// entry is one catalogue row: a code and what the domain knows about it. Its words (title,
// explanation, the text of each step) are in the text catalogue, web/i18n. reply, if set,
// recognises the SMTP replies the row explains; steps builds the remediation with its commands
// filled in, each step's text as a message code and arguments.
type entry struct {
	Code, Doc string
	reply     func(code int, enhanced, lowerText string, stage Stage) bool
	steps     func(v values) []Step
	temporary temporariness
}

// entries is every catalogue row. For SMTP replies the documented replies come first, then the
// original catalogue; a reply none of them knows is classified by its RFC 3463 code (rfc3463.go).
func entries() []entry {
	out := make([]entry, 0, len(replyCatalogue)+len(catalogue)+len(tokenCatalogue)+len(classCatalogue))
	out = append(out, replyCatalogue...)
	out = append(out, catalogue...)
	out = append(out, tokenCatalogue...)
	return append(out, classCatalogue...)
}

func (e entry) make(v values) *Diagnosis {
	d := &Diagnosis{Code: e.Code, DocURL: e.Doc, Values: v.export()}
	if e.steps != nil {
		d.Steps = e.steps(v)
	}
	d.Causes = causesFor(e.Code, v)
	return d
}

func entryByCode(code string) entry {
	for _, e := range entries() {
		if e.Code == code {
			return e
		}
	}
	return entry{Code: code}
}

// Catalogue returns every diagnosis the domain can make, with placeholder values and without
// words, for documentation and tests; web/i18n puts them into a language.
func Catalogue() []Diagnosis {
	all := entries()
	out := make([]Diagnosis, len(all))
	for i, e := range all {
		out[i] = *e.make(newValues(Facts{}))
	}
	return out
}

// DiagnosisSteps rebuilds the remediation of a diagnosis code from the values it was made with,
// so a saved diagnosis can be shown again in any language; nil if the code has no steps.
func DiagnosisSteps(code string, v DiagnosisValues) []Step {
	if e := entryByCode(code); e.steps != nil {
		return e.steps(v.values())
	}
	return nil
}

const (
	docOAuth    = "https://learn.microsoft.com/en-us/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth"
	docSMTPAuth = "https://learn.microsoft.com/en-us/exchange/clients-and-mobile-in-exchange-online/authenticated-client-smtp-submission"
	docCC       = "https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow"
	docMFD      = "https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/how-to-set-up-a-multifunction-device-or-application-to-send-email-using-microsoft-365-or-office-365"
	docCET      = "https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/continuous-error-throttling-smtp-auth-submissions"
	docCert     = "https://learn.microsoft.com/entra/identity-platform/certificate-credentials"
	docLimits   = "https://learn.microsoft.com/en-us/office365/servicedescriptions/exchange-online-service-description/exchange-online-limits"
)

func has(s string, phrases ...string) bool {
	for _, p := range phrases {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

// Reusable remediation steps.
func stepServicePrincipal(v values) []Step {
	check := Step{Msg: Msg("step.service_principal.1"),
		Command: v.connect() + "\nGet-ServicePrincipal | Where-Object AppId -eq " + PSQuote(v.AppID) + " | Format-List DisplayName,AppId,ObjectId"}
	if !v.knowsObjectID() {
		// Without the token's oid there is nothing to compare a registration with: register one only
		// when none exists, and never remove one.
		return []Step{check, {Msg: Msg("step.service_principal.unknown"),
			Command: "if (-not (Get-ServicePrincipal -Identity " + PSQuote(v.AppID) + " -ErrorAction SilentlyContinue)) {\n    New-ServicePrincipal -AppId " + PSQuote(v.AppID) + " -ObjectId " + PSQuote(v.ObjectID) + " -DisplayName 'smtpoauth SMTP sender'\n}"}}
	}
	// Pasted as a whole, the block replaces only a registration with another object ID: a removal
	// outside the if would delete a correct one too.
	app, oid := PSQuote(v.AppID), PSQuote(v.ObjectID)
	return []Step{check, {Msg: Msg("step.service_principal.2", v.ObjectID),
		Command: "$sp = Get-ServicePrincipal -Identity " + app + " -ErrorAction SilentlyContinue\n" +
			"if ($sp -and $sp.ObjectId -ne " + oid + ") {\n    Remove-ServicePrincipal -Identity " + app + " -Confirm:$false\n    $sp = $null\n}\n" +
			"if (-not $sp) {\n    New-ServicePrincipal -AppId " + app + " -ObjectId " + oid + " -DisplayName 'smtpoauth SMTP sender'\n}"}}
}

func stepMailboxPermission(v values) Step {
	return Step{Msg: Msg("step.mailbox_permission.1", v.Mailbox),
		Command: "Add-MailboxPermission -Identity " + PSQuote(v.Mailbox) + " -User " + PSQuote(v.ObjectID) + " -AccessRights FullAccess"}
}

// stepRetryLater asks to wait and test again; key names the sentence with the delay to expect.
func stepRetryLater(key string) Step {
	return Step{Msg: Msg(key)}
}

func stepAdminConsent(v values) []Step {
	return []Step{
		{Msg: Msg("step.admin_consent.1", v.AppID)},
		{Msg: Msg("step.admin_consent.2")},
		{Msg: Msg("step.admin_consent.3")},
	}
}

func stepSMTPAuthMailbox(v values) Step {
	return Step{Msg: Msg("step.smtp_auth_mailbox.1"),
		Command: v.connect() + "\nSet-CASMailbox -Identity " + PSQuote(v.Mailbox) + " -SmtpClientAuthenticationDisabled $false\nGet-CASMailbox -Identity " + PSQuote(v.Mailbox) + " | Format-List SmtpClientAuthenticationDisabled"}
}

func stepSendAs(v values) Step {
	if strings.EqualFold(v.From, v.Mailbox) {
		// The sender is the mailbox itself, so no Send As on another address is missing: Exchange
		// signed in as a different mailbox than the address suggests (an alias, or a secondary address).
		return Step{Msg: Msg("step.send_as.own", v.Mailbox),
			Command: "Get-Mailbox -Identity " + PSQuote(v.Mailbox) + " | Format-List PrimarySmtpAddress,EmailAddresses"}
	}
	return Step{Msg: Msg("step.send_as.1", v.Mailbox, v.From),
		Command: "Add-RecipientPermission -Identity " + PSQuote(v.From) + " -Trustee " + PSQuote(v.ObjectID) + " -AccessRights SendAs -Confirm:$false"}
}

// one is a single step without a command, its text the message key.
func one(key string) func(values) []Step {
	return func(values) []Step { return []Step{{Msg: Msg(key)}} }
}

func replyIs(code int, enhanced string) func(int, string, string, Stage) bool {
	return func(c int, e, _ string, _ Stage) bool { return c == code && e == enhanced }
}
