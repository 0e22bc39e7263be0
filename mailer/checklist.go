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
	words := v.words()
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
	oid := words("checklist.oid_unknown")
	if in.Claims != nil && in.Claims.ObjectID != "" {
		oid = in.Claims.ObjectID
	}
	steps := []ChecklistStep{
		{ID: StepPrerequisites, Title: words("checklist.prerequisites.title"),
			What:   words("checklist.prerequisites.what"),
			Where:  words("checklist.prerequisites.where"),
			Status: status(StepPrerequisites, tokenOK)},
		{ID: StepPermission, Title: words("checklist.permission.title"),
			What:   words("checklist.permission.what"),
			Where:  words("checklist.permission.where"),
			Status: status(StepPermission, tokenOK && in.Claims.HasSMTPRole())},
		{ID: StepSecret, Title: words("checklist.secret.title"),
			What:   words("checklist.secret.what"),
			Where:  words("checklist.secret.where"),
			Status: status(StepSecret, tokenOK)},
		{ID: StepSP, Title: words("checklist.service-principal.title"),
			What:     words("checklist.service-principal.what", oid),
			Where:    words("checklist.service-principal.where"),
			Commands: at(1), Status: status(StepSP, in.AuthPassed)},
		{ID: StepMailbox, Title: words("checklist.mailbox-permission.title", v.Mailbox),
			What:     words("checklist.mailbox-permission.what"),
			Where:    "Exchange Online PowerShell",
			Commands: at(2), Status: status(StepMailbox, in.AuthPassed)},
	}
	if v.From != "" && !strings.EqualFold(v.From, v.Mailbox) {
		steps = append(steps, ChecklistStep{ID: StepSendAs, Title: words("checklist.send-as.title", v.From),
			What:     words("checklist.send-as.what"),
			Where:    "Exchange Online PowerShell",
			Commands: at(3), Status: status(StepSendAs, in.LastSent)})
	}
	steps = append(steps,
		ChecklistStep{ID: StepSMTPAuth, Title: words("checklist.smtp-auth.title"),
			What:     words("checklist.smtp-auth.what"),
			Where:    "Exchange Online PowerShell (" + firstNonEmpty(ep.ExchangeEnvironment, words("checklist.smtp-auth.global_cloud")) + ")",
			Commands: last, Status: status(StepSMTPAuth, in.AuthPassed)},
		ChecklistStep{ID: StepLiveTest, Title: words("checklist.live-test.title"),
			What:  words("checklist.live-test.what"),
			Where: words("checklist.live-test.where"), Status: liveStatus(in)},
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
		steps[2].Finding = words("checklist.secret.finding_guid")
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
