# smtpoauth: Exchange Online setup for SMTP AUTH with OAuth 2.0 (XOAUTH2), app-only.
# Connection: Contoso billing
# Cloud: US Government DoD
# The app signs in with a client secret; nothing here needs it, and it is not in this file.
#
# Part 1 only reads. Part 2 changes Exchange; each change checks first, so running it twice is safe.
# Run as an Exchange administrator in PowerShell 7 or Windows PowerShell 5.1.

$ErrorActionPreference = 'Stop'
$Tenant      = '7c0c36f5-af83-4c24-8844-9962e0163719'
$AppId       = '11111111-aaaa-4bbb-8ccc-000000000001'  # Application (client) ID
$ObjectId    = 'a1000000-0000-4000-8000-000000000001'  # Enterprise application's object ID (the token's oid), NOT the App registration's
$Mailbox     = 'billing@contoso.com'  # the mailbox the app authenticates as (XOAUTH2 user=)
$SendAs      = 'noreply@contoso.com'  # the From address, which needs Send As
$DisplayName = 'smtpoauth: Contoso billing'

if ($ObjectId -notmatch '^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$') {
    throw 'Set $ObjectId to the object ID shown under Entra ID > Enterprise applications > this app. smtpoauth fills it in once a token was fetched.'
}

# --- Connect ---------------------------------------------------------------
if (-not (Get-Module -ListAvailable -Name ExchangeOnlineManagement)) {
    Install-Module -Name ExchangeOnlineManagement -Scope CurrentUser
}
Import-Module ExchangeOnlineManagement
Connect-ExchangeOnline -Organization $Tenant -ExchangeEnvironmentName O365USGovDoD

# --- Part 1: checks (read-only) ---------------------------------------------
# SMTP AUTH for the organization: False = allowed. It applies to OAuth as well as Basic.
Get-TransportConfig | Format-List SmtpClient*
# SMTP AUTH for the mailbox: False = allowed, True = disabled, empty = inherits the organization's setting.
Get-CASMailbox -Identity $Mailbox | Format-List SmtpClientAuthenticationDisabled
# Authentication policies govern Basic authentication (user name and password) only. A policy such
# as the guide's BLOCK-BasicAuth does not block XOAUTH2: there is no need to remove it for smtpoauth.
Get-AuthenticationPolicy | Format-List
# The service principal Exchange knows for this app; its ObjectId must equal $ObjectId.
Get-ServicePrincipal -Identity $AppId -ErrorAction SilentlyContinue | Format-List DisplayName,AppId,ObjectId
Get-MailboxPermission -Identity $Mailbox -User $ObjectId -ErrorAction SilentlyContinue | Format-List User,AccessRights

# --- Part 2: changes ---------------------------------------------------------
# 1. Register the app's service principal in Exchange with the Enterprise application's object ID.
#    One registered with the App registration's object ID is the classic cause of 535 5.7.3: replace it.
$sp = Get-ServicePrincipal -Identity $AppId -ErrorAction SilentlyContinue
if ($sp -and $sp.ObjectId -ne $ObjectId) {
    Write-Warning ('Replacing the service principal registered with object ID ' + $sp.ObjectId)
    Remove-ServicePrincipal -Identity $AppId -Confirm:$false
    $sp = $null
}
if (-not $sp) {
    New-ServicePrincipal -AppId $AppId -ObjectId $ObjectId -DisplayName $DisplayName
}

# 2. Give the service principal full access to the sending mailbox.
if (-not (Get-MailboxPermission -Identity $Mailbox -User $ObjectId -ErrorAction SilentlyContinue)) {
    Add-MailboxPermission -Identity $Mailbox -User $ObjectId -AccessRights FullAccess
}

# 3. Allow it to send as the From address.
if (-not (Get-RecipientPermission -Identity $SendAs -Trustee $ObjectId -ErrorAction SilentlyContinue)) {
    Add-RecipientPermission -Identity $SendAs -Trustee $ObjectId -AccessRights SendAs -Confirm:$false
}

# Only if Part 1 showed SmtpClientAuthenticationDisabled True: enable SMTP AUTH for this mailbox
# (this overrides the organization's setting), or for the whole organization.
# Set-CASMailbox -Identity $Mailbox -SmtpClientAuthenticationDisabled $false
# Set-TransportConfig -SmtpClientAuthenticationDisabled $false

# Changes reach Exchange Online after 15 to 30 minutes; then run the test in smtpoauth again.
