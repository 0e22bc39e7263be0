package mailer

import "strings"

// AuthModel is how Exchange Online decides that an app may send as a mailbox. Microsoft documents
// two: the SMTP.SendAsApp API permission (a roles claim in the token, a service principal and
// FullAccess on the mailbox) and, since October 2025, Exchange RBAC for Applications (no API
// permission, so no roles claim; a service principal, a management scope that holds the mailbox
// and the role assignment 'Application SMTP.SendAsApp' over that scope).
type AuthModel string

// The models a connection can say it uses.
const (
	// AuthModelPermission: SMTP.SendAsApp with admin consent, New-ServicePrincipal, Add-MailboxPermission.
	AuthModelPermission AuthModel = "permission"
	// AuthModelRBAC: New-ServicePrincipal, New-ManagementScope, New-ManagementRoleAssignment; no API permission.
	AuthModelRBAC AuthModel = "rbac"
	// AuthModelUnsure: the admin does not know; checks and the checklist cover both.
	AuthModelUnsure AuthModel = "unsure"
)

// AuthModels lists the models in the order the form and the CLI show them.
func AuthModels() []AuthModel {
	return []AuthModel{AuthModelPermission, AuthModelRBAC, AuthModelUnsure}
}

// ParseAuthModel reads a model name; empty means AuthModelUnsure.
func ParseAuthModel(s string) (AuthModel, error) {
	switch m := AuthModel(strings.ToLower(strings.TrimSpace(s))); m {
	case "":
		return AuthModelUnsure, nil
	case AuthModelPermission, AuthModelRBAC, AuthModelUnsure:
		return m, nil
	}
	return "", fieldErr("auth_model", FieldAuthModelUnknown)
}

// Covers reports whether a connection with model m needs the steps of model other: an unsure
// connection needs both.
func (m AuthModel) Covers(other AuthModel) bool {
	return m == other || m == AuthModelUnsure || m == ""
}

// Label names the model for people, in the words given.
func (m AuthModel) Label(words Words) string {
	if m == "" {
		m = AuthModelUnsure
	}
	return words("model." + string(m))
}
