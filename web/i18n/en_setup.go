package i18n

// enSetup holds the words of the setup pages in English: the checklist (checklist.<n>), the
// comments of the setup script (script.<n>, top to bottom) and the labels of the PowerShell commands (ps.*), and the
// names of the Microsoft clouds. The commands themselves are not here: they are the same in every language.
var enSetup = map[string]string{
	// Microsoft clouds, by mailer.Cloud.
	"cloud.global":        "Global (commercial, GCC)",
	"cloud.usgov-gcchigh": "US Government GCC High",
	"cloud.usgov-dod":     "US Government DoD",
	"cloud.china":         "China (21Vianet)",

	// The checklist, in the order of its steps.
	"checklist.oid_unknown":              "the token's oid, shown here once a token was fetched",
	"checklist.prerequisites.title":      "Tenant and app registration exist",
	"checklist.prerequisites.what":       "A Microsoft 365 tenant with Exchange Online, and an app registration in Entra ID for the application that sends mail. The connection needs the Directory (tenant) ID and the Application (client) ID.",
	"checklist.prerequisites.where":      "Microsoft Entra admin center → App registrations (App-Registrierungen) → the app → Overview",
	"checklist.permission.title":         "SMTP.SendAsApp granted with admin consent",
	"checklist.permission.what":          "API permissions → Add a permission → APIs my organization uses → Office 365 Exchange Online → Application permissions → SMTP.SendAsApp, then “Grant admin consent”. smtpoauth sees the result in the token's roles claim.",
	"checklist.permission.where":         "Entra admin center → App registrations (App-Registrierungen) → the app → API permissions (API-Berechtigungen)",
	"checklist.secret.title":             "The client secret's Value (not its ID) is stored",
	"checklist.secret.what":              "Under Certificates & secrets the portal shows a secret's Value once, right after it is created, and its Secret ID always. Entra needs the Value; the ID (a GUID) gives AADSTS7000215.",
	"checklist.secret.where":             "Entra admin center → App registrations (App-Registrierungen) → the app → Certificates & secrets (Zertifikate & Geheimnisse)",
	"checklist.service-principal.title":  "Service principal registered in Exchange with the Enterprise application's object ID",
	"checklist.service-principal.what":   "New-ServicePrincipal links the app to Exchange. Its -ObjectId must be the object ID of the Enterprise application (%s), not the object ID shown under App registrations: the two differ, and the wrong one makes Exchange answer 535 5.7.3 Authentication unsuccessful.",
	"checklist.service-principal.where":  "Entra admin center → Enterprise applications (Unternehmensanwendungen) → the app → Overview → Object ID",
	"checklist.mailbox-permission.title": "Full access to the sending mailbox (%s)",
	"checklist.mailbox-permission.what":  "Add-MailboxPermission gives the service principal the right to use the mailbox named in XOAUTH2's user=.",
	"checklist.send-as.title":            "Send As for the From address (%s)",
	"checklist.send-as.what":             "Mail from another address than the authenticating mailbox needs Send As for the service principal; otherwise Exchange answers 554 5.2.252 SendAsDenied after DATA.",
	"checklist.smtp-auth.title":          "SMTP AUTH not disabled for the organization or the mailbox",
	"checklist.smtp-auth.what":           "SmtpClientAuthenticationDisabled gates OAuth too. Organizations created after January 2020 have it disabled; a mailbox setting overrides the organization's, and an empty mailbox value inherits it.",
	"checklist.smtp-auth.global_cloud":   "global cloud",
	"checklist.live-test.title":          "Live test passes",
	"checklist.live-test.what":           "Authenticate (and optionally send) through Exchange Online with the stored credentials.",
	"checklist.live-test.where":          "smtpoauth → Test now",
	"checklist.secret.finding_guid":      "The stored secret has the shape of a GUID: it is probably the Secret ID, not the Value.",

	// The setup script's comments, top to bottom.
	"script.1":  "# smtpoauth: Exchange Online setup for SMTP AUTH with OAuth 2.0 (XOAUTH2), app-only.",
	"script.2":  "# Connection: %s",
	"script.3":  "# The app signs in with a certificate (thumbprint %s); nothing here needs it.",
	"script.4":  "# The app signs in with a client secret; nothing here needs it, and it is not in this file.",
	"script.5":  "# Part 1 only reads. Part 2 changes Exchange; each change checks first, so running it twice is safe.",
	"script.6":  "# Run as an Exchange administrator in PowerShell 7 or Windows PowerShell 5.1.",
	"script.7":  "# Application (client) ID",
	"script.8":  "# Enterprise application's object ID (the token's oid), NOT the App registration's",
	"script.9":  "# the mailbox the app authenticates as (XOAUTH2 user=)",
	"script.10": "# the From address, which needs Send As",
	"script.11": "Set $ObjectId to the object ID shown under Entra ID > Enterprise applications (Unternehmensanwendungen) > this app. smtpoauth fills it in once a token was fetched.",
	"script.12": "# --- Connect ---------------------------------------------------------------",
	"script.13": "# --- Part 1: checks (read-only) ---------------------------------------------",
	"script.14": "# SMTP AUTH for the organization: False = allowed. It applies to OAuth as well as Basic.",
	"script.15": "# SMTP AUTH for the mailbox: False = allowed, True = disabled, empty = inherits the organization's setting.",
	"script.16": "# Authentication policies govern Basic authentication (user name and password) only. A policy such",
	"script.17": "# as the guide's BLOCK-BasicAuth does not block XOAUTH2: there is no need to remove it for smtpoauth.",
	"script.18": "# The service principal Exchange knows for this app; its ObjectId must equal $ObjectId.",
	"script.19": "# --- Part 2: changes ---------------------------------------------------------",
	"script.20": "# 1. Register the app's service principal in Exchange with the Enterprise application's object ID.",
	"script.21": "#    One registered with the App registration's object ID is the classic cause of 535 5.7.3: replace it.",
	"script.22": "Replacing the service principal registered with object ID ",
	"script.23": "# 2. Give the service principal full access to the sending mailbox.",
	"script.24": "# 3. Allow it to send as the From address.",
	"script.25": "# Only if Part 1 showed SmtpClientAuthenticationDisabled True: enable SMTP AUTH for this mailbox",
	"script.26": "# (this overrides the organization's setting), or for the whole organization.",
	"script.27": "# Changes reach Exchange Online after 15 to 30 minutes; then run the test in smtpoauth again.",

	// The labels of the setup commands.
	"ps.connect":         "Connect to Exchange Online (install the module once)",
	"ps.register":        "Register the app's service principal in Exchange (the object ID from Enterprise applications)",
	"ps.full_access":     "Give it full access to the sending mailbox",
	"ps.send_as":         "Allow it to send as %s",
	"ps.check_smtp_auth": "Check that SMTP AUTH is allowed (False = allowed; an empty mailbox value inherits the organization's)",
}
