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
	de := sv.Lang == "de"
	w("%s", t(de, "# smtpoauth: Exchange Online setup for SMTP AUTH with OAuth 2.0 (XOAUTH2), app-only.", "# smtpoauth: Exchange-Online-Einrichtung für SMTP AUTH mit OAuth 2.0 (XOAUTH2), nur App."))
	w(t(de, "# Connection: %s", "# Verbindung: %s"), oneLineComment(sv.ProfileName))
	w("# Cloud: %s", ep.LabelIn(sv.Lang))
	model := sv.AuthModel
	if model == "" {
		model = AuthModelUnsure
	}
	if model != AuthModelPermission {
		rbacHeader(w, model, de)
	}
	if sv.CredentialKind == "certificate" {
		w(t(de, "# The app signs in with a certificate (thumbprint %s); nothing here needs it.", "# Die App meldet sich mit einem Zertifikat an (Fingerabdruck %s); hier wird es nicht gebraucht."), oneLineComment(sv.Thumbprint))
	} else {
		w("%s", t(de, "# The app signs in with a client secret; nothing here needs it, and it is not in this file.", "# Die App meldet sich mit einem geheimen Clientschlüssel an; hier wird er nicht gebraucht und steht nicht in dieser Datei."))
	}
	w("#")
	w("%s", t(de, "# Part 1 only reads. Part 2 changes Exchange; each change checks first, so running it twice is safe.", "# Teil 1 liest nur. Teil 2 ändert Exchange; jede Änderung prüft vorher, zweimal ausführen schadet nicht."))
	w("%s", t(de, "# Run as an Exchange administrator in PowerShell 7 or Windows PowerShell 5.1.", "# Als Exchange-Administrator in PowerShell 7 oder Windows PowerShell 5.1 ausführen."))
	w("")
	w("$ErrorActionPreference = 'Stop'")
	w("$Tenant      = %s", psValue(sv.Tenant))
	w("$AppId       = %s  %s", psValue(sv.AppID), t(de, "# Application (client) ID", "# Anwendungs-ID (Client-ID)"))
	w("$ObjectId    = %s  %s", psValue(oid), t(de, "# Enterprise application's object ID (the token's oid), NOT the App registration's", "# Objekt-ID der Unternehmensanwendung (oid des Tokens), NICHT die der App-Registrierung"))
	w("$Mailbox     = %s  %s", psValue(sv.Mailbox), t(de, "# the mailbox the app authenticates as (XOAUTH2 user=)", "# das Postfach, als das sich die App anmeldet (XOAUTH2 user=)"))
	if sendAs {
		w("$SendAs      = %s  %s", psValue(sv.From), t(de, "# the From address, which needs Send As", "# die Absenderadresse, die „Senden als“ braucht"))
	}
	w("$DisplayName = %s", psValue(name))
	if model.Covers(AuthModelRBAC) {
		rbacVariables(w, sv, de)
	}
	w("")
	w("if ($ObjectId -notmatch '^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$') {")
	w("    throw %s", PSQuote(t(de, "Set $ObjectId to the object ID shown under Entra ID > Enterprise applications (Unternehmensanwendungen) > this app. smtpoauth fills it in once a token was fetched.",
		"$ObjectId auf die Objekt-ID unter Entra ID > Unternehmensanwendungen (Enterprise applications) > diese App setzen. smtpoauth trägt sie ein, sobald ein Token abgerufen wurde.")))
	w("}")
	w("")
	w("%s", t(de, "# --- Connect ---------------------------------------------------------------", "# --- Verbinden -------------------------------------------------------------"))
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
	w("%s", t(de, "# --- Part 1: checks (read-only) ---------------------------------------------", "# --- Teil 1: Prüfungen (nur lesend) -----------------------------------------"))
	w("%s", t(de, "# SMTP AUTH for the organization: False = allowed. It applies to OAuth as well as Basic.", "# SMTP AUTH für die Organisation: False = erlaubt. Das gilt für OAuth wie für Basic."))
	w("Get-TransportConfig | Format-List SmtpClient*")
	w("%s", t(de, "# SMTP AUTH for the mailbox: False = allowed, True = disabled, empty = inherits the organization's setting.", "# SMTP AUTH für das Postfach: False = erlaubt, True = deaktiviert, leer = Einstellung der Organisation."))
	w("Get-CASMailbox -Identity $Mailbox | Format-List SmtpClientAuthenticationDisabled")
	w("%s", t(de, "# Authentication policies govern Basic authentication (user name and password) only. A policy such", "# Authentifizierungsrichtlinien betreffen nur Basic-Authentifizierung (Benutzername und Passwort). Eine"))
	w("%s", t(de, "# as the guide's BLOCK-BasicAuth does not block XOAUTH2: there is no need to remove it for smtpoauth.", "# Richtlinie wie BLOCK-BasicAuth aus der Anleitung sperrt XOAUTH2 nicht: für smtpoauth muss sie nicht weg."))
	w("Get-AuthenticationPolicy | Format-List")
	w("%s", t(de, "# The service principal Exchange knows for this app; its ObjectId must equal $ObjectId.", "# Der Dienstprinzipal, den Exchange für diese App kennt; seine ObjectId muss $ObjectId sein."))
	w("Get-ServicePrincipal -Identity $AppId -ErrorAction SilentlyContinue | Format-List DisplayName,AppId,ObjectId")
	if model.Covers(AuthModelPermission) {
		w("Get-MailboxPermission -Identity $Mailbox -User $ObjectId -ErrorAction SilentlyContinue | Format-List User,AccessRights")
	}
	if model.Covers(AuthModelRBAC) {
		rbacChecks(w, de)
	}
	w("")
	w("%s", t(de, "# --- Part 2: changes ---------------------------------------------------------", "# --- Teil 2: Änderungen -----------------------------------------------------"))
	w("%s", t(de, "# 1. Register the app's service principal in Exchange with the Enterprise application's object ID.", "# 1. Den Dienstprinzipal der App in Exchange mit der Objekt-ID der Unternehmensanwendung registrieren."))
	w("%s", t(de, "#    One registered with the App registration's object ID is the classic cause of 535 5.7.3: replace it.", "#    Einer mit der Objekt-ID der App-Registrierung ist die klassische Ursache von 535 5.7.3: ersetzen."))
	w("$sp = Get-ServicePrincipal -Identity $AppId -ErrorAction SilentlyContinue")
	w("if ($sp -and $sp.ObjectId -ne $ObjectId) {")
	w("    Write-Warning (%s + $sp.ObjectId)", PSQuote(t(de, "Replacing the service principal registered with object ID ", "Ersetze den Dienstprinzipal mit der Objekt-ID ")))
	w("    Remove-ServicePrincipal -Identity $AppId -Confirm:$false")
	w("    $sp = $null")
	w("}")
	w("if (-not $sp) {")
	w("    New-ServicePrincipal -AppId $AppId -ObjectId $ObjectId -DisplayName $DisplayName")
	w("}")
	w("")
	n := 2
	if model.Covers(AuthModelPermission) {
		w(t(de, "# %d. Give the service principal full access to the sending mailbox.%s", "# %d. Dem Dienstprinzipal Vollzugriff auf das sendende Postfach geben.%s"), n, modelSuffix(model, AuthModelPermission, de))
		w("if (-not (Get-MailboxPermission -Identity $Mailbox -User $ObjectId -ErrorAction SilentlyContinue)) {")
		w("    Add-MailboxPermission -Identity $Mailbox -User $ObjectId -AccessRights FullAccess")
		w("}")
		n++
	}
	if model.Covers(AuthModelRBAC) {
		n = rbacChanges(w, n, model, de)
	}
	if sendAs {
		w("")
		w(t(de, "# %d. Allow it to send as the From address.", "# %d. Ihm erlauben, als Absenderadresse zu senden."), n)
		w("if (-not (Get-RecipientPermission -Identity $SendAs -Trustee $ObjectId -ErrorAction SilentlyContinue)) {")
		w("    Add-RecipientPermission -Identity $SendAs -Trustee $ObjectId -AccessRights SendAs -Confirm:$false")
		w("}")
	}
	w("")
	w("%s", t(de, "# Only if Part 1 showed SmtpClientAuthenticationDisabled True: enable SMTP AUTH for this mailbox", "# Nur wenn Teil 1 SmtpClientAuthenticationDisabled True zeigte: SMTP AUTH für dieses Postfach"))
	w("%s", t(de, "# (this overrides the organization's setting), or for the whole organization.", "# (geht der Organisation vor) oder für die ganze Organisation einschalten."))
	w("# Set-CASMailbox -Identity $Mailbox -SmtpClientAuthenticationDisabled $false")
	w("# Set-TransportConfig -SmtpClientAuthenticationDisabled $false")
	w("")
	if model == AuthModelPermission {
		w("%s", t(de, "# Changes reach Exchange Online after 15 to 30 minutes; then run the test in smtpoauth again.", "# Änderungen erreichen Exchange Online nach 15 bis 30 Minuten; danach den Test in smtpoauth wiederholen."))
	} else {
		w("%s", t(de, "# Changes reach Exchange Online after 15 to 30 minutes, role assignments after 30 minutes to 2 hours;", "# Änderungen erreichen Exchange Online nach 15 bis 30 Minuten, Rollenzuweisungen nach 30 Minuten bis 2 Stunden;"))
		w("%s", t(de, "# then Test-ServicePrincipalAuthorization (Part 1) shows InScope True, and the test in smtpoauth can pass.", "# danach zeigt Test-ServicePrincipalAuthorization (Teil 1) InScope True, und der Test in smtpoauth kann gelingen."))
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
