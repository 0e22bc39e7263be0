package mailer

import "strconv"

// The Exchange RBAC for Applications part of the setup script: a management scope that holds the
// mailbox (the mailbox itself, or a group's members) and the role assignment over it, with
// Test-ServicePrincipalAuthorization as the read-only check. Its comments are in web/i18n (script.rbac.*).

type scriptWriter func(format string, args ...any)

func rbacHeader(w scriptWriter, model AuthModel, words Words) {
	w("%s", words("script.rbac.model", model.Label(words)))
	if model == AuthModelRBAC {
		w("%s", words("script.rbac.no_permission"))
		return
	}
	w("%s", words("script.rbac.both.1"))
	w("%s", words("script.rbac.both.2"))
}

func rbacVariables(w scriptWriter, sv ScriptValues, words Words) {
	w("$ScopeName   = %s  %s", psValue(rbacScopeName), words("script.rbac.scope_var"))
	w("$Group       = ''  %s", words("script.rbac.group_var"))
	w("$Assignment  = %s", psValue(rbacAssignmentName(sv.AppID)))
}

func rbacChecks(w scriptWriter, words Words) {
	w("%s", words("script.rbac.checks"))
	w("Get-ManagementScope -Identity $ScopeName -ErrorAction SilentlyContinue | Format-List Name,RecipientFilter")
	w("Get-ManagementRoleAssignment -Identity $Assignment -ErrorAction SilentlyContinue | Format-List Name,Role,RoleAssigneeName,CustomResourceScope")
	w("if (Get-ServicePrincipal -Identity $AppId -ErrorAction SilentlyContinue) {")
	w("    Test-ServicePrincipalAuthorization -Identity $AppId -Resource $Mailbox | Format-List")
	w("}")
}

// rbacChanges writes the scope and the role assignment as steps n and n+1 and returns the next number.
func rbacChanges(w scriptWriter, n int, model AuthModel, words Words) int {
	if n > 2 { // after the mailbox permission; step 1 already ends with a blank line
		w("")
	}
	w("%s", words("script.rbac.scope.1", strconv.Itoa(n), modelSuffix(model, AuthModelRBAC, words)))
	w("%s", words("script.rbac.scope.2"))
	w("if ($Group) {")
	w("    $Filter = 'MemberOfGroup -eq ''' + (Get-Group -Identity $Group).DistinguishedName.Replace(\"'\", \"''\") + ''''")
	w("} else {")
	w("    $Filter = 'PrimarySmtpAddress -eq ''' + $Mailbox.Replace(\"'\", \"''\") + ''''")
	w("}")
	w("if (-not (Get-ManagementScope -Identity $ScopeName -ErrorAction SilentlyContinue)) {")
	w("    New-ManagementScope -Name $ScopeName -RecipientRestrictionFilter $Filter")
	w("}")
	w("")
	w("%s", words("script.rbac.assignment", strconv.Itoa(n+1), RBACRole, modelSuffix(model, AuthModelRBAC, words)))
	w("if (-not (Get-ManagementRoleAssignment -Identity $Assignment -ErrorAction SilentlyContinue)) {")
	w("    New-ManagementRoleAssignment -Name $Assignment -Role %s -App $AppId -CustomResourceScope $ScopeName", PSQuote(RBACRole))
	w("}")
	return n + 2
}
