package mailer

import (
	"fmt"
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
	w("# smtpoauth: Exchange Online setup for SMTP AUTH with OAuth 2.0 (XOAUTH2), app-only.")
	w("# Connection: %s", oneLineComment(sv.ProfileName))
	w("# Cloud: %s", ep.Label)
	if sv.CredentialKind == "certificate" {
		w("# The app signs in with a certificate (thumbprint %s); nothing here needs it.", oneLineComment(sv.Thumbprint))
	} else {
		w("# The app signs in with a client secret; nothing here needs it, and it is not in this file.")
	}
	w("#")
	w("# Part 1 only reads. Part 2 changes Exchange; each change checks first, so running it twice is safe.")
	w("# Run as an Exchange administrator in PowerShell 7 or Windows PowerShell 5.1.")
	w("")
	w("$ErrorActionPreference = 'Stop'")
	w("$Tenant      = %s", psValue(sv.Tenant))
	w("$AppId       = %s  # Application (client) ID", psValue(sv.AppID))
	w("$ObjectId    = %s  # Enterprise application's object ID (the token's oid), NOT the App registration's", psValue(oid))
	w("$Mailbox     = %s  # the mailbox the app authenticates as (XOAUTH2 user=)", psValue(sv.Mailbox))
	if sendAs {
		w("$SendAs      = %s  # the From address, which needs Send As", psValue(sv.From))
	}
	w("$DisplayName = %s", psValue(name))
	w("")
	w("if ($ObjectId -notmatch '^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$') {")
	w("    throw 'Set $ObjectId to the object ID shown under Entra ID > Enterprise applications (Unternehmensanwendungen) > this app. smtpoauth fills it in once a token was fetched.'")
	w("}")
	w("")
	w("# --- Connect ---------------------------------------------------------------")
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
	w("# --- Part 1: checks (read-only) ---------------------------------------------")
	w("# SMTP AUTH for the organization: False = allowed. It applies to OAuth as well as Basic.")
	w("Get-TransportConfig | Format-List SmtpClient*")
	w("# SMTP AUTH for the mailbox: False = allowed, True = disabled, empty = inherits the organization's setting.")
	w("Get-CASMailbox -Identity $Mailbox | Format-List SmtpClientAuthenticationDisabled")
	w("# Authentication policies govern Basic authentication (user name and password) only. A policy such")
	w("# as the guide's BLOCK-BasicAuth does not block XOAUTH2: there is no need to remove it for smtpoauth.")
	w("Get-AuthenticationPolicy | Format-List")
	w("# The service principal Exchange knows for this app; its ObjectId must equal $ObjectId.")
	w("Get-ServicePrincipal -Identity $AppId -ErrorAction SilentlyContinue | Format-List DisplayName,AppId,ObjectId")
	w("Get-MailboxPermission -Identity $Mailbox -User $ObjectId -ErrorAction SilentlyContinue | Format-List User,AccessRights")
	w("")
	w("# --- Part 2: changes ---------------------------------------------------------")
	w("# 1. Register the app's service principal in Exchange with the Enterprise application's object ID.")
	w("#    One registered with the App registration's object ID is the classic cause of 535 5.7.3: replace it.")
	w("$sp = Get-ServicePrincipal -Identity $AppId -ErrorAction SilentlyContinue")
	w("if ($sp -and $sp.ObjectId -ne $ObjectId) {")
	w("    Write-Warning ('Replacing the service principal registered with object ID ' + $sp.ObjectId)")
	w("    Remove-ServicePrincipal -Identity $AppId -Confirm:$false")
	w("    $sp = $null")
	w("}")
	w("if (-not $sp) {")
	w("    New-ServicePrincipal -AppId $AppId -ObjectId $ObjectId -DisplayName $DisplayName")
	w("}")
	w("")
	w("# 2. Give the service principal full access to the sending mailbox.")
	w("if (-not (Get-MailboxPermission -Identity $Mailbox -User $ObjectId -ErrorAction SilentlyContinue)) {")
	w("    Add-MailboxPermission -Identity $Mailbox -User $ObjectId -AccessRights FullAccess")
	w("}")
	if sendAs {
		w("")
		w("# 3. Allow it to send as the From address.")
		w("if (-not (Get-RecipientPermission -Identity $SendAs -Trustee $ObjectId -ErrorAction SilentlyContinue)) {")
		w("    Add-RecipientPermission -Identity $SendAs -Trustee $ObjectId -AccessRights SendAs -Confirm:$false")
		w("}")
	}
	w("")
	w("# Only if Part 1 showed SmtpClientAuthenticationDisabled True: enable SMTP AUTH for this mailbox")
	w("# (this overrides the organization's setting), or for the whole organization.")
	w("# Set-CASMailbox -Identity $Mailbox -SmtpClientAuthenticationDisabled $false")
	w("# Set-TransportConfig -SmtpClientAuthenticationDisabled $false")
	w("")
	w("# Changes reach Exchange Online after 15 to 30 minutes; then run the test in smtpoauth again.")
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
