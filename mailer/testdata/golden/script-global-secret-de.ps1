# smtpoauth: Exchange-Online-Einrichtung für SMTP AUTH mit OAuth 2.0 (XOAUTH2), nur App.
# Verbindung: Contoso Buchhaltung
# Cloud: Global (kommerziell, GCC)
# Die App meldet sich mit einem geheimen Clientschlüssel an; hier wird er nicht gebraucht und steht nicht in dieser Datei.
#
# Teil 1 liest nur. Teil 2 ändert Exchange; jede Änderung prüft vorher, zweimal ausführen schadet nicht.
# Als Exchange-Administrator in PowerShell 7 oder Windows PowerShell 5.1 ausführen.

$ErrorActionPreference = 'Stop'
$Tenant      = 'contoso.onmicrosoft.com'
$AppId       = '11111111-aaaa-4bbb-8ccc-000000000001'  # Anwendungs-ID (Client-ID)
$ObjectId    = 'a1000000-0000-4000-8000-000000000001'  # Objekt-ID der Unternehmensanwendung (oid des Tokens), NICHT die der App-Registrierung
$Mailbox     = 'buchhaltung@contoso.com'  # das Postfach, als das sich die App anmeldet (XOAUTH2 user=)
$SendAs      = 'noreply@contoso.com'  # die Absenderadresse, die „Senden als“ braucht
$DisplayName = 'smtpoauth: Contoso Buchhaltung'

if ($ObjectId -notmatch '^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$') {
    throw '$ObjectId auf die Objekt-ID unter Entra ID > Unternehmensanwendungen (Enterprise applications) > diese App setzen. smtpoauth trägt sie ein, sobald ein Token abgerufen wurde.'
}

# --- Verbinden -------------------------------------------------------------
if (-not (Get-Module -ListAvailable -Name ExchangeOnlineManagement)) {
    Install-Module -Name ExchangeOnlineManagement -Scope CurrentUser
}
Import-Module ExchangeOnlineManagement
Connect-ExchangeOnline -Organization $Tenant

# --- Teil 1: Prüfungen (nur lesend) -----------------------------------------
# SMTP AUTH für die Organisation: False = erlaubt. Das gilt für OAuth wie für Basic.
Get-TransportConfig | Format-List SmtpClient*
# SMTP AUTH für das Postfach: False = erlaubt, True = deaktiviert, leer = Einstellung der Organisation.
Get-CASMailbox -Identity $Mailbox | Format-List SmtpClientAuthenticationDisabled
# Authentifizierungsrichtlinien betreffen nur Basic-Authentifizierung (Benutzername und Passwort). Eine
# Richtlinie wie BLOCK-BasicAuth aus der Anleitung sperrt XOAUTH2 nicht: für smtpoauth muss sie nicht weg.
Get-AuthenticationPolicy | Format-List
# Der Dienstprinzipal, den Exchange für diese App kennt; seine ObjectId muss $ObjectId sein.
Get-ServicePrincipal -Identity $AppId -ErrorAction SilentlyContinue | Format-List DisplayName,AppId,ObjectId
Get-MailboxPermission -Identity $Mailbox -User $ObjectId -ErrorAction SilentlyContinue | Format-List User,AccessRights

# --- Teil 2: Änderungen -----------------------------------------------------
# 1. Den Dienstprinzipal der App in Exchange mit der Objekt-ID der Unternehmensanwendung registrieren.
#    Einer mit der Objekt-ID der App-Registrierung ist die klassische Ursache von 535 5.7.3: ersetzen.
$sp = Get-ServicePrincipal -Identity $AppId -ErrorAction SilentlyContinue
if ($sp -and $sp.ObjectId -ne $ObjectId) {
    Write-Warning ('Ersetze den Dienstprinzipal mit der Objekt-ID ' + $sp.ObjectId)
    Remove-ServicePrincipal -Identity $AppId -Confirm:$false
    $sp = $null
}
if (-not $sp) {
    New-ServicePrincipal -AppId $AppId -ObjectId $ObjectId -DisplayName $DisplayName
}

# 2. Dem Dienstprinzipal Vollzugriff auf das sendende Postfach geben.
if (-not (Get-MailboxPermission -Identity $Mailbox -User $ObjectId -ErrorAction SilentlyContinue)) {
    Add-MailboxPermission -Identity $Mailbox -User $ObjectId -AccessRights FullAccess
}

# 3. Ihm erlauben, als Absenderadresse zu senden.
if (-not (Get-RecipientPermission -Identity $SendAs -Trustee $ObjectId -ErrorAction SilentlyContinue)) {
    Add-RecipientPermission -Identity $SendAs -Trustee $ObjectId -AccessRights SendAs -Confirm:$false
}

# Nur wenn Teil 1 SmtpClientAuthenticationDisabled True zeigte: SMTP AUTH für dieses Postfach
# (geht der Organisation vor) oder für die ganze Organisation einschalten.
# Set-CASMailbox -Identity $Mailbox -SmtpClientAuthenticationDisabled $false
# Set-TransportConfig -SmtpClientAuthenticationDisabled $false

# Änderungen erreichen Exchange Online nach 15 bis 30 Minuten; danach den Test in smtpoauth wiederholen.
