package mailer

// The Exchange RBAC for Applications part of the setup script: a management scope that holds the
// mailbox (the mailbox itself, or a group's members) and the role assignment over it, with
// Test-ServicePrincipalAuthorization as the read-only check. Texts have their German beside them.

type scriptWriter func(format string, args ...any)

func rbacHeader(w scriptWriter, model AuthModel, de bool) {
	w(t(de, "# Authorisation model: %s.", "# Berechtigungsmodell: %s."), model.Label(t(de, "en", "de")))
	if model == AuthModelRBAC {
		w("%s", t(de, "# Exchange RBAC needs no API permission in Entra ID; Microsoft advises against adding SMTP.SendAsApp.",
			"# Exchange RBAC braucht keine API-Berechtigung in Entra ID; Microsoft rät davon ab, SMTP.SendAsApp hinzuzufügen."))
		return
	}
	w("%s", t(de, "# Both models are set up below. The token's roles claim shows which one Exchange applies: with",
		"# Unten werden beide Modelle eingerichtet. Der roles-Claim des Tokens zeigt, welches Exchange anwendet: mit"))
	w("%s", t(de, "# SMTP.SendAsApp the permission model (FullAccess), without it Exchange RBAC (role assignment).",
		"# SMTP.SendAsApp das Modell mit API-Berechtigung (Vollzugriff), ohne Exchange RBAC (Rollenzuweisung)."))
}

func rbacVariables(w scriptWriter, sv ScriptValues, de bool) {
	w("$ScopeName   = %s  %s", psValue(rbacScopeName), t(de, "# the management scope that holds the sending mailboxes", "# der Verwaltungsbereich mit den sendenden Postfächern"))
	w("$Group       = ''  %s", t(de, "# optional: a group whose members the app may use; empty: only $Mailbox", "# optional: eine Gruppe, deren Mitglieder die App nutzen darf; leer: nur $Mailbox"))
	w("$Assignment  = %s", psValue(rbacAssignmentName(sv.AppID)))
}

func rbacChecks(w scriptWriter, de bool) {
	w("%s", t(de, "# Exchange RBAC: the scope, the app's role assignment, and whether it covers $Mailbox (InScope True).",
		"# Exchange RBAC: der Bereich, die Rollenzuweisung der App und ob sie $Mailbox erfasst (InScope True)."))
	w("Get-ManagementScope -Identity $ScopeName -ErrorAction SilentlyContinue | Format-List Name,RecipientFilter")
	w("Get-ManagementRoleAssignment -Identity $Assignment -ErrorAction SilentlyContinue | Format-List Name,Role,RoleAssigneeName,CustomResourceScope")
	w("if (Get-ServicePrincipal -Identity $AppId -ErrorAction SilentlyContinue) {")
	w("    Test-ServicePrincipalAuthorization -Identity $AppId -Resource $Mailbox | Format-List")
	w("}")
}

// rbacChanges writes the scope and the role assignment as steps n and n+1 and returns the next number.
func rbacChanges(w scriptWriter, n int, model AuthModel, de bool) int {
	if n > 2 { // after the mailbox permission; step 1 already ends with a blank line
		w("")
	}
	w(t(de, "# %d. A management scope that holds the sending mailbox, or the members of $Group.%s", "# %d. Ein Verwaltungsbereich, der das sendende Postfach oder die Mitglieder von $Group enthält.%s"), n, modelSuffix(model, AuthModelRBAC, de))
	w("%s", t(de, "#    An existing scope is left as it is: check its filter in Part 1.", "#    Ein vorhandener Bereich bleibt, wie er ist: seinen Filter in Teil 1 prüfen."))
	w("if ($Group) {")
	w("    $Filter = 'MemberOfGroup -eq ''' + (Get-Group -Identity $Group).DistinguishedName.Replace(\"'\", \"''\") + ''''")
	w("} else {")
	w("    $Filter = 'PrimarySmtpAddress -eq ''' + $Mailbox.Replace(\"'\", \"''\") + ''''")
	w("}")
	w("if (-not (Get-ManagementScope -Identity $ScopeName -ErrorAction SilentlyContinue)) {")
	w("    New-ManagementScope -Name $ScopeName -RecipientRestrictionFilter $Filter")
	w("}")
	w("")
	w(t(de, "# %d. Assign the role %s to the app over that scope.%s", "# %d. Der App die Rolle %s über diesen Bereich zuweisen.%s"), n+1, RBACRole, modelSuffix(model, AuthModelRBAC, de))
	w("if (-not (Get-ManagementRoleAssignment -Identity $Assignment -ErrorAction SilentlyContinue)) {")
	w("    New-ManagementRoleAssignment -Name $Assignment -Role %s -App $AppId -CustomResourceScope $ScopeName", PSQuote(RBACRole))
	w("}")
	return n + 2
}
