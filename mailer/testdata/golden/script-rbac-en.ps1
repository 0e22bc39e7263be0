# smtpoauth: Exchange Online setup for SMTP AUTH with OAuth 2.0 (XOAUTH2), app-only.
# Connection: Contoso billing
# Cloud: Global (commercial, GCC)
# Authorisation model: Exchange RBAC for Applications.
# Exchange RBAC needs no API permission in Entra ID; Microsoft advises against adding SMTP.SendAsApp.
# The app signs in with a client secret; nothing here needs it, and it is not in this file.
#
# Part 1 only reads. Part 2 changes Exchange; each change checks first, so running it twice is safe.
# Run as an Exchange administrator in PowerShell 7 or Windows PowerShell 5.1.

$ErrorActionPreference = 'Stop'
$Tenant      = '7c0c36f5-af83-4c24-8844-9962e0163719'
$AppId       = '11111111-aaaa-4bbb-8ccc-000000000008'  # Application (client) ID
$ObjectId    = 'a1000000-0000-4000-8000-000000000008'  # Enterprise application's object ID (the token's oid), NOT the App registration's
$Mailbox     = 'billing@contoso.com'  # the mailbox the app authenticates as (XOAUTH2 user=)
$DisplayName = 'smtpoauth: Contoso billing'
$ScopeName   = 'smtpoauth SMTP senders'  # the management scope that holds the sending mailboxes
$Group       = ''  # optional: a group whose members the app may use; empty: only $Mailbox
$Assignment  = 'smtpoauth SendAsApp 11111111-aaaa-4bbb-8ccc-000000000008'

if ($ObjectId -notmatch '^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$') {
    throw 'Set $ObjectId to the object ID shown under Entra ID > Enterprise applications > this app. smtpoauth fills it in once a token was fetched.'
}

# --- Connect ---------------------------------------------------------------
if (-not (Get-Module -ListAvailable -Name ExchangeOnlineManagement)) {
    Install-Module -Name ExchangeOnlineManagement -Scope CurrentUser
}
Import-Module ExchangeOnlineManagement
Connect-ExchangeOnline -Organization $Tenant

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
# Exchange RBAC: the scope, the app's role assignment, and whether it covers $Mailbox (InScope True).
Get-ManagementScope -Identity $ScopeName -ErrorAction SilentlyContinue | Format-List Name,RecipientFilter
Get-ManagementRoleAssignment -Identity $Assignment -ErrorAction SilentlyContinue | Format-List Name,Role,RoleAssigneeName,CustomResourceScope
if (Get-ServicePrincipal -Identity $AppId -ErrorAction SilentlyContinue) {
    Test-ServicePrincipalAuthorization -Identity $AppId -Resource $Mailbox | Format-List
}

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

# 2. A management scope that holds the sending mailbox, or the members of $Group.
#    An existing scope is left as it is: check its filter in Part 1.
if ($Group) {
    $Filter = 'MemberOfGroup -eq ''' + (Get-Group -Identity $Group).DistinguishedName.Replace("'", "''") + ''''
} else {
    $Filter = 'PrimarySmtpAddress -eq ''' + $Mailbox.Replace("'", "''") + ''''
}
if (-not (Get-ManagementScope -Identity $ScopeName -ErrorAction SilentlyContinue)) {
    New-ManagementScope -Name $ScopeName -RecipientRestrictionFilter $Filter
}

# 3. Assign the role Application SMTP.SendAsApp to the app over that scope.
if (-not (Get-ManagementRoleAssignment -Identity $Assignment -ErrorAction SilentlyContinue)) {
    New-ManagementRoleAssignment -Name $Assignment -Role 'Application SMTP.SendAsApp' -App $AppId -CustomResourceScope $ScopeName
}

# Only if Part 1 showed SmtpClientAuthenticationDisabled True: enable SMTP AUTH for this mailbox
# (this overrides the organization's setting), or for the whole organization.
# Set-CASMailbox -Identity $Mailbox -SmtpClientAuthenticationDisabled $false
# Set-TransportConfig -SmtpClientAuthenticationDisabled $false

# Changes reach Exchange Online after 15 to 30 minutes, role assignments after 30 minutes to 2 hours;
# then Test-ServicePrincipalAuthorization (Part 1) shows InScope True, and the test in smtpoauth can pass.
