package mailer

import "strings"

// StepStatus is what smtpoauth knows about a checklist step.
type StepStatus string

// Statuses: verified, failing (the last test points here), a possible cause (535 5.7.3 does not
// say which of several), and not verified yet (nothing observable so far).
const (
	StepOK      StepStatus = "ok"
	StepFailed  StepStatus = "failed"
	StepSuspect StepStatus = "suspect"
	StepUnknown StepStatus = "unknown"
)

// Checklist step IDs, stable: diagnoses and links refer to them.
const (
	StepPrerequisites = "prerequisites"
	StepPermission    = "permission"
	StepSecret        = "secret"
	StepSP            = "service-principal"
	StepMailbox       = "mailbox-permission"
	StepSendAs        = "send-as"
	StepSMTPAuth      = "smtp-auth"
	StepLiveTest      = "live-test"
)

// ChecklistInput is what is known about a connection: its values and its last test.
type ChecklistInput struct {
	Values SetupValues
	// Claims are from the last token fetched, if any.
	Claims *Claims
	// LastCode is the last test's diagnosis code; LastOK and LastSent say whether it passed and sent.
	LastCode         string
	LastOK, LastSent bool
	Tested           bool
	// AuthPassed says Exchange accepted the token in the last test, even if sending failed after.
	AuthPassed bool
	// SecretLooksLikeID is set when the stored secret has the shape of a secret's ID.
	SecretLooksLikeID bool
	CredentialKind    string
}

// ChecklistStep is one item of the administrator's procedure (Microsoft Learn, "Authenticate an
// IMAP, POP or SMTP connection using OAuth": register the app, consent, register the service
// principal in Exchange, grant the mailbox) with its status.
type ChecklistStep struct {
	ID       string
	Title    string
	What     string
	Where    string
	Commands []SetupCommand
	Status   StepStatus
	// Finding says what smtpoauth observed, in words; it quotes the failing diagnosis.
	Finding string
}

// stepOfDiagnosis links each diagnosis to the checklist step it concerns.
var stepOfDiagnosis = map[string]string{
	CodeTokenTenantNotFound: StepPrerequisites, CodeTokenTenantMalformed: StepPrerequisites, CodeTokenAppNotFound: StepPrerequisites,
	CodeTokenNoSP: StepPrerequisites, CodeTokenResourceMissing: StepPrerequisites, CodeTokenScopeInvalid: StepPrerequisites,
	CodeTokenSecretInvalid: StepSecret, CodeTokenSecretExpired: StepSecret, CodeTokenNoCredential: StepSecret, CodeTokenCertUnknown: StepSecret,
	CodeClaimsRoleMissing: StepPermission, CodeClaimsWrongAudience: StepPermission,
	CodeAuthUnsuccessful: StepSP, CodeMailboxLogon: StepMailbox,
	CodeAuthDisabledTenant: StepSMTPAuth, CodeAuthDisabledMailbox: StepSMTPAuth,
	CodeSendAsDenied: StepSendAs, CodeSendAsEnvelope: StepSendAs,
}

// StepForDiagnosis returns the checklist step a diagnosis concerns, or "".
func StepForDiagnosis(code string) string { return stepOfDiagnosis[code] }

