package mailertest

import (
	"crypto/x509"
	"slices"
	"strings"
)

// Tenant is a simulated Entra ID directory with Exchange Online.
type Tenant struct {
	ID      string
	Domains []string
	// SMTPAuthDisabled is Set-TransportConfig -SmtpClientAuthenticationDisabled $true.
	SMTPAuthDisabled bool
	// ConditionalAccess blocks every app token (AADSTS53003).
	ConditionalAccess bool
}

// App is an app registration with its Enterprise application (service principal).
type App struct {
	TenantID    string
	ClientID    string
	DisplayName string
	// ObjectID is the Enterprise application's object ID: the token's oid.
	ObjectID string
	// AppObjectID is the App registration's object ID, the one New-ServicePrincipal must not get.
	AppObjectID  string
	Secrets      []Secret
	Certificates []*x509.Certificate
	// Roles are application permissions with admin consent, e.g. SMTP.SendAsApp.
	Roles []string
	// NoServicePrincipal simulates an app registration without an Enterprise application (AADSTS7000229).
	NoServicePrincipal bool
	// ExchangeServicePrincipal is the -ObjectId given to New-ServicePrincipal; empty if it was never run.
	ExchangeServicePrincipal string
}

// Secret is a client secret; Expired makes Entra answer AADSTS7000222.
type Secret struct {
	Value   string
	Expired bool
}

// Mailbox is an Exchange Online mailbox and who may use it.
type Mailbox struct {
	Address  string
	TenantID string
	// FullAccess lists service principal object IDs granted Add-MailboxPermission -AccessRights FullAccess.
	FullAccess []string
	// SendAs lists service principal object IDs granted Add-RecipientPermission -AccessRights SendAs.
	SendAs []string
	// SMTPAuth is Set-CASMailbox -SmtpClientAuthenticationDisabled: "" inherits the tenant,
	// "disabled" or "enabled" override it.
	SMTPAuth string
	// MemberOf lists the groups the mailbox is a member of, for management scopes' MemberOfGroup filters.
	MemberOf []string
}

func (s *Server) tenantByName(name string) *Tenant {
	for _, t := range s.tenants {
		if strings.EqualFold(t.ID, name) || slices.ContainsFunc(t.Domains, func(d string) bool { return strings.EqualFold(d, name) }) {
			return t
		}
	}
	return nil
}

func (s *Server) app(tenantID, clientID string) *App {
	for _, a := range s.apps {
		if strings.EqualFold(a.TenantID, tenantID) && strings.EqualFold(a.ClientID, clientID) {
			return a
		}
	}
	return nil
}

func (s *Server) appByObjectID(oid string) *App {
	for _, a := range s.apps {
		if a.ObjectID == oid {
			return a
		}
	}
	return nil
}

func (s *Server) mailbox(address string) *Mailbox {
	for _, m := range s.mailboxes {
		if strings.EqualFold(m.Address, address) {
			return m
		}
	}
	return nil
}

// AddTenant adds a directory.
func (s *Server) AddTenant(t Tenant) *Tenant {
	s.mu.Lock()
	defer s.mu.Unlock()
	tt := t
	s.tenants = append(s.tenants, &tt)
	return &tt
}

// AddApp adds an app registration.
func (s *Server) AddApp(a App) *App {
	s.mu.Lock()
	defer s.mu.Unlock()
	aa := a
	s.apps = append(s.apps, &aa)
	return &aa
}

// AddMailbox adds a mailbox.
func (s *Server) AddMailbox(m Mailbox) *Mailbox {
	s.mu.Lock()
	defer s.mu.Unlock()
	mm := m
	s.mailboxes = append(s.mailboxes, &mm)
	return &mm
}

// Update changes the world under the server's lock, e.g. to grant a permission mid-test.
func (s *Server) Update(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f()
}
