package mailer

// AuthModel is how Exchange Online decides that an app may send as a mailbox. Checks, the
// checklist and the diagnoses assume AuthModelServicePrincipal today; the Exchange RBAC model
// (Microsoft Learn, "Role Based Access Control for Applications in Exchange Online") joins it
// here as a second value, with the rules that differ between the two.
type AuthModel string

// AuthModelServicePrincipal: the app holds the SMTP.SendAsApp application permission with admin
// consent in Entra ID, its service principal is registered in Exchange (New-ServicePrincipal)
// and has permission on the mailbox (Add-MailboxPermission). It is the model every check uses.
const AuthModelServicePrincipal AuthModel = "service-principal"
