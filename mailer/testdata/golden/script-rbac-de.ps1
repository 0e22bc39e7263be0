# smtpoauth: Exchange-Online-Einrichtung für SMTP AUTH mit OAuth 2.0 (XOAUTH2), nur App.
# Verbindung: Contoso billing
# Cloud: Global (kommerziell, GCC)
# Berechtigungsmodell: Exchange RBAC für Anwendungen.
# Exchange RBAC braucht keine API-Berechtigung in Entra ID; Microsoft rät davon ab, SMTP.SendAsApp hinzuzufügen.
# Die App meldet sich mit einem geheimen Clientschlüssel an; hier wird er nicht gebraucht und steht nicht in dieser Datei.
#
# Teil 1 liest nur. Teil 2 ändert Exchange; jede Änderung prüft vorher, zweimal ausführen schadet nicht.
# Als Exchange-Administrator in PowerShell 7 oder Windows PowerShell 5.1 ausführen.

$ErrorActionPreference = 'Stop'
$Tenant      = '7c0c36f5-af83-4c24-8844-9962e0163719'
$AppId       = '11111111-aaaa-4bbb-8ccc-000000000008'  # Anwendungs-ID (Client-ID)
$ObjectId    = 'a1000000-0000-4000-8000-000000000008'  # Objekt-ID der Unternehmensanwendung (oid des Tokens), NICHT die der App-Registrierung
$Mailbox     = 'billing@contoso.com'  # das Postfach, als das sich die App anmeldet (XOAUTH2 user=)
$DisplayName = 'smtpoauth: Contoso billing'
$ScopeName   = 'smtpoauth SMTP senders'  # der Verwaltungsbereich mit den sendenden Postfächern
$Group       = ''  # optional: eine Gruppe, deren Mitglieder die App nutzen darf; leer: nur $Mailbox
$Assignment  = 'smtpoauth SendAsApp 11111111-aaaa-4bbb-8ccc-000000000008'

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
# Exchange RBAC: der Bereich, die Rollenzuweisung der App und ob sie $Mailbox erfasst (InScope True).
Get-ManagementScope -Identity $ScopeName -ErrorAction SilentlyContinue | Format-List Name,RecipientFilter
Get-ManagementRoleAssignment -Identity $Assignment -ErrorAction SilentlyContinue | Format-List Name,Role,RoleAssigneeName,CustomResourceScope
if (Get-ServicePrincipal -Identity $AppId -ErrorAction SilentlyContinue) {
    Test-ServicePrincipalAuthorization -Identity $AppId -Resource $Mailbox | Format-List
}

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

# 2. Ein Verwaltungsbereich, der das sendende Postfach oder die Mitglieder von $Group enthält.
#    Ein vorhandener Bereich bleibt, wie er ist: seinen Filter in Teil 1 prüfen.
if ($Group) {
    $Filter = 'MemberOfGroup -eq ''' + (Get-Group -Identity $Group).DistinguishedName.Replace("'", "''") + ''''
} else {
    $Filter = 'PrimarySmtpAddress -eq ''' + $Mailbox.Replace("'", "''") + ''''
}
if (-not (Get-ManagementScope -Identity $ScopeName -ErrorAction SilentlyContinue)) {
    New-ManagementScope -Name $ScopeName -RecipientRestrictionFilter $Filter
}

# 3. Der App die Rolle Application SMTP.SendAsApp über diesen Bereich zuweisen.
if (-not (Get-ManagementRoleAssignment -Identity $Assignment -ErrorAction SilentlyContinue)) {
    New-ManagementRoleAssignment -Name $Assignment -Role 'Application SMTP.SendAsApp' -App $AppId -CustomResourceScope $ScopeName
}

# Nur wenn Teil 1 SmtpClientAuthenticationDisabled True zeigte: SMTP AUTH für dieses Postfach
# (geht der Organisation vor) oder für die ganze Organisation einschalten.
# Set-CASMailbox -Identity $Mailbox -SmtpClientAuthenticationDisabled $false
# Set-TransportConfig -SmtpClientAuthenticationDisabled $false

# Änderungen erreichen Exchange Online nach 15 bis 30 Minuten, Rollenzuweisungen nach 30 Minuten bis 2 Stunden;
# danach zeigt Test-ServicePrincipalAuthorization (Teil 1) InScope True, und der Test in smtpoauth kann gelingen.
