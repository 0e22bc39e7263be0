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

// StepForDiagnosisIn is StepForDiagnosis for a connection's model: a connection that grants the
// mailbox through an RBAC role assignment has no full-access step, so a failed mailbox logon
// points at its role assignment.
func StepForDiagnosisIn(code string, model AuthModel) string {
	step := stepOfDiagnosis[code]
	if step == StepMailbox && model == AuthModelRBAC {
		return StepRoleAssignment
	}
	return step
}

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
	words := v.words()
	cmds := SetupCommands(v)
	ranked := RankCauses(in.LastCode, noRoles, model)
	status := func(step string, okWhen bool) StepStatus {
		switch {
		case in.Tested && ranked == nil && StepForDiagnosisIn(in.LastCode, model) == step:
			return StepFailed
		case okWhen:
			return StepOK
		}
		return StepUnknown
	}
	oid := words("checklist.oid_unknown")
	if in.Claims != nil && in.Claims.ObjectID != "" {
		oid = in.Claims.ObjectID
	}
	// A passing AUTH proves the pieces of the model the token shows Exchange used.
	permissionUsed, rbacUsed := in.AuthPassed && roles, in.AuthPassed && noRoles
	steps := []ChecklistStep{
		{ID: StepPrerequisites, Title: words("checklist.prerequisites.title"),
			What:   words("checklist.prerequisites.what"),
			Where:  words("checklist.prerequisites.where"),
			Status: status(StepPrerequisites, tokenOK || in.LastOK)},
		permissionStep(in, model, words, status(StepPermission, roles && model != AuthModelRBAC || noRoles && model == AuthModelRBAC)),
		{ID: StepSecret, Title: words("checklist.secret.title"),
			What:   words("checklist.secret.what"),
			Where:  words("checklist.secret.where"),
			Status: status(StepSecret, tokenOK || in.LastOK)},
		{ID: StepSP, Title: words("checklist.service-principal.title"),
			What:     words("checklist.service-principal.what", oid),
			Where:    words("checklist.service-principal.where"),
			Commands: commandsFor(cmds, StepSP), Status: status(StepSP, in.AuthPassed)},
	}
	if model.Covers(AuthModelPermission) {
		steps = append(steps, ChecklistStep{ID: StepMailbox, Title: words("checklist.mailbox-permission.title", v.Mailbox) + modelSuffix(model, AuthModelPermission, words),
			What:     words("checklist.mailbox-permission.what"),
			Where:    "Exchange Online PowerShell",
			Commands: commandsFor(cmds, StepMailbox), Status: status(StepMailbox, permissionUsed)})
	}
	if model.Covers(AuthModelRBAC) {
		steps = append(steps, rbacSteps(v, cmds, status(StepScope, rbacUsed), status(StepRoleAssignment, rbacUsed), model, words)...)
	}
	if v.From != "" && !strings.EqualFold(v.From, v.Mailbox) {
		steps = append(steps, ChecklistStep{ID: StepSendAs, Title: words("checklist.send-as.title", v.From),
			What:     words("checklist.send-as.what"),
			Where:    "Exchange Online PowerShell",
			Commands: commandsFor(cmds, StepSendAs), Status: status(StepSendAs, in.LastSent)})
	} else if stepOfDiagnosis[in.LastCode] == StepSendAs {
		// Exchange refused the sender although it is the mailbox itself: the step the diagnosis
		// links to says what that means instead of asking for Send As on the same address.
		steps = append(steps, ChecklistStep{ID: StepSendAs, Title: words("checklist.send-as.own_title", v.Mailbox),
			What:  words("checklist.send-as.own_what"),
			Where: "Exchange Online PowerShell",
			Commands: []SetupCommand{{Label: words("ps.mailbox_addresses"),
				Command: "Get-Mailbox -Identity " + PSQuote(v.Mailbox) + " | Format-List PrimarySmtpAddress,EmailAddresses", Step: StepSendAs}},
			Status: status(StepSendAs, in.LastSent)})
	}
	steps = append(steps,
		ChecklistStep{ID: StepSMTPAuth, Title: words("checklist.smtp-auth.title"),
			What:     words("checklist.smtp-auth.what"),
			Where:    "Exchange Online PowerShell (" + firstNonEmpty(ep.ExchangeEnvironment, words("checklist.smtp-auth.global_cloud")) + ")",
			Commands: commandsFor(cmds, StepSMTPAuth), Status: status(StepSMTPAuth, in.AuthPassed)},
		ChecklistStep{ID: StepLiveTest, Title: words("checklist.live-test.title"),
			What:  words("checklist.live-test.what"),
			Where: words("checklist.live-test.where"), Status: liveStatus(in)},
	)
	if in.Tested {
		markRanked(steps, ranked, words)
	}
	for i := range steps {
		if steps[i].ID == StepSecret && in.SecretLooksLikeID && in.CredentialKind != "certificate" && steps[i].Status != StepOK {
			steps[i].Status = StepFailed
			steps[i].Finding = words("checklist.secret.finding_guid")
		}
	}
	return steps
}

// markRanked marks each candidate of a 535 5.7.3 a possible cause with its rank, unless the
// evidence already proves it failing or verified, and says what the reply makes unlikely.
func markRanked(steps []ChecklistStep, ranked []string, words Words) {
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
			st.Finding = words("checklist.smtp-auth.after_535")
		}
		for rank, id := range candidates {
			if st.ID == id && st.Status != StepFailed {
				st.Status = StepSuspect
				st.Finding = rankedCause(words, rank+1, len(candidates))
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
