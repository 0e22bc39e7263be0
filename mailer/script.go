package mailer

import (
	"fmt"
	"strconv"
	"strings"
)

// ScriptValues fill the generated setup script.
type ScriptValues struct {
	SetupValues
	ProfileName string
	// CredentialKind is "secret" or "certificate"; Thumbprint is set for certificates.
	CredentialKind, Thumbprint string
}

// objectIDPlaceholder stands where the token's oid is not known yet; the script refuses to run with it.
const objectIDPlaceholder = "<object ID from Entra ID > Enterprise applications>"

// SetupScript is the Exchange Online side of the setup as one commented PowerShell script: read-only
// checks first, then changes that check before they act, so that running it twice is safe. Every
// value is assigned once, at the top, as a single-quoted string: no name or address can break out.
func SetupScript(sv ScriptValues) string {
	ep, _ := CloudEndpoints(sv.Cloud)
	oid := sv.ObjectID
	if oid == "" {
		oid = objectIDPlaceholder
	}
	name := sv.DisplayName
	if name == "" {
		name = "smtpoauth SMTP sender"
	}
	sendAs := sv.From != "" && !strings.EqualFold(sv.From, sv.Mailbox)
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	words := sv.words()
	w("%s", words("script.1"))
	w("%s", words("script.2", oneLineComment(sv.ProfileName)))
	w("# Cloud: %s", words("cloud."+string(ep.Cloud)))
	model := sv.AuthModel
	if model == "" {
		model = AuthModelUnsure
	}
	if model != AuthModelPermission {
		rbacHeader(w, model, words)
	}
	if sv.CredentialKind == "certificate" {
		w("%s", words("script.3", oneLineComment(sv.Thumbprint)))
	} else {
		w("%s", words("script.4"))
	}
	w("#")
	w("%s", words("script.5"))
	w("%s", words("script.6"))
	w("")
	w("$ErrorActionPreference = 'Stop'")
	w("$Tenant      = %s", psValue(sv.Tenant))
	w("$AppId       = %s  %s", psValue(sv.AppID), words("script.7"))
	w("$ObjectId    = %s  %s", psValue(oid), words("script.8"))
	w("$Mailbox     = %s  %s", psValue(sv.Mailbox), words("script.9"))
	if sendAs {
		w("$SendAs      = %s  %s", psValue(sv.From), words("script.10"))
	}
	w("$DisplayName = %s", psValue(name))
	if model.Covers(AuthModelRBAC) {
		rbacVariables(w, sv, words)
	}
	w("")
	w("if ($ObjectId -notmatch '^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$') {")
	w("    throw %s", PSQuote(words("script.11")))
	w("}")
	w("")
	w("%s", words("script.12"))
	w("if (-not (Get-Module -ListAvailable -Name ExchangeOnlineManagement)) {")
	w("    Install-Module -Name ExchangeOnlineManagement -Scope CurrentUser")
	w("}")
	w("Import-Module ExchangeOnlineManagement")
	if ep.ExchangeEnvironment != "" {
		w("Connect-ExchangeOnline -Organization $Tenant -ExchangeEnvironmentName %s", ep.ExchangeEnvironment)
	} else {
		w("Connect-ExchangeOnline -Organization $Tenant")
	}
	w("")
	w("%s", words("script.13"))
	w("%s", words("script.14"))
	w("Get-TransportConfig | Format-List SmtpClient*")
	w("%s", words("script.15"))
	w("Get-CASMailbox -Identity $Mailbox | Format-List SmtpClientAuthenticationDisabled")
	w("%s", words("script.16"))
	w("%s", words("script.17"))
	w("Get-AuthenticationPolicy | Format-List")
	w("%s", words("script.18"))
	w("Get-ServicePrincipal -Identity $AppId -ErrorAction SilentlyContinue | Format-List DisplayName,AppId,ObjectId")
	if model.Covers(AuthModelPermission) {
		w("Get-MailboxPermission -Identity $Mailbox -User $ObjectId -ErrorAction SilentlyContinue | Format-List User,AccessRights")
	}
	if model.Covers(AuthModelRBAC) {
		rbacChecks(w, words)
	}
	w("")
	w("%s", words("script.19"))
	w("%s", words("script.20"))
	w("%s", words("script.21"))
	w("$sp = Get-ServicePrincipal -Identity $AppId -ErrorAction SilentlyContinue")
	w("if ($sp -and $sp.ObjectId -ne $ObjectId) {")
	w("    Write-Warning (%s + $sp.ObjectId)", PSQuote(words("script.22")))
	w("    Remove-ServicePrincipal -Identity $AppId -Confirm:$false")
	w("    $sp = $null")
	w("}")
	w("if (-not $sp) {")
	w("    New-ServicePrincipal -AppId $AppId -ObjectId $ObjectId -DisplayName $DisplayName")
	w("}")
	w("")
	n := 2
	if model == AuthModelPermission {
		w("%s", words("script.23"))
	} else if model.Covers(AuthModelPermission) {
		w("%s", words("script.full_access_n", strconv.Itoa(n), modelSuffix(model, AuthModelPermission, words)))
	}
	if model.Covers(AuthModelPermission) {
		w("if (-not (Get-MailboxPermission -Identity $Mailbox -User $ObjectId -ErrorAction SilentlyContinue)) {")
		w("    Add-MailboxPermission -Identity $Mailbox -User $ObjectId -AccessRights FullAccess")
		w("}")
		n++
	}
	if model.Covers(AuthModelRBAC) {
		n = rbacChanges(w, n, model, words)
	}
	if sendAs {
		w("")
		if model == AuthModelPermission {
			w("%s", words("script.24"))
		} else {
			w("%s", words("script.send_as_n", strconv.Itoa(n)))
		}
		w("if (-not (Get-RecipientPermission -Identity $SendAs -Trustee $ObjectId -ErrorAction SilentlyContinue)) {")
		w("    Add-RecipientPermission -Identity $SendAs -Trustee $ObjectId -AccessRights SendAs -Confirm:$false")
		w("}")
	}
	w("")
	w("%s", words("script.25"))
	w("%s", words("script.26"))
	w("# Set-CASMailbox -Identity $Mailbox -SmtpClientAuthenticationDisabled $false")
	w("# Set-TransportConfig -SmtpClientAuthenticationDisabled $false")
	w("")
	if model == AuthModelPermission {
		w("%s", words("script.27"))
	} else {
		w("%s", words("script.rbac.applied.1"))
		w("%s", words("script.rbac.applied.2"))
	}
	return b.String()
}

// psValue quotes a value for an assignment; line breaks become spaces, so that a value (the
// token's oid comes from outside) cannot continue onto another line.
func psValue(s string) string { return PSQuote(oneLineComment(s)) }

// oneLineComment keeps a value inside its comment line.
func oneLineComment(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
}
