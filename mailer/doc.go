// Package mailer is smtpoauth's domain: what a send test asks (Request: cloud, tenant, app,
// Credential, mailbox), what it finds (Result, its Stages and transcript Events, the typed
// failures), what that means (Diagnosis, chosen from the catalogue by its rules), and what an
// administrator does about it (the checklist, the PowerShell). It also holds the outbound Policy
// and the validation every entry point shares.
//
// It does no I/O of its own. Adapters implement its interfaces — mailer/exchange is the Checker
// that talks to Entra ID and Exchange Online — and import it; it imports none of them.
package mailer
