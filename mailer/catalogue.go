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
)

var aadstsCodes = map[int]string{
	90002: CodeTokenTenantNotFound, 900023: CodeTokenTenantMalformed, 700016: CodeTokenAppNotFound,
	7000215: CodeTokenSecretInvalid, 7000222: CodeTokenSecretExpired, 7000218: CodeTokenNoCredential,
	7000229: CodeTokenNoSP, 700027: CodeTokenCertUnknown, 70011: CodeTokenScopeInvalid, 1002012: CodeTokenScopeInvalid,
	500011: CodeTokenResourceMissing, 53003: CodeTokenConditional,
}

// entry is one catalogue row, in English and German. reply, if set, recognises the SMTP replies
// the row explains; steps builds the remediation for either language (de true: German).
type entry struct {
	Code, Title, Explanation, Doc string
	TitleDE, ExplanationDE        string
	reply                         func(code int, enhanced, lowerText string, stage Stage) bool
	steps                         func(v values, de bool) []Step
}

func (e entry) make(v values) *Diagnosis {
	d := &Diagnosis{Code: e.Code, Title: e.Title, Explanation: e.Explanation, DocURL: e.Doc, Values: v.export()}
	if e.steps != nil {
		d.Steps = e.steps(v, false)
	}
	d.Causes = causesFor(e.Code, v, false)
	return d
}

func entryByCode(code string) entry {
	for _, e := range catalogue {
		if e.Code == code {
			return e
		}
	}
	return entry{Code: code, Title: code, TitleDE: code}
}

// Catalogue returns every diagnosis in English, for documentation and tests.
func Catalogue() []Diagnosis { return CatalogueIn("en") }

// CatalogueIn returns every diagnosis in a language ("de" or English).
func CatalogueIn(lang string) []Diagnosis {
	out := make([]Diagnosis, len(catalogue))
	for i, e := range catalogue {
		out[i] = *Localize(e.make(newValues(Facts{})), lang)
	}
	return out
}

// t picks the German or the English text.
func t(de bool, en, deText string) string {
	if de {
		return deText
	}
	return en
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
func stepServicePrincipal(v values, de bool) []Step {
	return []Step{
		{Text: t(de, "Check whether Exchange knows the app's service principal, and with which object ID:",
			"Prüfen, ob Exchange den Dienstprinzipal der App kennt und mit welcher Objekt-ID:"),
			Command: v.connect() + "\nGet-ServicePrincipal | Where-Object AppId -eq " + PSQuote(v.AppID) + " | Format-List DisplayName,AppId,ObjectId"},
		{Text: t(de, "If it is missing, or its ObjectId is not "+v.ObjectID+" (the token's oid, which is the Enterprise application's object ID — not the App registration's), register it again with the right ID:",
			"Fehlt er, oder ist seine ObjectId nicht "+v.ObjectID+" (die oid des Tokens, also die Objekt-ID der Unternehmensanwendung – nicht die der App-Registrierung), ihn mit der richtigen ID neu registrieren:"),
			Command: "Remove-ServicePrincipal -Identity " + PSQuote(v.AppID) + "   # only if it exists with the wrong ObjectId\nNew-ServicePrincipal -AppId " + PSQuote(v.AppID) + " -ObjectId " + PSQuote(v.ObjectID) + " -DisplayName 'smtpoauth SMTP sender'"},
	}
}

func stepMailboxPermission(v values, de bool) Step {
	return Step{Text: t(de, "Give the service principal full access to the mailbox that authenticates ("+v.Mailbox+"):",
		"Dem Dienstprinzipal Vollzugriff auf das Postfach geben, das sich anmeldet ("+v.Mailbox+"):"),
		Command: "Add-MailboxPermission -Identity " + PSQuote(v.Mailbox) + " -User " + PSQuote(v.ObjectID) + " -AccessRights FullAccess"}
}

func stepRetryLater(de bool, minutesEN, minutesDE string) Step {
	return Step{Text: t(de, "Changes in Exchange Online take effect after a delay ("+minutesEN+"). Run the test again after waiting.",
		"Änderungen in Exchange Online wirken erst nach einer Weile ("+minutesDE+"). Den Test danach erneut ausführen.")}
}

func stepAdminConsent(v values, de bool) []Step {
	return []Step{
		{Text: t(de, "In the Microsoft Entra admin center open App registrations → the app ("+v.AppID+") → API permissions → Add a permission → APIs my organization uses → \"Office 365 Exchange Online\" → Application permissions → SMTP.SendAsApp.",
			"Im Microsoft Entra Admin Center App-Registrierungen → die App ("+v.AppID+") → API-Berechtigungen → Berechtigung hinzufügen → Von meiner Organisation verwendete APIs → „Office 365 Exchange Online“ → Anwendungsberechtigungen → SMTP.SendAsApp öffnen.")},
		{Text: t(de, "Select \"Grant admin consent for <your organization>\" and confirm; the status column must show a green tick.",
			"„Administratorzustimmung für <Ihre Organisation> erteilen“ wählen und bestätigen; die Statusspalte muss einen grünen Haken zeigen.")},
		{Text: t(de, "Run the test again: the token's roles claim must now list SMTP.SendAsApp.",
			"Den Test erneut ausführen: der roles-Claim des Tokens muss jetzt SMTP.SendAsApp enthalten.")},
	}
}

func stepSMTPAuthMailbox(v values, de bool) Step {
	return Step{Text: t(de, "Enable SMTP AUTH for the sending mailbox (this overrides the tenant setting):",
		"SMTP AUTH für das sendende Postfach aktivieren (das geht der Einstellung des Mandanten vor):"),
		Command: v.connect() + "\nSet-CASMailbox -Identity " + PSQuote(v.Mailbox) + " -SmtpClientAuthenticationDisabled $false\nGet-CASMailbox -Identity " + PSQuote(v.Mailbox) + " | Format-List SmtpClientAuthenticationDisabled"}
}

func stepSendAs(v values, de bool) Step {
	return Step{Text: t(de, "Either send from the mailbox that authenticates ("+v.Mailbox+"), or allow the service principal to send as "+v.From+":",
		"Entweder vom Postfach senden, das sich anmeldet ("+v.Mailbox+"), oder dem Dienstprinzipal erlauben, als "+v.From+" zu senden:"),
		Command: "Add-RecipientPermission -Identity " + PSQuote(v.From) + " -Trustee " + PSQuote(v.ObjectID) + " -AccessRights SendAs -Confirm:$false"}
}

// one wraps a single plain step in both languages.
func one(en, deText string) func(values, bool) []Step {
	return func(_ values, de bool) []Step { return []Step{{Text: t(de, en, deText)}} }
}

func replyIs(code int, enhanced string) func(int, string, string, Stage) bool {
	return func(c int, e, _ string, _ Stage) bool { return c == code && e == enhanced }
}
