package mailer

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
	// Lang is "de" for German labels; commands are the same in every language.
	Lang string
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
	de := sv.Lang == "de"
	cmds := []SetupCommand{
		{t(de, "Connect to Exchange Online (install the module once)", "Mit Exchange Online verbinden (das Modul einmal installieren)"), "Install-Module -Name ExchangeOnlineManagement -Scope CurrentUser\nImport-Module ExchangeOnlineManagement\n" + v.connect(), ""},
		{t(de, "Register the app's service principal in Exchange (the object ID from Enterprise applications)", "Den Dienstprinzipal der App in Exchange registrieren (die Objekt-ID aus Unternehmensanwendungen)"),
			"if (-not (Get-ServicePrincipal -Identity " + PSQuote(v.AppID) + " -ErrorAction SilentlyContinue)) {\n    New-ServicePrincipal -AppId " + PSQuote(v.AppID) + " -ObjectId " + PSQuote(v.ObjectID) + " -DisplayName " + PSQuote(name) + "\n}", StepSP},
	}
	if sv.AuthModel.Covers(AuthModelPermission) {
		cmds = append(cmds, SetupCommand{t(de, "Give it full access to the sending mailbox", "Ihm Vollzugriff auf das sendende Postfach geben") + modelSuffix(sv.AuthModel, AuthModelPermission, de),
			"Add-MailboxPermission -Identity " + PSQuote(v.Mailbox) + " -User " + PSQuote(v.ObjectID) + " -AccessRights FullAccess", StepMailbox})
	}
	if sv.AuthModel.Covers(AuthModelRBAC) {
		rbac := stepRBAC(v, de)
		cmds = append(cmds,
			SetupCommand{t(de, "Create a management scope that holds the sending mailbox and assign the role "+RBACRole+" over it", "Einen Verwaltungsbereich anlegen, der das sendende Postfach enthält, und die Rolle "+RBACRole+" darüber zuweisen") + modelSuffix(sv.AuthModel, AuthModelRBAC, de),
				rbac[1].Command, StepRoleAssignment},
			SetupCommand{t(de, "Check that a role assignment covers the mailbox (read-only; InScope True)", "Prüfen, dass eine Rollenzuweisung das Postfach erfasst (nur lesend; InScope True)"),
				"Test-ServicePrincipalAuthorization -Identity " + PSQuote(v.AppID) + " -Resource " + PSQuote(v.Mailbox), StepScope})
	}
	if sv.From != "" && sv.From != sv.Mailbox {
		cmds = append(cmds, SetupCommand{t(de, "Allow it to send as ", "Ihm erlauben, zu senden als ") + sv.From, "Add-RecipientPermission -Identity " + PSQuote(sv.From) + " -Trustee " + PSQuote(v.ObjectID) + " -AccessRights SendAs -Confirm:$false", StepSendAs})
	}
	cmds = append(cmds, SetupCommand{t(de, "Check that SMTP AUTH is allowed (False = allowed; an empty mailbox value inherits the organization's)",
		"Prüfen, ob SMTP AUTH erlaubt ist (False = erlaubt; ein leerer Wert beim Postfach übernimmt den der Organisation)"),
		"Get-TransportConfig | Format-List SmtpClientAuthenticationDisabled\nGet-CASMailbox -Identity " + PSQuote(v.Mailbox) + " | Format-List SmtpClientAuthenticationDisabled", StepSMTPAuth})
	return cmds
}

// modelSuffix names the model a command belongs to when the connection is unsure which it uses.
func modelSuffix(m, of AuthModel, de bool) string {
	switch {
	case m != AuthModelUnsure && m != "":
		return ""
	case of == AuthModelRBAC:
		return t(de, " (Exchange RBAC for Applications)", " (Exchange RBAC für Anwendungen)")
	}
	return t(de, " (API-permission model)", " (Modell mit API-Berechtigung)")
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
