package mailer

// The checklist steps that differ between the two authorisation models; their words are in
// web/i18n under checklist.permission.rbac_*, checklist.management-scope.* and checklist.role-assignment.*.

// permissionStep is the API permission: required by the permission model, advised against by
// Microsoft for Exchange RBAC. A token without roles proves it missing for a connection that says
// it uses the permission.
func permissionStep(in ChecklistInput, model AuthModel, words Words, status StepStatus) ChecklistStep {
	tokenOK := in.Claims != nil
	roles := tokenOK && in.Claims.HasSMTPRole()
	if model == AuthModelRBAC {
		st := ChecklistStep{ID: StepPermission, Title: words("checklist.permission.rbac_title"), What: words("checklist.permission.rbac_what"),
			Where: words("checklist.permission.where"), Status: status}
		if roles && status == StepUnknown {
			st.Finding = words("checklist.permission.finding_roles_with_rbac")
		}
		return st
	}
	st := ChecklistStep{ID: StepPermission, Title: words("checklist.permission.title") + modelSuffix(model, AuthModelPermission, words),
		What: words("checklist.permission.what"), Where: words("checklist.permission.where"), Status: status}
	if model == AuthModelPermission && tokenOK && !roles && status != StepOK {
		st.Status = StepFailed
		st.Finding = words("checklist.permission.finding_no_roles")
	}
	return st
}

// rbacSteps are Exchange RBAC for Applications' own steps: a management scope that holds the
// mailbox, and the role assignment over it.
func rbacSteps(v SetupValues, cmds []SetupCommand, scope, assignment StepStatus, model AuthModel, words Words) []ChecklistStep {
	return []ChecklistStep{
		{ID: StepScope, Title: words("checklist.management-scope.title", v.Mailbox) + modelSuffix(model, AuthModelRBAC, words),
			What: words("checklist.management-scope.what"), Where: "Exchange Online PowerShell", Commands: commandsFor(cmds, StepScope), Status: scope},
		{ID: StepRoleAssignment, Title: words("checklist.role-assignment.title", RBACRole) + modelSuffix(model, AuthModelRBAC, words),
			What: words("checklist.role-assignment.what", RBACRole), Where: "Exchange Online PowerShell", Commands: commandsFor(cmds, StepRoleAssignment), Status: assignment},
	}
}

// modelSuffix names the model a step or command belongs to when the connection is unsure which it uses.
func modelSuffix(m, of AuthModel, words Words) string {
	if m != AuthModelUnsure && m != "" {
		return ""
	}
	return words("model.suffix." + string(of))
}

// commandsFor returns the commands of one checklist step.
func commandsFor(cmds []SetupCommand, step string) []SetupCommand {
	var out []SetupCommand
	for _, c := range cmds {
		if c.Step == step {
			out = append(out, c)
		}
	}
	return out
}
