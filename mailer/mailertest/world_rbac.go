package mailertest

import (
	"slices"
	"strings"

	"github.com/smtpoauth/smtpoauth/mailer"
)

// ManagementScope is New-ManagementScope -RecipientRestrictionFilter: which mailboxes a role
// assignment covers. It holds the mailboxes that are members of MemberOfGroup (a MemberOfGroup
// filter) and those listed in Mailboxes (PrimarySmtpAddress filters).
type ManagementScope struct {
	TenantID      string
	Name          string
	MemberOfGroup string
	Mailboxes     []string
}

// Holds reports whether the scope's filter matches a mailbox.
func (sc *ManagementScope) Holds(m *Mailbox) bool {
	if !strings.EqualFold(sc.TenantID, m.TenantID) {
		return false
	}
	if sc.MemberOfGroup != "" && slices.ContainsFunc(m.MemberOf, func(g string) bool { return strings.EqualFold(g, sc.MemberOfGroup) }) {
		return true
	}
	return slices.ContainsFunc(sc.Mailboxes, func(a string) bool { return strings.EqualFold(a, m.Address) })
}

// RoleAssignment is New-ManagementRoleAssignment -Role … -App … -CustomResourceScope ….
type RoleAssignment struct {
	TenantID string
	Name     string
	// Role is the management role; Exchange supports only mailer.RBACRole for SMTP.
	Role string
	// App is the application (client) ID given to -App.
	App string
	// Scope names the ManagementScope given to -CustomResourceScope.
	Scope string
}

// AddScope adds a management scope.
func (s *Server) AddScope(sc ManagementScope) *ManagementScope {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := sc
	s.scopes = append(s.scopes, &c)
	return &c
}

// AddRoleAssignment adds a role assignment.
func (s *Server) AddRoleAssignment(ra RoleAssignment) *RoleAssignment {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := ra
	s.assignments = append(s.assignments, &c)
	return &c
}

// rbacAllows reports whether a role assignment of the SMTP role to the app covers the mailbox.
// The caller holds s.mu.
func (s *Server) rbacAllows(tenantID, clientID string, m *Mailbox) bool {
	for _, ra := range s.assignments {
		if !strings.EqualFold(ra.TenantID, tenantID) || !strings.EqualFold(ra.App, clientID) || ra.Role != mailer.RBACRole {
			continue
		}
		for _, sc := range s.scopes {
			if strings.EqualFold(sc.TenantID, tenantID) && sc.Name == ra.Scope && sc.Holds(m) {
				return true
			}
		}
	}
	return false
}
