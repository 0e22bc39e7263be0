package mailer

import "strings"

// SetupCommand is one PowerShell step of the Exchange side of the setup.
type SetupCommand struct {
	Label   string
	Command string
	// Step is the checklist step the command belongs to.
	Step string
}

// SetupValues are the values the setup commands are filled with; empty ones become placeholders.
type SetupValues struct {
	Cloud       Cloud
	Tenant      string
	AppID       string
	ObjectID    string // the token's oid: the Enterprise application's object ID
	Mailbox     string
	From        string
	DisplayName string
	// Words puts the labels and comments into the reader's language (web/i18n provides it);
	// commands are the same in every language.
	Words Words
	// AuthModel chooses the permission steps, the RBAC steps or (empty, unsure) both.
	AuthModel AuthModel
}

// SetupCommands returns the Exchange Online PowerShell that links the app to the mailbox, with
// every value quoted so that no name or address can break out of its string.
func SetupCommands(sv SetupValues) []SetupCommand {
	ep, _ := CloudEndpoints(sv.Cloud)
	v := newValues(Facts{Req: Request{ClientID: sv.AppID, Mailbox: sv.Mailbox, From: sv.From, Tenant: sv.Tenant}, Ep: ep,
		Claims: &Claims{ObjectID: sv.ObjectID}})
	name := sv.DisplayName
	if name == "" {
		name = "smtpoauth SMTP sender"
	}
	words := sv.words()
	cmds := []SetupCommand{
		{words("ps.connect"), "Install-Module -Name ExchangeOnlineManagement -Scope CurrentUser\nImport-Module ExchangeOnlineManagement\n" + v.connect(), ""},
		{words("ps.register"),
			"if (-not (Get-ServicePrincipal -Identity " + PSQuote(v.AppID) + " -ErrorAction SilentlyContinue)) {\n    New-ServicePrincipal -AppId " + PSQuote(v.AppID) + " -ObjectId " + PSQuote(v.ObjectID) + " -DisplayName " + PSQuote(name) + "\n}", StepSP},
	}
	if sv.AuthModel.Covers(AuthModelPermission) {
		cmds = append(cmds, SetupCommand{words("ps.full_access") + modelSuffix(sv.AuthModel, AuthModelPermission, words),
			"Add-MailboxPermission -Identity " + PSQuote(v.Mailbox) + " -User " + PSQuote(v.ObjectID) + " -AccessRights FullAccess", StepMailbox})
	}
	if sv.AuthModel.Covers(AuthModelRBAC) {
		cmds = append(cmds,
			SetupCommand{words("ps.rbac_grant", RBACRole) + modelSuffix(sv.AuthModel, AuthModelRBAC, words), rbacCommands(v.AppID, v.Mailbox), StepRoleAssignment},
			SetupCommand{words("ps.rbac_test"), "Test-ServicePrincipalAuthorization -Identity " + PSQuote(v.AppID) + " -Resource " + PSQuote(v.Mailbox), StepScope})
	}
	if sv.From != "" && !strings.EqualFold(sv.From, sv.Mailbox) {
		cmds = append(cmds, SetupCommand{words("ps.send_as", sv.From), "Add-RecipientPermission -Identity " + PSQuote(sv.From) + " -Trustee " + PSQuote(v.ObjectID) + " -AccessRights SendAs -Confirm:$false", StepSendAs})
	}
	cmds = append(cmds, SetupCommand{words("ps.check_smtp_auth"),
		"Get-TransportConfig | Format-List SmtpClientAuthenticationDisabled\nGet-CASMailbox -Identity " + PSQuote(v.Mailbox) + " | Format-List SmtpClientAuthenticationDisabled", StepSMTPAuth})
	return cmds
}
