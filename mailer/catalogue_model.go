package mailer

import (
	"slices"
	"strconv"
)

// This file holds the two authorisation models (API permission, Exchange RBAC for Applications)
// as the catalogue sees them: the ranked causes of a 535 5.7.3, the diagnoses only one model
// explains, and the RBAC remediation. Their words are in web/i18n (cause.*, diag.<code>.*, step.rbac.*).

// Diagnosis codes of the authorisation models.
const (
	// CodeAuthUnsuccessfulNoRoles is 535 5.7.3 for a token without SMTP.SendAsApp: the missing piece
	// is either model's (CodeAuthUnsuccessful is the same reply with the role in the token).
	CodeAuthUnsuccessfulNoRoles = "AUTH_UNSUCCESSFUL_NO_ROLES"
	// CodeAuthSecurityDefaults is 535 5.7.139 naming security defaults: a tenant policy, not Basic authentication.
	CodeAuthSecurityDefaults = "AUTH_SECURITY_DEFAULTS"
)

// Checklist steps of Exchange RBAC for Applications.
const (
	StepScope          = "management-scope"
	StepRoleAssignment = "role-assignment"
)

// RBACRole is the only management role Exchange RBAC for Applications supports for SMTP.
const RBACRole = "Application SMTP.SendAsApp"

// Cause is one candidate a reply leaves open, ranked: 1 is the likeliest given the evidence.
type Cause struct {
	Rank int `json:"rank"`
	// Step is the checklist step the cause concerns; empty when none does (a change not yet applied).
	Step string `json:"step,omitempty"`
	// Text is the cause in words once web/i18n has localized the diagnosis; Msg is its code.
	Text string  `json:"text"`
	Msg  Message `json:"-"`
}

// authCauseSteps ranks the checklist steps a 535 5.7.3 leaves open. The token decides which model
// Exchange applied: with SMTP.SendAsApp it checks the service principal and its mailbox permission
// (FACTS §6.3: the claim "would trigger … check for mailbox permissions"); without, only a role
// assignment can authorise the app, unless the permission was meant and lacks consent. "" stands
// for "a change not yet applied".
func authCauseSteps(noRoles bool, model AuthModel) []string {
	if !noRoles {
		if model == AuthModelRBAC {
			return []string{StepPermission, StepSP, StepMailbox, ""}
		}
		return []string{StepSP, StepMailbox, ""}
	}
	switch model {
	case AuthModelRBAC:
		return []string{StepRoleAssignment, StepScope, StepSP, "", StepPermission}
	case AuthModelPermission:
		return []string{StepPermission, StepSP, StepRoleAssignment, StepScope, ""}
	}
	return []string{StepPermission, StepRoleAssignment, StepScope, StepSP, ""}
}

// causesFor returns a diagnosis' ranked causes, or nil if its reply names its cause.
func causesFor(code string, v values) []Cause {
	var steps []string
	switch code {
	case CodeAuthUnsuccessful:
		steps = authCauseSteps(false, v.Model)
	case CodeAuthUnsuccessfulNoRoles:
		steps = authCauseSteps(true, v.Model)
	default:
		return nil
	}
	out := make([]Cause, len(steps))
	for i, s := range steps {
		out[i] = Cause{Rank: i + 1, Step: s, Msg: causeMsg(s, v)}
	}
	return out
}

// DiagnosisCauses rebuilds the ranked causes of a diagnosis code from the values it was made
// with, so a saved diagnosis can be shown again in any language; nil if the reply names its cause.
func DiagnosisCauses(code string, v DiagnosisValues) []Cause { return causesFor(code, v.values()) }

func causeMsg(step string, v values) Message {
	switch step {
	case StepPermission:
		if !v.NoRoles {
			return Msg("cause.permission_in_token")
		}
		return Msg("cause.permission")
	case StepSP:
		return Msg("cause.service-principal", v.ObjectID)
	case StepMailbox:
		return Msg("cause.mailbox-permission", v.Mailbox)
	case StepRoleAssignment:
		return Msg("cause.role-assignment", RBACRole)
	case StepScope:
		return Msg("cause.management-scope", v.Mailbox)
	}
	if v.NoRoles {
		return Msg("cause.not_applied_rbac")
	}
	return Msg("cause.not_applied")
}

