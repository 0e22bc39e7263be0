package mailertest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"sync"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
)

// Scenario is a ready-made profile against the standard world: the inputs an admin would enter
// and the outcome the fake produces for them.
type Scenario struct {
	Name  string
	Title string
	// Demo marks the scenarios the console's demo mode shows.
	Demo     bool
	Tenant   string
	ClientID string
	Secret   string
	// CertPEM and KeyPEM are set instead of Secret for a certificate credential.
	CertPEM, KeyPEM []byte
	Mailbox         string
	From            string
	To              string
	// WantCode is the diagnosis code the check must report; empty means the check passes.
	WantCode string
	// WantStage is where the check stops.
	WantStage mailer.Stage
	// AuthModel is the model the connection says it uses; empty means not sure.
	AuthModel mailer.AuthModel
}

// Credential returns the scenario's credential as the mailer takes it.
func (sc Scenario) Credential() (mailer.Credential, error) {
	if sc.CertPEM != nil {
		cert, err := mailer.ParseCertificate(sc.CertPEM, sc.KeyPEM)
		return mailer.Credential{Certificate: cert}, err
	}
	return mailer.Credential{Secret: sc.Secret}, nil
}

// Request returns the scenario as a mailer request against s.
func (sc Scenario) Request(s *Server) (mailer.Request, error) {
	cred, err := sc.Credential()
	return mailer.Request{ProfileName: sc.Title, Cloud: mailer.CloudGlobal, Tenant: sc.Tenant, ClientID: sc.ClientID,
		Credential: cred, Mailbox: sc.Mailbox, From: sc.From, To: sc.To, SMTPAddr: s.SMTPAddr, Authority: s.URL, AuthModel: sc.AuthModel}, err
}

// Fixed IDs of the standard world, so transcripts and golden files are stable.
const (
	ContosoTenantID  = "7c0c36f5-af83-4c24-8844-9962e0163719"
	FabrikamTenantID = "2f4a9c1e-5b7d-4e8a-9c3f-1d2e3f4a5b6c"
	NorthwindTenant  = "9e8d7c6b-5a49-4382-b1c0-d9e8f7a6b5c4"
	ContosoDomain    = "contoso.onmicrosoft.com"
	FabrikamDomain   = "fabrikam.onmicrosoft.com"
	WorkingSecret    = "Abc8Q~fake.secret.for.the.billing.app-0123456789"
	// SecretID is what the portal shows in the Secret ID column: the classic wrong paste.
	SecretID = "4f1c2d3e-8a9b-4c5d-9e6f-7a8b9c0d1e2f"
	// RBACGroup and RBACScope are the standard world's Exchange RBAC for Applications: the scope
	// holds the group's members.
	RBACGroup = "SMTP senders"
	RBACScope = "RBAC Scope"
)

type appSpec struct {
	clientID, oid, appOID, secret string
	roles                         []string
	spRegistered                  string // "ok", "none", "wrong"
	noEnterpriseApp, expired      bool
}

var (
	certOnce         sync.Once
	certPEM, certKey []byte
	certParsed       *x509.Certificate
	certErr          error
)

// demoCertificate is a self-signed RSA certificate for the certificate-credential scenario.
func demoCertificate() ([]byte, []byte, *x509.Certificate, error) {
	certOnce.Do(func() {
		key, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			certErr = err
			return
		}
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "smtpoauth demo app"},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(2 * 365 * 24 * time.Hour)}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		if err != nil {
			certErr = err
			return
		}
		certParsed, _ = x509.ParseCertificate(der)
		certPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
		kb, _ := x509.MarshalPKCS8PrivateKey(key)
		certKey = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kb})
	})
	return certPEM, certKey, certParsed, certErr
}

