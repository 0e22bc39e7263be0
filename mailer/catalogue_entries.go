package mailer

import "strings"

// catalogue is ordered: for SMTP replies the first matching row wins, so specific rows come
// before the general ones of the same code. The words of every row are in web/i18n, under
// diag.<code>.title, .explanation and .step.<n>.
var catalogue = []entry{
	{Code: CodeInputInvalid},
	{Code: CodeInternal},

	// Entra ID token errors (Microsoft Learn, "Microsoft Entra authentication and authorization error codes").
	{Code: CodeTokenTenantNotFound, Doc: docCC,
		steps: func(v values) []Step {
			return []Step{{Msg: Msg("diag.TOKEN_TENANT_NOT_FOUND.step.1")},
				{Msg: Msg("diag.TOKEN_TENANT_NOT_FOUND.step.2")}}
		}},
	{Code: CodeTokenTenantMalformed, Doc: docCC,
		steps: one("diag.TOKEN_TENANT_MALFORMED.step.1")},
	{Code: CodeTokenAppNotFound, Doc: docCC,
		steps: func(v values) []Step {
			return []Step{{Msg: Msg("diag.TOKEN_APP_NOT_FOUND.step.1")},
				{Msg: Msg("diag.TOKEN_APP_NOT_FOUND.step.2")}}
		}},
	{Code: CodeTokenSecretInvalid, Doc: docCC,
		steps: func(v values) []Step {
			return []Step{{Msg: Msg("diag.TOKEN_SECRET_INVALID.step.1", v.AppID)},
				{Msg: Msg("diag.TOKEN_SECRET_INVALID.step.2")},
				{Msg: Msg("diag.TOKEN_SECRET_INVALID.step.3")}}
		}},
	{Code: CodeTokenSecretExpired, Doc: "https://aka.ms/NewClientSecret",
		steps: func(v values) []Step {
			return []Step{{Msg: Msg("diag.TOKEN_SECRET_EXPIRED.step.1", v.AppID)},
				{Msg: Msg("diag.TOKEN_SECRET_EXPIRED.step.2")},
				{Msg: Msg("diag.TOKEN_SECRET_EXPIRED.step.3")}}
		}},
	{Code: CodeTokenNoCredential, Doc: docCC,
		steps: one("diag.TOKEN_CREDENTIAL_MISSING.step.1")},
	{Code: CodeTokenNoSP, Doc: "https://go.microsoft.com/fwlink/?linkid=2225119",
		steps: func(v values) []Step {
			return []Step{{Msg: Msg("diag.TOKEN_SERVICE_PRINCIPAL_MISSING.step.1"), Command: "New-MgServicePrincipal -AppId " + PSQuote(v.AppID)},
				{Msg: Msg("diag.TOKEN_SERVICE_PRINCIPAL_MISSING.step.2")}}
		}},
	{Code: CodeTokenCertUnknown, Doc: docCert,
		steps: func(v values) []Step {
			return []Step{{Msg: Msg("diag.TOKEN_CERTIFICATE_NOT_REGISTERED.step.1", v.AppID)},
				{Msg: Msg("diag.TOKEN_CERTIFICATE_NOT_REGISTERED.step.2")}}
		}},
	{Code: CodeTokenScopeInvalid, Doc: docCC,
		steps: one("diag.TOKEN_SCOPE_INVALID.step.1")},
	{Code: CodeTokenResourceMissing, Doc: docCC,
		steps: func(v values) []Step {
			return []Step{{Msg: Msg("diag.TOKEN_RESOURCE_NOT_FOUND.step.1")},
				{Msg: Msg("diag.TOKEN_RESOURCE_NOT_FOUND.step.2")}}
		}},
	{Code: CodeTokenConditional, Doc: "https://learn.microsoft.com/entra/identity/conditional-access/workload-identity",
		steps: func(v values) []Step {
			return []Step{{Msg: Msg("diag.TOKEN_CONDITIONAL_ACCESS.step.1", v.AppID)},
				{Msg: Msg("diag.TOKEN_CONDITIONAL_ACCESS.step.2")}}
		}},
	{Code: CodeTokenRefused, Doc: docCC,
		steps: one("diag.TOKEN_REFUSED.step.1")},
	{Code: CodeTokenNotJSON, Doc: docCC,
		steps: func(v values) []Step {
			return []Step{{Msg: Msg("diag.TOKEN_ENDPOINT_NOT_JSON.step.1")},
				{Msg: Msg("diag.TOKEN_ENDPOINT_NOT_JSON.step.2")}}
		}},
	{Code: CodeTokenServerError, Doc: "https://status.cloud.microsoft",
		steps: func(v values) []Step {
			return []Step{{Msg: Msg("diag.TOKEN_ENDPOINT_SERVER_ERROR.step.1")},
				{Msg: Msg("diag.TOKEN_ENDPOINT_SERVER_ERROR.step.2")}}
		}},
	{Code: CodeTokenUnreachable, Doc: docCC,
		steps: func(v values) []Step {
			return []Step{{Msg: Msg("diag.TOKEN_ENDPOINT_UNREACHABLE.step.1")},
				{Msg: Msg("diag.TOKEN_ENDPOINT_UNREACHABLE.step.2")}}
		}},

	// Token claims (Microsoft Learn, "Access token claims reference").
	{Code: CodeClaimsRoleMissing, Doc: docOAuth,
		steps: stepAdminConsent},
	{Code: CodeClaimsWrongAudience, Doc: docOAuth,
		steps: one("diag.CLAIMS_WRONG_AUDIENCE.step.1")},
	{Code: CodeClaimsWrongTenant, Doc: docCC,
		steps: func(v values) []Step {
			return []Step{{Msg: Msg("diag.CLAIMS_WRONG_TENANT.step.1", v.Mailbox)}}
		}},
	{Code: CodeClaimsWrongApp, Doc: docCC,
		steps: one("diag.CLAIMS_WRONG_APP.step.1")},
	{Code: CodeClaimsExpired, Doc: docCC,
		steps: one("diag.CLAIMS_EXPIRED.step.1")},
	{Code: CodeClaimsNotJWT, Doc: docOAuth,
		steps: one("diag.CLAIMS_NOT_JWT.step.1")},

	// Network and TLS.
	{Code: CodeTargetRefused, Doc: docMFD,
		steps: one("diag.TARGET_REFUSED_BY_POLICY.step.1")},
	{Code: CodeSMTPDNS, Doc: docMFD,
		steps: one("diag.SMTP_DNS_FAILED.step.1")},
	{Code: CodeSMTPRefused, Doc: docMFD,
		steps: func(v values) []Step {
			return []Step{{Msg: Msg("diag.SMTP_CONNECTION_REFUSED.step.1")},
				{Msg: Msg("diag.SMTP_CONNECTION_REFUSED.step.2")}}
		}},
	{Code: CodeSMTPUnreachable, Doc: docMFD,
		steps: one("diag.SMTP_UNREACHABLE.step.1")},
	{Code: CodeSMTPTimeout, Doc: docMFD,
		steps: func(v values) []Step {
			return []Step{{Msg: Msg("diag.SMTP_TIMEOUT.step.1")},
				{Msg: Msg("diag.SMTP_TIMEOUT.step.2")}}
		}},
	{Code: CodeSMTPClosed, Doc: docMFD,
		steps: one("diag.SMTP_CONNECTION_CLOSED.step.1")},
	{Code: CodeSMTPProtocol, Doc: docMFD,
		steps: one("diag.SMTP_PROTOCOL_ERROR.step.1")},
	{Code: CodeEHLOInvalid, Doc: docMFD, reply: replyIs(501, "5.5.4"),
		steps: one("diag.EHLO_INVALID_DOMAIN.step.1")},
	{Code: CodeSTARTTLSMissing, Doc: docMFD,
		steps: func(v values) []Step {
			return []Step{{Msg: Msg("diag.STARTTLS_MISSING.step.1")},
				{Msg: Msg("diag.STARTTLS_MISSING.step.2")}}
		}},
	{Code: CodeTLSVerify, Doc: docMFD,
		steps: func(v values) []Step {
			return []Step{{Msg: Msg("diag.TLS_VERIFY_FAILED.step.1")},
				{Msg: Msg("diag.TLS_VERIFY_FAILED.step.2")}}
		}},
	{Code: CodeTLSVersion, Doc: "https://aka.ms/smtp_auth_tls",
		reply:     func(c int, e, tx string, _ Stage) bool { return e == "4.7.66" || has(tx, "tls 1.0 and 1.1") },
		steps:     one("diag.TLS_VERSION_REFUSED.step.1"),
		temporary: never},
	{Code: CodeTLSHandshake, Doc: docMFD,
		steps: one("diag.TLS_HANDSHAKE_FAILED.step.1")},
	{Code: CodeXOAUTH2NotOffered, Doc: docOAuth,
		steps: one("diag.AUTH_XOAUTH2_NOT_OFFERED.step.1")},

	// AUTH replies, as Exchange Online words them (the corpus in mailer/exchange/testdata/replies names each source).
	{Code: CodeAuthDisabledTenant, Doc: docSMTPAuth,
		reply: func(c int, e, tx string, _ Stage) bool {
			return e == "5.7.139" && has(tx, "smtpclientauthentication") && !has(tx, "mailbox", "postfach")
		},
		steps: func(v values) []Step {
			return []Step{{Msg: Msg("diag.AUTH_SMTP_DISABLED_TENANT.step.1"), Command: v.connect() + "\nGet-TransportConfig | Format-List SmtpClientAuthenticationDisabled"},
				stepSMTPAuthMailbox(v),
				{Msg: Msg("diag.AUTH_SMTP_DISABLED_TENANT.step.2"), Command: "Set-TransportConfig -SmtpClientAuthenticationDisabled $false"},
				stepRetryLater("step.retry_later.hour")}
		}},
	{Code: CodeAuthDisabledMailbox, Doc: docSMTPAuth,
		reply: func(c int, e, tx string, _ Stage) bool {
			return e == "5.7.139" && has(tx, "smtpclientauthentication") && has(tx, "mailbox", "postfach")
		},
		steps: func(v values) []Step {
			return []Step{stepSMTPAuthMailbox(v), stepRetryLater("step.retry_later.hour")}
		}},
	{Code: CodeAuthPolicyBlocked, Doc: docOAuth,
		reply: func(c int, e, tx string, _ Stage) bool { return e == "5.7.139" && has(tx, "criteria") },
		steps: func(v values) []Step {
			return []Step{{Msg: Msg("diag.AUTH_BLOCKED_BY_POLICY.step.1", v.AppID)}, stepSMTPAuthMailbox(v)}
		}},
	{Code: CodeAuthBasicReply, Doc: docSMTPAuth,
		reply: func(c int, e, tx string, _ Stage) bool {
			return e == "5.7.139" && has(tx, "basic authentication", "credentials were incorrect", "security defaults")
		},
		steps: one("diag.AUTH_BASIC_AUTH_REPLY.step.1")},
	{Code: CodeAuthUnsuccessful, Doc: docOAuth,
		reply: func(c int, e, tx string, _ Stage) bool { return c == 535 && (e == "5.7.3" || e == "") },
		steps: func(v values) []Step {
			steps := stepServicePrincipal(v)
			steps = append(steps, stepMailboxPermission(v),
				Step{Msg: Msg("diag.AUTH_UNSUCCESSFUL.step.1", v.Mailbox),
					Command: "Get-Mailbox -Identity " + PSQuote(v.Mailbox) + " | Format-List PrimarySmtpAddress\nGet-MailboxPermission -Identity " + PSQuote(v.Mailbox) + " | Where-Object User -like '*" + strings.ReplaceAll(v.ObjectID, "'", "''") + "*'"},
				stepRetryLater("step.retry_later.new_principal"))
			return steps
		}},
	{Code: CodeAuthTemporary, Doc: docOAuth,
		reply: func(c int, e, tx string, s Stage) bool { return s == StageAuth && c/100 == 4 },
		steps: one("diag.AUTH_TEMPORARY_ERROR.step.1")},

	// Submission replies.
	{Code: CodeMailNotAuth, Doc: docOAuth,
		// 530 5.7.0 is "authentication required" once the transaction has started (RFC 4954).
		reply: func(c int, e, _ string, s Stage) bool {
			return c == 530 && (e == "5.7.57" || e == "5.7.0" && !beforeMail(s))
		},
		steps: one("diag.MAIL_NOT_AUTHENTICATED.step.1")},
	{Code: CodeSendAsEnvelope, Doc: docOAuth, reply: replyIs(550, "5.7.60"),
		steps: func(v values) []Step { return []Step{stepSendAs(v)} }},
	{Code: CodeSenderThrottled, Doc: docCET,
		reply: func(c int, e, tx string, _ Stage) bool {
			return c == 550 && (enhancedIn(e, "5.2.", 251, 255) || has(tx, "sender throttled"))
		},
		steps:     one("diag.SENDER_THROTTLED.step.1"),
		temporary: never},
	{Code: CodeSendAsDenied, Doc: docOAuth,
		reply: func(c int, e, tx string, _ Stage) bool { return has(tx, "sendasdenied") },
		steps: func(v values) []Step {
			return []Step{stepSendAs(v), stepRetryLater("step.retry_later.hour")}
		}},
	{Code: CodeThreadLimit, Doc: docLimits,
		// 421 4.3.2 at any stage is "service not available" (replyCatalogue), not this limit.
		reply:     func(c int, e, tx string, _ Stage) bool { return c != 421 && (e == "4.3.2" || has(tx, "thread limit")) },
		temporary: always,
		steps: func(v values) []Step {
			return []Step{{Msg: Msg("diag.SENDER_THREAD_LIMIT.step.1", v.Mailbox)}}
		}},
	{Code: CodeQuotaExceeded, Doc: docLimits,
		reply:     func(c int, e, tx string, _ Stage) bool { return has(tx, "submissionquotaexceeded") },
		steps:     one("diag.SUBMISSION_QUOTA_EXCEEDED.step.1"),
		temporary: always},
	{Code: CodeMailboxFull, Doc: docLimits,
		reply: func(c int, e, tx string, _ Stage) bool { return e == "5.2.2" || has(tx, "quotaexceeded") },
		steps: func(v values) []Step {
			return []Step{{Msg: Msg("diag.MAILBOX_FULL.step.1", v.Mailbox)}}
		}},
	{Code: CodeOutboundSpam, Doc: "https://security.microsoft.com/restrictedentities",
		reply: func(c int, e, tx string, _ Stage) bool { return has(tx, "outboundspamexception") },
		steps: one("diag.OUTBOUND_SPAM.step.1")},
	{Code: CodeRestrictedSender, Doc: "https://security.microsoft.com/restrictedentities", reply: replyIs(550, "5.1.8"),
		steps: func(v values) []Step {
			return []Step{{Msg: Msg("diag.RESTRICTED_SENDER.step.1", v.Mailbox)}}
		}},
	{Code: CodeMailboxLogon, Doc: docOAuth,
		reply: func(c int, e, tx string, _ Stage) bool {
			return has(tx, "mapiexceptionlogonfailed", "mailbox logon failure")
		},
		// Exchange calls it transient, but the reported cause is a missing permission: a retry alone fails again.
		temporary: never,
		steps: func(v values) []Step {
			return []Step{stepMailboxPermission(v), stepRetryLater("step.retry_later.minutes")}
		}},
	{Code: CodeRecipientNotFound, Doc: docMFD,
		reply: func(c int, e, tx string, _ Stage) bool { return e == "5.1.10" || has(tx, "recipientnotfound") },
		steps: one("diag.RECIPIENT_NOT_FOUND.step.1")},
	{Code: CodeTemporary, Doc: docMFD,
		// Exchange's own "Temporary server error" (4.3.111), and a 4xx whose enhanced code names no
		// RFC 3463 subject; any other 4xx is explained by its subject (rfc3463.go).
		reply: func(c int, e, tx string, _ Stage) bool {
			return c/100 == 4 && (e == "4.3.111" || classCode(e) == CodeUnknownReply)
		},
		steps: one("diag.TEMPORARY_SERVER_ERROR.step.1")},
	{Code: CodeUnknownReply, Doc: docMFD,
		steps: one("diag.UNKNOWN_REPLY.step.1")},
}