// Checklist evaluates the procedure for one connection.
func Checklist(in ChecklistInput) []ChecklistStep {
	v := in.Values
	ep, _ := CloudEndpoints(v.Cloud)
	de := v.Lang == "de"
	cmds := SetupCommands(v)
	// SetupCommands' order: connect, register, full access, [send as], check SMTP AUTH.
	at := func(i int) []SetupCommand { return []SetupCommand{cmds[i]} }
	last := cmds[len(cmds)-1:]
	tokenOK := in.Claims != nil
	status := func(step string, okWhen bool) StepStatus {
		switch {
		case in.Tested && stepOfDiagnosis[in.LastCode] == step:
			return StepFailed
		case in.LastOK || okWhen:
			return StepOK
		}
		return StepUnknown
	}
	oid := t(de, "the token's oid, shown here once a token was fetched", "die oid des Tokens, hier angezeigt, sobald ein Token abgerufen wurde")
	if in.Claims != nil && in.Claims.ObjectID != "" {
		oid = in.Claims.ObjectID
	}
	steps := []ChecklistStep{
		{ID: StepPrerequisites, Title: t(de, "Tenant and app registration exist", "Mandant und App-Registrierung sind vorhanden"),
			What: t(de, "A Microsoft 365 tenant with Exchange Online, and an app registration in Entra ID for the application that sends mail. The connection needs the Directory (tenant) ID and the Application (client) ID.",
				"Ein Microsoft-365-Mandant mit Exchange Online und eine App-Registrierung in Entra ID für die Anwendung, die Mail sendet. Die Verbindung braucht die Verzeichnis-ID (Mandanten-ID) und die Anwendungs-ID (Client-ID)."),
			Where:  t(de, "Microsoft Entra admin center → App registrations (App-Registrierungen) → the app → Overview", "Microsoft Entra Admin Center → App-Registrierungen (App registrations) → die App → Übersicht"),
			Status: status(StepPrerequisites, tokenOK)},
		{ID: StepPermission, Title: t(de, "SMTP.SendAsApp granted with admin consent", "SMTP.SendAsApp mit Administratorzustimmung erteilt"),
			What: t(de, "API permissions → Add a permission → APIs my organization uses → Office 365 Exchange Online → Application permissions → SMTP.SendAsApp, then “Grant admin consent”. smtpoauth sees the result in the token's roles claim.",
				"API-Berechtigungen → Berechtigung hinzufügen → Von meiner Organisation verwendete APIs → Office 365 Exchange Online → Anwendungsberechtigungen → SMTP.SendAsApp, dann „Administratorzustimmung erteilen“. smtpoauth sieht das Ergebnis im roles-Claim des Tokens."),
			Where:  t(de, "Entra admin center → App registrations (App-Registrierungen) → the app → API permissions (API-Berechtigungen)", "Entra Admin Center → App-Registrierungen (App registrations) → die App → API-Berechtigungen (API permissions)"),
			Status: status(StepPermission, tokenOK && in.Claims.HasSMTPRole())},
		{ID: StepSecret, Title: t(de, "The client secret's Value (not its ID) is stored", "Der Wert des geheimen Clientschlüssels (nicht seine ID) ist gespeichert"),
			What: t(de, "Under Certificates & secrets the portal shows a secret's Value once, right after it is created, and its Secret ID always. Entra needs the Value; the ID (a GUID) gives AADSTS7000215.",
				"Unter Zertifikate & Geheimnisse zeigt das Portal den Wert eines Schlüssels nur einmal direkt nach dem Erstellen, die geheime ID dagegen immer. Entra braucht den Wert; die ID (eine GUID) ergibt AADSTS7000215."),
			Where:  t(de, "Entra admin center → App registrations (App-Registrierungen) → the app → Certificates & secrets (Zertifikate & Geheimnisse)", "Entra Admin Center → App-Registrierungen (App registrations) → die App → Zertifikate & Geheimnisse (Certificates & secrets)"),
			Status: status(StepSecret, tokenOK)},
		{ID: StepSP, Title: t(de, "Service principal registered in Exchange with the Enterprise application's object ID", "Dienstprinzipal in Exchange mit der Objekt-ID der Unternehmensanwendung registriert"),
			What: t(de, "New-ServicePrincipal links the app to Exchange. Its -ObjectId must be the object ID of the Enterprise application ("+oid+"), not the object ID shown under App registrations: the two differ, and the wrong one makes Exchange answer 535 5.7.3 Authentication unsuccessful.",
				"New-ServicePrincipal verknüpft die App mit Exchange. Als -ObjectId gehört die Objekt-ID der Unternehmensanwendung ("+oid+") hinein, nicht die unter App-Registrierungen: die beiden unterscheiden sich, und mit der falschen antwortet Exchange 535 5.7.3 Authentication unsuccessful."),
			Where:    t(de, "Entra admin center → Enterprise applications (Unternehmensanwendungen) → the app → Overview → Object ID", "Entra Admin Center → Unternehmensanwendungen (Enterprise applications) → die App → Übersicht → Objekt-ID"),
			Commands: at(1), Status: status(StepSP, in.AuthPassed)},
		{ID: StepMailbox, Title: t(de, "Full access to the sending mailbox ("+v.Mailbox+")", "Vollzugriff auf das sendende Postfach ("+v.Mailbox+")"),
			What:     t(de, "Add-MailboxPermission gives the service principal the right to use the mailbox named in XOAUTH2's user=.", "Add-MailboxPermission gibt dem Dienstprinzipal das Recht, das in XOAUTH2 unter user= genannte Postfach zu nutzen."),
			Where:    "Exchange Online PowerShell",
			Commands: at(2), Status: status(StepMailbox, in.AuthPassed)},
	}
	if v.From != "" && !strings.EqualFold(v.From, v.Mailbox) {
		steps = append(steps, ChecklistStep{ID: StepSendAs, Title: t(de, "Send As for the From address ("+v.From+")", "„Senden als“ für die Absenderadresse ("+v.From+")"),
			What: t(de, "Mail from another address than the authenticating mailbox needs Send As for the service principal; otherwise Exchange answers 554 5.2.252 SendAsDenied after DATA.",
				"Mail von einer anderen Adresse als dem angemeldeten Postfach braucht „Senden als“ für den Dienstprinzipal; sonst antwortet Exchange nach DATA mit 554 5.2.252 SendAsDenied."),
			Where:    "Exchange Online PowerShell",
			Commands: at(3), Status: status(StepSendAs, in.LastSent)})
	}
	steps = append(steps,
		ChecklistStep{ID: StepSMTPAuth, Title: t(de, "SMTP AUTH not disabled for the organization or the mailbox", "SMTP AUTH für Organisation und Postfach nicht deaktiviert"),
			What: t(de, "SmtpClientAuthenticationDisabled gates OAuth too. Organizations created after January 2020 have it disabled; a mailbox setting overrides the organization's, and an empty mailbox value inherits it.",
				"SmtpClientAuthenticationDisabled sperrt auch OAuth. Bei Organisationen, die nach Januar 2020 angelegt wurden, ist es deaktiviert; die Einstellung am Postfach geht der Organisation vor, ein leerer Wert beim Postfach übernimmt den der Organisation."),
			Where:    "Exchange Online PowerShell (" + firstNonEmpty(ep.ExchangeEnvironment, t(de, "global cloud", "globale Cloud")) + ")",
			Commands: last, Status: status(StepSMTPAuth, in.AuthPassed)},
		ChecklistStep{ID: StepLiveTest, Title: t(de, "Live test passes", "Live-Test gelingt"),
			What:  t(de, "Authenticate (and optionally send) through Exchange Online with the stored credentials.", "Mit den gespeicherten Anmeldeinformationen bei Exchange Online anmelden (und wahlweise senden)."),
			Where: t(de, "smtpoauth → Test now", "smtpoauth → Jetzt testen"), Status: liveStatus(in)},
	)
	// 535 5.7.3 names no single cause: the service principal is the likeliest, the mailbox permission next.
	if in.Tested && in.LastCode == CodeAuthUnsuccessful {
		for i := range steps {
			if steps[i].ID == StepMailbox {
				steps[i].Status = StepSuspect
			}
		}
	}
	if in.SecretLooksLikeID && in.CredentialKind != "certificate" && steps[2].Status != StepOK {
		steps[2].Status = StepFailed
		steps[2].Finding = t(de, "The stored secret has the shape of a GUID: it is probably the Secret ID, not the Value.",
			"Der gespeicherte Schlüssel hat die Form einer GUID: vermutlich ist es die geheime ID, nicht der Wert.")
	}
	return steps
}

func liveStatus(in ChecklistInput) StepStatus {
	switch {
	case !in.Tested:
		return StepUnknown
	case in.LastOK:
		return StepOK
	}
	return StepFailed
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
