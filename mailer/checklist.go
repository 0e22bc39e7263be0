package mailer

import "strings"

// StepStatus is what smtpoauth knows about a checklist step.
type StepStatus string

// Statuses: verified, failing (the last test points here), a possible cause (535 5.7.3 does not
// say which of several), and not verified yet (nothing observable so far).
const (
	StepOK        StepStatus = "ok"
	StepFailed    StepStatus = "failed"
	StepSuspect   StepStatus = "suspect"
	StepUnknown   StepStatus = "unknown"
	StepNotNeeded StepStatus = "not-needed"
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

// ChecklistStep is one item of the administrator's procedure (PROCEDURE.md) with its status.
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
	cmds := SetupCommands(v)
	find := func(prefix string) []SetupCommand {
		for _, c := range cmds {
			if strings.HasPrefix(c.Label, prefix) {
				return []SetupCommand{c}
			}
		}
		return nil
	}
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
	oid := "the token's oid, shown here once a token was fetched"
	if in.Claims != nil && in.Claims.ObjectID != "" {
		oid = in.Claims.ObjectID
	}
	steps := []ChecklistStep{
		{ID: StepPrerequisites, Title: "Tenant and app registration exist",
			What:   "A Microsoft 365 tenant with Exchange Online, and an app registration in Entra ID for the application that sends mail. The connection needs the Directory (tenant) ID and the Application (client) ID.",
			Where:  "Microsoft Entra admin center → App registrations (App-Registrierungen) → the app → Overview",
			Status: status(StepPrerequisites, tokenOK)},
		{ID: StepPermission, Title: "SMTP.SendAsApp granted with admin consent",
			What:   "API permissions → Add a permission → APIs my organization uses → Office 365 Exchange Online → Application permissions → SMTP.SendAsApp, then “Grant admin consent”. smtpoauth sees the result in the token's roles claim.",
			Where:  "Entra admin center → App registrations (App-Registrierungen) → the app → API permissions (API-Berechtigungen)",
			Status: status(StepPermission, tokenOK && in.Claims.HasSMTPRole())},
		{ID: StepSecret, Title: "The client secret's Value (not its ID) is stored",
			What:   "Under Certificates & secrets the portal shows a secret's Value once, right after it is created, and its Secret ID always. Entra needs the Value; the ID (a GUID) gives AADSTS7000215.",
			Where:  "Entra admin center → App registrations (App-Registrierungen) → the app → Certificates & secrets (Zertifikate & Geheimnisse)",
			Status: status(StepSecret, tokenOK)},
		{ID: StepSP, Title: "Service principal registered in Exchange with the Enterprise application's object ID",
			What:     "New-ServicePrincipal links the app to Exchange. Its -ObjectId must be the object ID of the Enterprise application (" + oid + "), not the object ID shown under App registrations: the two differ, and the wrong one makes Exchange answer 535 5.7.3 Authentication unsuccessful.",
			Where:    "Entra admin center → Enterprise applications (Unternehmensanwendungen) → the app → Overview → Object ID",
			Commands: find("Register"), Status: status(StepSP, in.AuthPassed)},
		{ID: StepMailbox, Title: "Full access to the sending mailbox (" + v.Mailbox + ")",
			What:     "Add-MailboxPermission gives the service principal the right to use the mailbox named in XOAUTH2's user=.",
			Where:    "Exchange Online PowerShell",
			Commands: find("Give it full access"), Status: status(StepMailbox, in.AuthPassed)},
	}
	if v.From != "" && !strings.EqualFold(v.From, v.Mailbox) {
		steps = append(steps, ChecklistStep{ID: StepSendAs, Title: "Send As for the From address (" + v.From + ")",
			What:     "Mail from another address than the authenticating mailbox needs Send As for the service principal; otherwise Exchange answers 554 5.2.252 SendAsDenied after DATA.",
			Where:    "Exchange Online PowerShell",
			Commands: find("Allow it to send as"), Status: status(StepSendAs, in.LastSent)})
	}
	steps = append(steps,
		ChecklistStep{ID: StepSMTPAuth, Title: "SMTP AUTH not disabled for the organization or the mailbox",
			What:     "SmtpClientAuthenticationDisabled gates OAuth too. Organizations created after January 2020 have it disabled; a mailbox setting overrides the organization's, and an empty mailbox value inherits it.",
			Where:    "Exchange Online PowerShell (" + firstNonEmpty(ep.ExchangeEnvironment, "global cloud") + ")",
			Commands: find("Check that SMTP AUTH"), Status: status(StepSMTPAuth, in.AuthPassed)},
		ChecklistStep{ID: StepLiveTest, Title: "Live test passes", What: "Authenticate (and optionally send) through Exchange Online with the stored credentials.",
			Where: "smtpoauth → Test now", Status: liveStatus(in)},
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
		steps[2].Finding = "The stored secret has the shape of a GUID: it is probably the Secret ID, not the Value."
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