// RankCauses is the ranked checklist steps a 535 5.7.3 leaves open, given the token and the model;
// the checklist marks each as a possible cause.
func RankCauses(code string, noRoles bool, model AuthModel) []string {
	switch code {
	case CodeAuthUnsuccessful, CodeAuthUnsuccessfulNoRoles:
		return authCauseSteps(code == CodeAuthUnsuccessfulNoRoles || noRoles, model)
	}
	return nil
}

func rankedCause(words Words, rank, of int) string {
	return words("checklist.possible_cause", strconv.Itoa(rank), strconv.Itoa(of))
}

// modelEntries go into the catalogue before the Basic-authentication reply (see init).
var modelEntries = []entry{
	{Code: CodeAuthSecurityDefaults, Doc: docMFD,
		reply: func(c int, e, tx string, _ Stage) bool { return e == "5.7.139" && has(tx, "security defaults") },
		steps: func(v values) []Step {
			return []Step{{Msg: Msg("diag.AUTH_SECURITY_DEFAULTS.step.1")}, {Msg: Msg("diag.AUTH_SECURITY_DEFAULTS.step.2", v.AppID)}}
		}},
	{Code: CodeAuthUnsuccessfulNoRoles, Doc: docRBAC,
		steps: func(v values) []Step {
			var out []Step
			for _, s := range authCauseSteps(true, v.Model) {
				switch s {
				case StepPermission:
					if v.Model != AuthModelRBAC { // Microsoft advises against the permission with RBAC
						out = append(out, stepAdminConsent(v)[:2]...)
					}
				case StepRoleAssignment:
					out = append(out, stepRBAC(v)...)
				case StepSP:
					out = append(out, stepServicePrincipal(v)[1])
				case "":
					out = append(out, stepRetryLater("step.retry_later.rbac"))
				}
			}
			return out
		}},
}

const docRBAC = "https://learn.microsoft.com/exchange/permissions-exo/application-rbac"

// stepRBAC checks and grants Exchange RBAC for Applications for the mailbox: the read-only check
// first, then a scope holding the mailbox and the role assignment over it.
func stepRBAC(v values) []Step {
	return []Step{
		{Msg: Msg("step.rbac.1", v.Mailbox, RBACRole),
			Command: v.connect() + "\nTest-ServicePrincipalAuthorization -Identity " + PSQuote(v.AppID) + " -Resource " + PSQuote(v.Mailbox)},
		{Msg: Msg("step.rbac.2"), Command: rbacCommands(v.AppID, v.Mailbox)},
	}
}

// rbacScopeName and rbacAssignmentName are the names smtpoauth gives what it creates, so that a
// second run finds them.
const rbacScopeName = "smtpoauth SMTP senders"

func rbacAssignmentName(appID string) string { return "smtpoauth SendAsApp " + appID }

// rbacFilter is an OPATH filter for one mailbox; OPATH doubles a quote inside its own quotes.
func rbacFilter(mailbox string) string {
	return "PrimarySmtpAddress -eq '" + opathEscape(mailbox) + "'"
}

func opathEscape(s string) string {
	var b []rune
	for _, r := range oneLineComment(s) {
		if r == '\'' || r == '\u2018' || r == '\u2019' || r == '\u201a' || r == '\u201b' {
			b = append(b, r)
		}
		b = append(b, r)
	}
	return string(b)
}

func rbacCommands(appID, mailbox string) string {
	return "if (-not (Get-ManagementScope -Identity " + PSQuote(rbacScopeName) + " -ErrorAction SilentlyContinue)) {\n" +
		"    New-ManagementScope -Name " + PSQuote(rbacScopeName) + " -RecipientRestrictionFilter " + PSQuote(rbacFilter(mailbox)) + "\n}\n" +
		"if (-not (Get-ManagementRoleAssignment -Identity " + PSQuote(rbacAssignmentName(appID)) + " -ErrorAction SilentlyContinue)) {\n" +
		"    New-ManagementRoleAssignment -Name " + PSQuote(rbacAssignmentName(appID)) + " -Role " + PSQuote(RBACRole) + " -App " + PSQuote(appID) +
		" -CustomResourceScope " + PSQuote(rbacScopeName) + "\n}"
}

// init puts the model entries before the Basic-authentication reply, whose matcher they narrow:
// the first matching row wins.
func init() {
	i := slices.IndexFunc(catalogue, func(e entry) bool { return e.Code == CodeAuthBasicReply })
	if i < 0 {
		i = len(catalogue)
	}
	catalogue = slices.Insert(catalogue, i, modelEntries...)
}
