package mailer

// SetupCommand is one PowerShell step of the Exchange side of the setup.
type SetupCommand struct {
	Label   string
	Command string
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
		{t(de, "Connect to Exchange Online (install the module once)", "Mit Exchange Online verbinden (das Modul einmal installieren)"), "Install-Module -Name ExchangeOnlineManagement -Scope CurrentUser\nImport-Module ExchangeOnlineManagement\n" + v.connect()},
		{t(de, "Register the app's service principal in Exchange (the object ID from Enterprise applications)", "Den Dienstprinzipal der App in Exchange registrieren (die Objekt-ID aus Unternehmensanwendungen)"),
			"if (-not (Get-ServicePrincipal -Identity " + PSQuote(v.AppID) + " -ErrorAction SilentlyContinue)) {\n    New-ServicePrincipal -AppId " + PSQuote(v.AppID) + " -ObjectId " + PSQuote(v.ObjectID) + " -DisplayName " + PSQuote(name) + "\n}"},
		{t(de, "Give it full access to the sending mailbox", "Ihm Vollzugriff auf das sendende Postfach geben"), "Add-MailboxPermission -Identity " + PSQuote(v.Mailbox) + " -User " + PSQuote(v.ObjectID) + " -AccessRights FullAccess"},
	}
	if sv.From != "" && sv.From != sv.Mailbox {
		cmds = append(cmds, SetupCommand{t(de, "Allow it to send as ", "Ihm erlauben, zu senden als ") + sv.From, "Add-RecipientPermission -Identity " + PSQuote(sv.From) + " -Trustee " + PSQuote(v.ObjectID) + " -AccessRights SendAs -Confirm:$false"})
	}
	cmds = append(cmds, SetupCommand{t(de, "Check that SMTP AUTH is allowed (False = allowed; an empty mailbox value inherits the organization's)",
		"Prüfen, ob SMTP AUTH erlaubt ist (False = erlaubt; ein leerer Wert beim Postfach übernimmt den der Organisation)"),
		"Get-TransportConfig | Format-List SmtpClientAuthenticationDisabled\nGet-CASMailbox -Identity " + PSQuote(v.Mailbox) + " | Format-List SmtpClientAuthenticationDisabled"})
	return cmds
}
