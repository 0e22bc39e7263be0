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
	CodeAuthUnsuccessful: StepSP, CodeAuthUnsuccessfulNoRoles: StepPermission, CodeMailboxLogon: StepMailbox,
	CodeAuthDisabledTenant: StepSMTPAuth, CodeAuthDisabledMailbox: StepSMTPAuth,
	CodeSendAsDenied: StepSendAs, CodeSendAsEnvelope: StepSendAs,
}

// StepForDiagnosis returns the checklist step a diagnosis concerns, or "". For a 535 5.7.3 it is
// the first of the ranked possible causes, never a proven one.
func StepForDiagnosis(code string) string { return stepOfDiagnosis[code] }

// Checklist evaluates the procedure for one connection. A step is failing only when the evidence
// proves it (a reply that names it, or a token without roles for a connection that says it uses
// the API permission); after 535 5.7.3 every candidate is a ranked possible cause.
func Checklist(in ChecklistInput) []ChecklistStep {
	v := in.Values
	model := v.AuthModel
	if model == "" {
		model = AuthModelUnsure
	}
	tokenOK := in.Claims != nil
	roles := tokenOK && in.Claims.HasSMTPRole()
	noRoles := tokenOK && !roles
	// A connection that is not sure which model it uses learns it from a passing AUTH: the token
	// shows which one Exchange applied.
	if model == AuthModelUnsure && in.AuthPassed && tokenOK {
		model = AuthModelRBAC
		if roles {
			model = AuthModelPermission
		}
		v.AuthModel = model
	}
	ep, _ := CloudEndpoints(v.Cloud)
	de := v.Lang == "de"
	cmds := SetupCommands(v)
	ranked := RankCauses(in.LastCode, noRoles, model)
	status := func(step string, okWhen bool) StepStatus {
		switch {
		case in.Tested && ranked == nil && stepOfDiagnosis[in.LastCode] == step:
			return StepFailed
		case okWhen:
			return StepOK
		}
		return StepUnknown
	}
	oid := t(de, "the token's oid, shown here once a token was fetched", "die oid des Tokens, hier angezeigt, sobald ein Token abgerufen wurde")
	if in.Claims != nil && in.Claims.ObjectID != "" {
		oid = in.Claims.ObjectID
	}
	// A passing AUTH proves the pieces of the model the token shows Exchange used.
	permissionUsed, rbacUsed := in.AuthPassed && roles, in.AuthPassed && noRoles
	steps := []ChecklistStep{
		{ID: StepPrerequisites, Title: t(de, "Tenant and app registration exist", "Mandant und App-Registrierung sind vorhanden"),
			What: t(de, "A Microsoft 365 tenant with Exchange Online, and an app registration in Entra ID for the application that sends mail. The connection needs the Directory (tenant) ID and the Application (client) ID.",
				"Ein Microsoft-365-Mandant mit Exchange Online und eine App-Registrierung in Entra ID für die Anwendung, die Mail sendet. Die Verbindung braucht die Verzeichnis-ID (Mandanten-ID) und die Anwendungs-ID (Client-ID)."),
			Where:  t(de, "Microsoft Entra admin center → App registrations (App-Registrierungen) → the app → Overview", "Microsoft Entra Admin Center → App-Registrierungen (App registrations) → die App → Übersicht"),
			Status: status(StepPrerequisites, tokenOK || in.LastOK)},
		permissionStep(in, model, status(StepPermission, roles && model != AuthModelRBAC || noRoles && model == AuthModelRBAC), de),
		{ID: StepSecret, Title: t(de, "The client secret's Value (not its ID) is stored", "Der Wert des geheimen Clientschlüssels (nicht seine ID) ist gespeichert"),
			What: t(de, "Under Certificates & secrets the portal shows a secret's Value once, right after it is created, and its Secret ID always. Entra needs the Value; the ID (a GUID) gives AADSTS7000215.",
				"Unter Zertifikate & Geheimnisse zeigt das Portal den Wert eines Schlüssels nur einmal direkt nach dem Erstellen, die geheime ID dagegen immer. Entra braucht den Wert; die ID (eine GUID) ergibt AADSTS7000215."),
			Where:  t(de, "Entra admin center → App registrations (App-Registrierungen) → the app → Certificates & secrets (Zertifikate & Geheimnisse)", "Entra Admin Center → App-Registrierungen (App registrations) → die App → Zertifikate & Geheimnisse (Certificates & secrets)"),
			Status: status(StepSecret, tokenOK || in.LastOK)},
		{ID: StepSP, Title: t(de, "Service principal registered in Exchange with the Enterprise application's object ID", "Dienstprinzipal in Exchange mit der Objekt-ID der Unternehmensanwendung registriert"),
			What: t(de, "New-ServicePrincipal links the app to Exchange, in both authorisation models. Its -ObjectId must be the object ID of the Enterprise application ("+oid+"), not the object ID shown under App registrations: the two differ, and the wrong one makes Exchange answer 535 5.7.3 Authentication unsuccessful.",
				"New-ServicePrincipal verknüpft die App mit Exchange, in beiden Berechtigungsmodellen. Als -ObjectId gehört die Objekt-ID der Unternehmensanwendung ("+oid+") hinein, nicht die unter App-Registrierungen: die beiden unterscheiden sich, und mit der falschen antwortet Exchange 535 5.7.3 Authentication unsuccessful."),
			Where:    t(de, "Entra admin center → Enterprise applications (Unternehmensanwendungen) → the app → Overview → Object ID", "Entra Admin Center → Unternehmensanwendungen (Enterprise applications) → die App → Übersicht → Objekt-ID"),
			Commands: commandsFor(cmds, StepSP), Status: status(StepSP, in.AuthPassed)},
	}
	if model.Covers(AuthModelPermission) {
		steps = append(steps, ChecklistStep{ID: StepMailbox, Title: t(de, "Full access to the sending mailbox ("+v.Mailbox+")", "Vollzugriff auf das sendende Postfach ("+v.Mailbox+")") + modelSuffix(model, AuthModelPermission, de),
			What:     t(de, "Add-MailboxPermission gives the service principal the right to use the mailbox named in XOAUTH2's user=.", "Add-MailboxPermission gibt dem Dienstprinzipal das Recht, das in XOAUTH2 unter user= genannte Postfach zu nutzen."),
			Where:    "Exchange Online PowerShell",
			Commands: commandsFor(cmds, StepMailbox), Status: status(StepMailbox, permissionUsed)})
	}
	if model.Covers(AuthModelRBAC) {
		steps = append(steps, rbacSteps(v, cmds, status(StepScope, rbacUsed), status(StepRoleAssignment, rbacUsed), model, de)...)
	}
	if v.From != "" && !strings.EqualFold(v.From, v.Mailbox) {
		steps = append(steps, ChecklistStep{ID: StepSendAs, Title: t(de, "Send As for the From address ("+v.From+")", "„Senden als“ für die Absenderadresse ("+v.From+")"),
			What: t(de, "Mail from another address than the authenticating mailbox needs Send As for the service principal; otherwise Exchange answers 554 5.2.252 SendAsDenied after DATA.",
				"Mail von einer anderen Adresse als dem angemeldeten Postfach braucht „Senden als“ für den Dienstprinzipal; sonst antwortet Exchange nach DATA mit 554 5.2.252 SendAsDenied."),
			Where:    "Exchange Online PowerShell",
			Commands: commandsFor(cmds, StepSendAs), Status: status(StepSendAs, in.LastSent)})
	}
	steps = append(steps,
		ChecklistStep{ID: StepSMTPAuth, Title: t(de, "SMTP AUTH not disabled for the organization or the mailbox", "SMTP AUTH für Organisation und Postfach nicht deaktiviert"),
			What: t(de, "SmtpClientAuthenticationDisabled gates OAuth too. Organizations created after January 2020 have it disabled; a mailbox setting overrides the organization's, and an empty mailbox value inherits it.",
				"SmtpClientAuthenticationDisabled sperrt auch OAuth. Bei Organisationen, die nach Januar 2020 angelegt wurden, ist es deaktiviert; die Einstellung am Postfach geht der Organisation vor, ein leerer Wert beim Postfach übernimmt den der Organisation."),
			Where:    "Exchange Online PowerShell (" + firstNonEmpty(ep.ExchangeEnvironment, t(de, "global cloud", "globale Cloud")) + ")",
			Commands: commandsFor(cmds, StepSMTPAuth), Status: status(StepSMTPAuth, in.AuthPassed)},
		ChecklistStep{ID: StepLiveTest, Title: t(de, "Live test passes", "Live-Test gelingt"),
			What:  t(de, "Authenticate (and optionally send) through Exchange Online with the stored credentials.", "Mit den gespeicherten Anmeldeinformationen bei Exchange Online anmelden (und wahlweise senden)."),
			Where: t(de, "smtpoauth → Test now", "smtpoauth → Jetzt testen"), Status: liveStatus(in)},
	)
	if in.Tested {
		markRanked(steps, ranked, v.Lang)
	}
	for i := range steps {
		if steps[i].ID == StepSecret && in.SecretLooksLikeID && in.CredentialKind != "certificate" && steps[i].Status != StepOK {
			steps[i].Status = StepFailed
			steps[i].Finding = t(de, "The stored secret has the shape of a GUID: it is probably the Secret ID, not the Value.",
				"Der gespeicherte Schlüssel hat die Form einer GUID: vermutlich ist es die geheime ID, nicht der Wert.")
		}
	}
	return steps
}

// markRanked marks each candidate of a 535 5.7.3 a possible cause with its rank, unless the
// evidence already proves it failing or verified, and says what the reply makes unlikely.
func markRanked(steps []ChecklistStep, ranked []string, lang string) {
	if ranked == nil {
		return
	}
	// Candidates are the ranked steps this checklist shows and has not verified.
	open := map[string]bool{}
	for _, st := range steps {
		open[st.ID] = st.Status != StepOK
	}
	var candidates []string
	for _, s := range ranked {
		if open[s] {
			candidates = append(candidates, s)
		}
	}
	for i := range steps {
		st := &steps[i]
		if st.ID == StepSMTPAuth && st.Status == StepUnknown {
			st.Finding = SMTPAuthAfter535(lang)
		}
		for rank, id := range candidates {
			if st.ID == id && st.Status != StepFailed {
				st.Status = StepSuspect
				st.Finding = RankedCause(rank+1, len(candidates), lang)
			}
		}
	}
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