// InstallStandardWorld fills the server with the standard tenants, apps and mailboxes and returns
// one scenario per outcome smtpoauth diagnoses from data (server-wide faults are separate).
func (s *Server) InstallStandardWorld() ([]Scenario, error) {
	cPEM, kPEM, cert, err := demoCertificate()
	if err != nil {
		return nil, err
	}
	s.AddTenant(Tenant{ID: ContosoTenantID, Domains: []string{ContosoDomain, "contoso.com"}})
	s.AddTenant(Tenant{ID: FabrikamTenantID, Domains: []string{FabrikamDomain}, SMTPAuthDisabled: true})
	s.AddTenant(Tenant{ID: NorthwindTenant, Domains: []string{"northwind.onmicrosoft.com"}, ConditionalAccess: true})

	role := []string{mailer.SMTPRole}
	apps := []appSpec{
		{clientID: "11111111-aaaa-4bbb-8ccc-000000000001", oid: "a1000000-0000-4000-8000-000000000001", secret: WorkingSecret, roles: role, spRegistered: "ok"},
		{clientID: "11111111-aaaa-4bbb-8ccc-000000000002", oid: "a1000000-0000-4000-8000-000000000002", secret: "Xyz8Q~expired.secret.value-0000000000", roles: role, spRegistered: "ok", expired: true},
		{clientID: "11111111-aaaa-4bbb-8ccc-000000000003", oid: "a1000000-0000-4000-8000-000000000003", secret: "Mno8Q~no.role.secret-0000000000000", spRegistered: "ok"},
		{clientID: "11111111-aaaa-4bbb-8ccc-000000000004", oid: "a1000000-0000-4000-8000-000000000004", secret: "Pqr8Q~no.sp.secret-00000000000000", roles: role, spRegistered: "none"},
		{clientID: "11111111-aaaa-4bbb-8ccc-000000000005", oid: "a1000000-0000-4000-8000-000000000005", appOID: "b2000000-0000-4000-8000-000000000005", secret: "Stu8Q~wrong.oid.secret-000000000000", roles: role, spRegistered: "wrong"},
		{clientID: "11111111-aaaa-4bbb-8ccc-000000000006", oid: "a1000000-0000-4000-8000-000000000006", secret: "Vwx8Q~no.entapp.secret-00000000000", roles: role, noEnterpriseApp: true},
		{clientID: "11111111-aaaa-4bbb-8ccc-000000000007", oid: "a1000000-0000-4000-8000-000000000007", roles: role, spRegistered: "ok"}, // certificate only
		// Exchange RBAC for Applications: no API permission, so no roles; a role assignment instead.
		{clientID: "11111111-aaaa-4bbb-8ccc-000000000008", oid: "a1000000-0000-4000-8000-000000000008", secret: "Rba8Q~rbac.app.secret-000000000000", spRegistered: "ok"},
	}
	for _, a := range apps {
		app := App{TenantID: ContosoTenantID, ClientID: a.clientID, DisplayName: "smtpoauth demo app", ObjectID: a.oid,
			AppObjectID: a.appOID, Roles: a.roles, NoServicePrincipal: a.noEnterpriseApp}
		if a.secret != "" {
			app.Secrets = []Secret{{Value: a.secret, Expired: a.expired}}
		} else {
			app.Certificates = []*x509.Certificate{cert}
		}
		switch a.spRegistered {
		case "ok":
			app.ExchangeServicePrincipal = a.oid
		case "wrong":
			app.ExchangeServicePrincipal = a.appOID
		}
		s.AddApp(app)
	}
	// The working app is also registered in the two other tenants (multi-tenant app).
	s.AddApp(App{TenantID: FabrikamTenantID, ClientID: apps[0].clientID, DisplayName: "smtpoauth demo app", ObjectID: "c3000000-0000-4000-8000-000000000001",
		Secrets: []Secret{{Value: WorkingSecret}}, Roles: role, ExchangeServicePrincipal: "c3000000-0000-4000-8000-000000000001"})
	s.AddApp(App{TenantID: NorthwindTenant, ClientID: apps[0].clientID, DisplayName: "smtpoauth demo app", ObjectID: "d4000000-0000-4000-8000-000000000001",
		Secrets: []Secret{{Value: WorkingSecret}}, Roles: role, ExchangeServicePrincipal: "d4000000-0000-4000-8000-000000000001"})

	grant := func(addr, tenant string, oids []string, smtpAuth string, sendAs ...string) {
		s.AddMailbox(Mailbox{Address: addr, TenantID: tenant, FullAccess: oids, SMTPAuth: smtpAuth, SendAs: sendAs})
	}
	all := []string{apps[0].oid, apps[1].oid, apps[2].oid, apps[3].oid, apps[4].oid, apps[6].oid}
	grant("billing@contoso.com", ContosoTenantID, all, "")
	s.Update(func() { s.mailbox("billing@contoso.com").MemberOf = []string{RBACGroup} })
	grant("noreply@contoso.com", ContosoTenantID, nil, "")
	grant("frontdesk@contoso.com", ContosoTenantID, nil, "")
	grant("scanner@contoso.com", ContosoTenantID, []string{apps[0].oid}, "disabled")
	grant("it@contoso.com", ContosoTenantID, nil, "")
	grant("billing@fabrikam.onmicrosoft.com", FabrikamTenantID, []string{"c3000000-0000-4000-8000-000000000001"}, "")

	// The RBAC app may use the members of the SMTP senders group: billing, not frontdesk.
	s.AddScope(ManagementScope{TenantID: ContosoTenantID, Name: RBACScope, MemberOfGroup: RBACGroup})
	s.AddRoleAssignment(RoleAssignment{TenantID: ContosoTenantID, Name: "RBAC", Role: mailer.RBACRole, App: apps[7].clientID, Scope: RBACScope})

	const to = "it@contoso.com"
	return []Scenario{
		{Name: "works", Title: "Works: Contoso billing", Demo: true, Tenant: ContosoTenantID, ClientID: apps[0].clientID, Secret: WorkingSecret, Mailbox: "billing@contoso.com", To: to, WantStage: mailer.StageDone},
		{Name: "works-domain-tenant", Title: "Works: tenant given as domain", Tenant: ContosoDomain, ClientID: apps[0].clientID, Secret: WorkingSecret, Mailbox: "billing@contoso.com", WantStage: mailer.StageDone},
		{Name: "certificate", Title: "Works: certificate credential", Tenant: ContosoTenantID, ClientID: apps[6].clientID, CertPEM: cPEM, KeyPEM: kPEM, Mailbox: "billing@contoso.com", To: to, WantStage: mailer.StageDone},
		{Name: "wrong-secret", Title: "Wrong secret (secret ID pasted)", Demo: true, Tenant: ContosoTenantID, ClientID: apps[0].clientID, Secret: SecretID, Mailbox: "billing@contoso.com", WantCode: mailer.CodeTokenSecretInvalid, WantStage: mailer.StageToken},
		{Name: "expired-secret", Title: "Expired secret", Tenant: ContosoTenantID, ClientID: apps[1].clientID, Secret: apps[1].secret, Mailbox: "billing@contoso.com", WantCode: mailer.CodeTokenSecretExpired, WantStage: mailer.StageToken},
		{Name: "unknown-app", Title: "Unknown application ID", Tenant: ContosoTenantID, ClientID: "99999999-9999-4999-8999-999999999999", Secret: WorkingSecret, Mailbox: "billing@contoso.com", WantCode: mailer.CodeTokenAppNotFound, WantStage: mailer.StageToken},
		{Name: "unknown-tenant", Title: "Unknown tenant", Tenant: "00000000-1111-4222-8333-444444444444", ClientID: apps[0].clientID, Secret: WorkingSecret, Mailbox: "billing@contoso.com", WantCode: mailer.CodeTokenTenantNotFound, WantStage: mailer.StageToken},
		{Name: "no-enterprise-app", Title: "No Enterprise application in the tenant", Tenant: ContosoTenantID, ClientID: apps[5].clientID, Secret: apps[5].secret, Mailbox: "billing@contoso.com", WantCode: mailer.CodeTokenNoSP, WantStage: mailer.StageToken},
		{Name: "conditional-access", Title: "Conditional Access blocks the app", Tenant: NorthwindTenant, ClientID: apps[0].clientID, Secret: WorkingSecret, Mailbox: "billing@contoso.com", WantCode: mailer.CodeTokenConditional, WantStage: mailer.StageToken},
		{Name: "missing-role", Title: "SMTP.SendAsApp missing (no admin consent)", Demo: true, Tenant: ContosoTenantID, ClientID: apps[2].clientID, Secret: apps[2].secret, Mailbox: "billing@contoso.com", WantCode: mailer.CodeAuthUnsuccessfulNoRoles, WantStage: mailer.StageAuth, AuthModel: mailer.AuthModelPermission},
		{Name: "rbac-works", Title: "Works: Exchange RBAC for Applications (no roles in the token)", Demo: true, Tenant: ContosoTenantID, ClientID: apps[7].clientID, Secret: apps[7].secret, Mailbox: "billing@contoso.com", To: to, WantStage: mailer.StageDone, AuthModel: mailer.AuthModelRBAC},
		{Name: "rbac-out-of-scope", Title: "Exchange RBAC: the scope does not hold the mailbox", Demo: true, Tenant: ContosoTenantID, ClientID: apps[7].clientID, Secret: apps[7].secret, Mailbox: "frontdesk@contoso.com", WantCode: mailer.CodeAuthUnsuccessfulNoRoles, WantStage: mailer.StageAuth, AuthModel: mailer.AuthModelRBAC},
		{Name: "no-service-principal", Title: "Service principal missing in Exchange", Demo: true, Tenant: ContosoTenantID, ClientID: apps[3].clientID, Secret: apps[3].secret, Mailbox: "billing@contoso.com", WantCode: mailer.CodeAuthUnsuccessful, WantStage: mailer.StageAuth},
		{Name: "wrong-object-id", Title: "Service principal registered with the App registration's object ID", Tenant: ContosoTenantID, ClientID: apps[4].clientID, Secret: apps[4].secret, Mailbox: "billing@contoso.com", WantCode: mailer.CodeAuthUnsuccessful, WantStage: mailer.StageAuth},
		{Name: "no-mailbox-permission", Title: "No permission on the mailbox", Tenant: ContosoTenantID, ClientID: apps[0].clientID, Secret: WorkingSecret, Mailbox: "frontdesk@contoso.com", WantCode: mailer.CodeAuthUnsuccessful, WantStage: mailer.StageAuth},
		{Name: "smtp-auth-disabled", Title: "SMTP AUTH disabled for the organization", Demo: true, Tenant: FabrikamTenantID, ClientID: apps[0].clientID, Secret: WorkingSecret, Mailbox: "billing@fabrikam.onmicrosoft.com", WantCode: mailer.CodeAuthDisabledTenant, WantStage: mailer.StageAuth},
		{Name: "smtp-auth-disabled-mailbox", Title: "SMTP AUTH disabled for the mailbox", Tenant: ContosoTenantID, ClientID: apps[0].clientID, Secret: WorkingSecret, Mailbox: "scanner@contoso.com", WantCode: mailer.CodeAuthDisabledMailbox, WantStage: mailer.StageAuth},
		{Name: "send-as-denied", Title: "Send As denied for the From address", Demo: true, Tenant: ContosoTenantID, ClientID: apps[0].clientID, Secret: WorkingSecret, Mailbox: "billing@contoso.com", From: "noreply@contoso.com", To: to, WantCode: mailer.CodeSendAsDenied, WantStage: mailer.StageData},
		{Name: "recipient-unknown", Title: "Unknown test recipient", Tenant: ContosoTenantID, ClientID: apps[0].clientID, Secret: WorkingSecret, Mailbox: "billing@contoso.com", To: "nobody@contoso.com", WantCode: mailer.CodeRecipientNotFound, WantStage: mailer.StageRcpt},
	}, nil
}

// ScenarioByName finds a scenario.
func ScenarioByName(all []Scenario, name string) (Scenario, bool) {
	for _, sc := range all {
		if sc.Name == name {
			return sc, true
		}
	}
	return Scenario{}, false
}
