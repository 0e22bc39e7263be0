package mailer

import (
	"slices"
	"strconv"
)

// This file holds the texts of the two authorisation models (API permission, Exchange RBAC for
// Applications): the ranked causes of a 535 5.7.3, the diagnoses only one model explains, and the
// RBAC remediation. Every text has its German beside its English.

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
	Text string `json:"text"`
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

// causesFor returns a diagnosis' ranked causes in a language, or nil if its reply names its cause.
func causesFor(code string, v values, de bool) []Cause {
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
		out[i] = Cause{Rank: i + 1, Step: s, Text: causeText(s, v, de)}
	}
	return out
}

func causeText(step string, v values, de bool) string {
	switch step {
	case StepPermission:
		if !v.NoRoles {
			return t(de, "The token carries SMTP.SendAsApp, so Exchange applies the API-permission model (service principal and FullAccess) although the connection says Exchange RBAC: remove the API permission, as Microsoft advises for RBAC, or grant FullAccess.",
				"Das Token trägt SMTP.SendAsApp, also wendet Exchange das Modell mit API-Berechtigung an (Dienstprinzipal und Vollzugriff), obwohl die Verbindung Exchange RBAC nennt: die API-Berechtigung entfernen, wie Microsoft für RBAC rät, oder Vollzugriff erteilen.")
		}
		return t(de, "API-permission model: SMTP.SendAsApp is not added to the app, or admin consent was not granted — the token has no roles.",
			"Modell mit API-Berechtigung: SMTP.SendAsApp fehlt bei der App, oder die Administratorzustimmung wurde nicht erteilt – das Token hat keine Rollen.")
	case StepSP:
		return t(de, "The service principal is not registered in Exchange (New-ServicePrincipal), or was registered with the App registration's object ID instead of the Enterprise application's ("+v.ObjectID+"). Both models need it.",
			"Der Dienstprinzipal ist in Exchange nicht registriert (New-ServicePrincipal) oder mit der Objekt-ID der App-Registrierung statt der Unternehmensanwendung ("+v.ObjectID+"). Beide Modelle brauchen ihn.")
	case StepMailbox:
		return t(de, "The service principal has no FullAccess on "+v.Mailbox+", or user= names another mailbox than the one granted.",
			"Der Dienstprinzipal hat keinen Vollzugriff auf "+v.Mailbox+", oder user= nennt ein anderes Postfach als das berechtigte.")
	case StepRoleAssignment:
		return t(de, "Exchange RBAC: the app has no role assignment '"+RBACRole+"' (New-ManagementRoleAssignment -App).",
			"Exchange RBAC: die App hat keine Rollenzuweisung '"+RBACRole+"' (New-ManagementRoleAssignment -App).")
	case StepScope:
		return t(de, "Exchange RBAC: the role assignment's management scope does not hold "+v.Mailbox+" (the group or recipient filter misses it).",
			"Exchange RBAC: der Verwaltungsbereich der Rollenzuweisung enthält "+v.Mailbox+" nicht (Gruppe oder Empfängerfilter erfassen es nicht).")
	}
	if v.NoRoles {
		return t(de, "A recent change has not reached Exchange yet: role assignments take 30 minutes to 2 hours, permissions 15 to 30 minutes.",
			"Eine Änderung ist noch nicht bei Exchange angekommen: Rollenzuweisungen brauchen 30 Minuten bis 2 Stunden, Berechtigungen 15 bis 30 Minuten.")
	}
	return t(de, "A change made in the last 15 to 30 minutes has not reached Exchange yet.",
		"Eine Änderung der letzten 15 bis 30 Minuten ist noch nicht bei Exchange angekommen.")
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

// RankedCause names a cause's rank in words, for a checklist step.
func RankedCause(rank, of int, lang string) string {
	r, n := strconv.Itoa(rank), strconv.Itoa(of)
	return t(lang == "de", "Possible cause "+r+" of "+n+" (535 5.7.3 does not say which).",
		"Mögliche Ursache "+r+" von "+n+" (535 5.7.3 sagt nicht, welche).")
}

// SMTPAuthAfter535 says what a 5.7.3 rules out about the SMTP AUTH switch: it makes it unlikely,
// it does not verify it.
func SMTPAuthAfter535(lang string) string {
	return t(lang == "de", "Unlikely: Exchange answered 5.7.3, not 5.7.139 (SmtpClientAuthentication is disabled), which it sends when this switch blocks. Not verified until a test passes AUTH.",
		"Unwahrscheinlich: Exchange hat 5.7.3 geantwortet, nicht 5.7.139 (SmtpClientAuthentication is disabled), das es schickt, wenn dieser Schalter sperrt. Bestätigt erst, wenn ein Test die Anmeldung besteht.")
}

// modelEntries go into the catalogue before the Basic-authentication reply (see init).
var modelEntries = []entry{
	{Code: CodeAuthSecurityDefaults, Doc: docMFD,
		reply: func(c int, e, tx string, _ Stage) bool { return e == "5.7.139" && has(tx, "security defaults") },
		Title: "Security defaults block SMTP AUTH in this tenant", TitleDE: "Sicherheitsstandards sperren SMTP AUTH in diesem Mandanten",
		Explanation:   "Exchange names the tenant's security defaults policy. This is a tenant-wide Entra ID setting, not a sign of Basic authentication: smtpoauth sent XOAUTH2. Microsoft documents SMTP AUTH as not compatible with security defaults.",
		ExplanationDE: "Exchange nennt die Richtlinie „Sicherheitsstandards“ des Mandanten. Das ist eine mandantenweite Einstellung in Entra ID und kein Zeichen für Basic-Authentifizierung: smtpoauth hat XOAUTH2 gesendet. Laut Microsoft ist SMTP AUTH mit Sicherheitsstandards nicht vereinbar.",
		steps: func(v values, de bool) []Step {
			return []Step{{Text: t(de, "In the Microsoft Entra admin center → Overview → Properties → Manage security defaults, check whether security defaults are enabled.",
				"Im Microsoft Entra Admin Center → Übersicht → Eigenschaften → Sicherheitsstandards verwalten prüfen, ob die Sicherheitsstandards aktiviert sind.")},
				{Text: t(de, "If they are, replace them with Conditional Access policies that allow this app, then disable security defaults; check Sign-in logs → Service principal sign-ins for app "+v.AppID+".",
					"Falls ja, sie durch Richtlinien für bedingten Zugriff ersetzen, die diese App zulassen, und dann die Sicherheitsstandards deaktivieren; unter Anmeldeprotokolle → Dienstprinzipalanmeldungen die App "+v.AppID+" prüfen.")}}
		}},
	{Code: CodeAuthUnsuccessfulNoRoles, Doc: docRBAC,
		Title: "Exchange rejected the app, whose token has no roles (535 5.7.3)", TitleDE: "Exchange hat die App abgelehnt, deren Token keine Rollen hat (535 5.7.3)",
		Explanation:   "The token has no SMTP.SendAsApp role. That is right for Exchange RBAC for Applications and wrong for the API-permission model, so the missing piece is one of either model's, ranked below by what the connection says it uses. What the reply rules out: the SMTP AUTH switch (that gives 5.7.139) is unlikely. What it does not: which step is missing.",
		ExplanationDE: "Das Token hat keine Rolle SMTP.SendAsApp. Das ist richtig für Exchange RBAC für Anwendungen und falsch für das Modell mit API-Berechtigung; es fehlt also ein Teil des einen oder anderen Modells, unten geordnet nach dem Modell, das die Verbindung nennt. Was die Antwort ausschließt: der SMTP-AUTH-Schalter (der ergibt 5.7.139) ist unwahrscheinlich. Was nicht: welcher Schritt fehlt.",
		steps: func(v values, de bool) []Step {
			var out []Step
			for _, s := range authCauseSteps(true, v.Model) {
				switch s {
				case StepPermission:
					if v.Model != AuthModelRBAC { // Microsoft advises against the permission with RBAC
						out = append(out, stepAdminConsent(v, de)[:2]...)
					}
				case StepRoleAssignment:
					out = append(out, stepRBAC(v, de)...)
				case StepSP:
					out = append(out, stepServicePrincipal(v, de)[1])
				case "":
					out = append(out, stepRetryLater(de, "30 minutes to 2 hours for role assignments", "30 Minuten bis 2 Stunden bei Rollenzuweisungen"))
				}
			}
			return out
		}},
}

const docRBAC = "https://learn.microsoft.com/exchange/permissions-exo/application-rbac"

// stepRBAC checks and grants Exchange RBAC for Applications for the mailbox: the read-only check
// first, then a scope holding the mailbox and the role assignment over it.
func stepRBAC(v values, de bool) []Step {
	return []Step{
		{Text: t(de, "Check which role assignments give the app access to "+v.Mailbox+" (read-only; InScope must be True for "+RBACRole+"):",
			"Prüfen, welche Rollenzuweisungen der App Zugriff auf "+v.Mailbox+" geben (nur lesend; InScope muss für "+RBACRole+" True sein):"),
			Command: v.connect() + "\nTest-ServicePrincipalAuthorization -Identity " + PSQuote(v.AppID) + " -Resource " + PSQuote(v.Mailbox)},
		{Text: t(de, "If none does, create a management scope that holds the mailbox (or use a group: MemberOfGroup -eq '<group DN>') and assign the role over it:",
			"Falls keine, einen Verwaltungsbereich anlegen, der das Postfach enthält (oder eine Gruppe: MemberOfGroup -eq '<DN der Gruppe>'), und die Rolle darüber zuweisen:"),
			Command: rbacCommands(v.AppID, v.Mailbox)},
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
