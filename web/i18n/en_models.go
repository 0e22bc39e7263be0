package i18n

// enModels holds the English words of Microsoft's two authorisation models (the SMTP.SendAsApp API
// permission, Exchange RBAC for Applications): the form's choice, the token's roles note, the
// ranked causes of a 535 5.7.3, the RBAC checklist steps, commands and script comments.
var enModels = map[string]string{
	"form.auth_model":            "How Exchange authorises the app",
	"form.auth_model_permission": "API permission SMTP.SendAsApp (admin consent, FullAccess on the mailbox)",
	"form.auth_model_rbac":       "Exchange RBAC for Applications (role assignment over a management scope, no API permission)",
	"form.auth_model_unsure":     "Not sure: check and explain both",
	"field.auth_model_unknown":   "choose how Exchange authorises the app: permission, rbac or unsure",
	"model.permission":           "API permission SMTP.SendAsApp",
	"model.rbac":                 "Exchange RBAC for Applications",
	"model.unsure":               "not sure",
	"model.suffix.permission":    " (API-permission model)",
	"model.suffix.rbac":          " (Exchange RBAC for Applications)",

	"claims.note":       "Note:",
	"claims.roles_none": "no %[2]s role (roles are %[1]s): this app must be granted through Exchange RBAC for Applications (a role assignment over a scope that holds the mailbox), or its API permission lacks admin consent; the AUTH reply will tell",

	"diag.causes":                                 "Possible causes, most likely first",
	"diag.AUTH_SECURITY_DEFAULTS.title":           "Security defaults block SMTP AUTH in this tenant",
	"diag.AUTH_SECURITY_DEFAULTS.explanation":     "Exchange names the tenant's security defaults policy. This is a tenant-wide Entra ID setting, not a sign of Basic authentication: smtpoauth sent XOAUTH2. Microsoft documents SMTP AUTH as not compatible with security defaults.",
	"diag.AUTH_SECURITY_DEFAULTS.step.1":          "In the Microsoft Entra admin center → Overview → Properties → Manage security defaults, check whether security defaults are enabled.",
	"diag.AUTH_SECURITY_DEFAULTS.step.2":          "If they are, replace them with Conditional Access policies that allow this app, then disable security defaults; check Sign-in logs → Service principal sign-ins for app %s.",
	"diag.AUTH_UNSUCCESSFUL_NO_ROLES.title":       "Exchange rejected the app, whose token has no roles (535 5.7.3)",
	"diag.AUTH_UNSUCCESSFUL_NO_ROLES.explanation": "The token has no SMTP.SendAsApp role. That is right for Exchange RBAC for Applications and wrong for the API-permission model, so the missing piece is one of either model's, ranked below by what the connection says it uses. What the reply rules out: the SMTP AUTH switch (that gives 5.7.139) is unlikely, not verified. What it does not: which step is missing.",

	"cause.permission":          "API-permission model: SMTP.SendAsApp is not added to the app, or admin consent was not granted — the token has no roles.",
	"cause.permission_in_token": "The token carries SMTP.SendAsApp, so Exchange applies the API-permission model (service principal and FullAccess) although the connection says Exchange RBAC: remove the API permission, as Microsoft advises for RBAC, or grant FullAccess.",
	"cause.service-principal":   "The service principal is not registered in Exchange (New-ServicePrincipal), or was registered with the App registration's object ID instead of the Enterprise application's (%s). Both models need it.",
	"cause.mailbox-permission":  "The service principal has no FullAccess on %s, or user= names another mailbox than the one granted.",
	"cause.role-assignment":     "Exchange RBAC: the app has no role assignment '%s' (New-ManagementRoleAssignment -App).",
	"cause.management-scope":    "Exchange RBAC: the role assignment's management scope does not hold %s (the group or recipient filter misses it).",
	"cause.not_applied":         "A change made in the last 15 to 30 minutes has not reached Exchange yet.",
	"cause.not_applied_rbac":    "A recent change has not reached Exchange yet: role assignments take 30 minutes to 2 hours, permissions 15 to 30 minutes.",

	"step.rbac.1":           "Check which role assignments give the app access to %s (read-only; InScope must be True for %s):",
	"step.rbac.2":           "If none does, create a management scope that holds the mailbox (or use a group: MemberOfGroup -eq '<group DN>') and assign the role over it:",
	"step.retry_later.rbac": "Changes in Exchange Online take effect after a delay (30 minutes to 2 hours for role assignments). Run the test again after waiting.",

	"checklist.possible_cause":                     "Possible cause %s of %s (535 5.7.3 does not say which).",
	"checklist.smtp-auth.after_535":                "Unlikely: Exchange answered 5.7.3, not 5.7.139 (SmtpClientAuthentication is disabled), which it sends when this switch blocks. Not verified until a test passes AUTH.",
	"checklist.permission.rbac_title":              "No SMTP.SendAsApp API permission (Exchange RBAC needs none)",
	"checklist.permission.rbac_what":               "With Exchange RBAC for Applications the app needs no API permission, and Microsoft advises against adding one: a token with SMTP.SendAsApp makes Exchange check mailbox permissions (FullAccess) instead. smtpoauth sees it in the token's roles claim, which should be empty.",
	"checklist.permission.finding_roles_with_rbac": "The last token carries SMTP.SendAsApp: Exchange will check the service principal's FullAccess on the mailbox, as in the permission model.",
	"checklist.permission.finding_no_roles":        "The last token has no SMTP.SendAsApp in its roles claim: the permission is missing or has no admin consent.",
	"checklist.management-scope.title":             "A management scope holds the sending mailbox (%s)",
	"checklist.management-scope.what":              "New-ManagementScope with a recipient filter — a group (MemberOfGroup) or the mailbox itself (PrimarySmtpAddress) — decides which mailboxes the app may use. Test-ServicePrincipalAuthorization shows, read-only, whether the mailbox is in scope.",
	"checklist.role-assignment.title":              "Role %s assigned to the app over that scope",
	"checklist.role-assignment.what":               "New-ManagementRoleAssignment -Role '%s' -App <application ID> -CustomResourceScope <scope> authorises the app without an API permission; its token then has no roles claim. Changes take 30 minutes to 2 hours to apply.",

	"ps.rbac_grant": "Create a management scope that holds the sending mailbox and assign the role %s over it",
	"ps.rbac_test":  "Check that a role assignment covers the mailbox (read-only; InScope True)",

	"script.full_access_n":      "# %s. Give the service principal full access to the sending mailbox.%s",
	"script.send_as_n":          "# %s. Allow it to send as the From address.",
	"script.rbac.model":         "# Authorisation model: %s.",
	"script.rbac.no_permission": "# Exchange RBAC needs no API permission in Entra ID; Microsoft advises against adding SMTP.SendAsApp.",
	"script.rbac.both.1":        "# Both models are set up below. The token's roles claim shows which one Exchange applies: with",
	"script.rbac.both.2":        "# SMTP.SendAsApp the permission model (FullAccess), without it Exchange RBAC (role assignment).",
	"script.rbac.scope_var":     "# the management scope that holds the sending mailboxes",
	"script.rbac.group_var":     "# optional: a group whose members the app may use; empty: only $Mailbox",
	"script.rbac.checks":        "# Exchange RBAC: the scope, the app's role assignment, and whether it covers $Mailbox (InScope True).",
	"script.rbac.scope.1":       "# %s. A management scope that holds the sending mailbox, or the members of $Group.%s",
	"script.rbac.scope.2":       "#    An existing scope is left as it is: check its filter in Part 1.",
	"script.rbac.assignment":    "# %s. Assign the role %s to the app over that scope.%s",
	"script.rbac.applied.1":     "# Changes reach Exchange Online after 15 to 30 minutes, role assignments after 30 minutes to 2 hours;",
	"script.rbac.applied.2":     "# then Test-ServicePrincipalAuthorization (Part 1) shows InScope True, and the test in smtpoauth can pass.",
}
