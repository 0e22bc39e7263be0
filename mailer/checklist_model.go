package mailer

// The checklist steps that differ between the two authorisation models; their texts have the
// German beside the English, like the rest of the checklist.

// permissionStep is the API permission: required by the permission model, advised against by
// Microsoft for Exchange RBAC. A token without roles proves it missing for a connection that says
// it uses the permission.
func permissionStep(in ChecklistInput, model AuthModel, status StepStatus, de bool) ChecklistStep {
	where := t(de, "Entra admin center → App registrations (App-Registrierungen) → the app → API permissions (API-Berechtigungen)", "Entra Admin Center → App-Registrierungen (App registrations) → die App → API-Berechtigungen (API permissions)")
	tokenOK := in.Claims != nil
	roles := tokenOK && in.Claims.HasSMTPRole()
	if model == AuthModelRBAC {
		st := ChecklistStep{ID: StepPermission, Title: t(de, "No SMTP.SendAsApp API permission (Exchange RBAC needs none)", "Keine API-Berechtigung SMTP.SendAsApp (Exchange RBAC braucht keine)"),
			What: t(de, "With Exchange RBAC for Applications the app needs no API permission, and Microsoft advises against adding one: a token with SMTP.SendAsApp makes Exchange check mailbox permissions (FullAccess) instead. smtpoauth sees it in the token's roles claim, which should be empty.",
				"Mit Exchange RBAC für Anwendungen braucht die App keine API-Berechtigung, und Microsoft rät davon ab: ein Token mit SMTP.SendAsApp lässt Exchange stattdessen Postfachberechtigungen (Vollzugriff) prüfen. smtpoauth sieht das im roles-Claim des Tokens, der leer sein sollte."),
			Where: where, Status: status}
		if roles && status == StepUnknown {
			st.Finding = t(de, "The last token carries SMTP.SendAsApp: Exchange will check the service principal's FullAccess on the mailbox, as in the permission model.",
				"Das letzte Token trägt SMTP.SendAsApp: Exchange prüft den Vollzugriff des Dienstprinzipals auf das Postfach wie im Modell mit API-Berechtigung.")
		}
		return st
	}
	st := ChecklistStep{ID: StepPermission, Title: t(de, "SMTP.SendAsApp granted with admin consent", "SMTP.SendAsApp mit Administratorzustimmung erteilt") + modelSuffix(model, AuthModelPermission, de),
		What: t(de, "API permissions → Add a permission → APIs my organization uses → Office 365 Exchange Online → Application permissions → SMTP.SendAsApp, then “Grant admin consent”. smtpoauth sees the result in the token's roles claim.",
			"API-Berechtigungen → Berechtigung hinzufügen → Von meiner Organisation verwendete APIs → Office 365 Exchange Online → Anwendungsberechtigungen → SMTP.SendAsApp, dann „Administratorzustimmung erteilen“. smtpoauth sieht das Ergebnis im roles-Claim des Tokens."),
		Where: where, Status: status}
	if model == AuthModelPermission && tokenOK && !roles && status != StepOK {
		st.Status = StepFailed
		st.Finding = t(de, "The last token has no SMTP.SendAsApp in its roles claim: the permission is missing or has no admin consent.",
			"Das letzte Token hat SMTP.SendAsApp nicht im roles-Claim: die Berechtigung fehlt oder hat keine Administratorzustimmung.")
	}
	return st
}

// rbacSteps are Exchange RBAC for Applications' own steps: a management scope that holds the
// mailbox, and the role assignment over it.
func rbacSteps(v SetupValues, cmds []SetupCommand, scope, assignment StepStatus, model AuthModel, de bool) []ChecklistStep {
	return []ChecklistStep{
		{ID: StepScope, Title: t(de, "A management scope holds the sending mailbox ("+v.Mailbox+")", "Ein Verwaltungsbereich enthält das sendende Postfach ("+v.Mailbox+")") + modelSuffix(model, AuthModelRBAC, de),
			What: t(de, "New-ManagementScope with a recipient filter — a group (MemberOfGroup) or the mailbox itself (PrimarySmtpAddress) — decides which mailboxes the app may use. Test-ServicePrincipalAuthorization shows, read-only, whether the mailbox is in scope.",
				"New-ManagementScope mit einem Empfängerfilter – eine Gruppe (MemberOfGroup) oder das Postfach selbst (PrimarySmtpAddress) – legt fest, welche Postfächer die App nutzen darf. Test-ServicePrincipalAuthorization zeigt, nur lesend, ob das Postfach im Bereich liegt."),
			Where: "Exchange Online PowerShell", Commands: commandsFor(cmds, StepScope), Status: scope},
		{ID: StepRoleAssignment, Title: t(de, "Role "+RBACRole+" assigned to the app over that scope", "Rolle "+RBACRole+" der App über diesen Bereich zugewiesen") + modelSuffix(model, AuthModelRBAC, de),
			What: t(de, "New-ManagementRoleAssignment -Role '"+RBACRole+"' -App <application ID> -CustomResourceScope <scope> authorises the app without an API permission; its token then has no roles claim. Changes take 30 minutes to 2 hours to apply.",
				"New-ManagementRoleAssignment -Role '"+RBACRole+"' -App <Anwendungs-ID> -CustomResourceScope <Bereich> berechtigt die App ohne API-Berechtigung; ihr Token hat dann keinen roles-Claim. Änderungen wirken nach 30 Minuten bis 2 Stunden."),
			Where: "Exchange Online PowerShell", Commands: commandsFor(cmds, StepRoleAssignment), Status: assignment},
	}
}
