package mailer

import "errors"

// Request is one send test: which app, which mailbox, and whether to send a real message.
type Request struct {
	// ProfileName names the profile in the test message and the transcript.
	ProfileName string
	Cloud       Cloud
	Tenant      string
	ClientID    string
	Credential  Credential
	// Mailbox is the mailbox that authenticates (the XOAUTH2 user=).
	Mailbox string
	// From is the header and envelope sender; empty means Mailbox. A different address needs SendAs.
	From string
	// To is the test recipient; empty stops the test after AUTH.
	To string
	// SMTPAddr and Authority override the cloud's endpoints (host:port, https URL).
	SMTPAddr  string
	Authority string
	// AuthModel is how the connection says Exchange authorises the app; it ranks the causes of a
	// 535 5.7.3. Empty means AuthModelUnsure.
	AuthModel AuthModel
	// ReuseToken lets the check use a token an earlier run of the same connection fetched, while
	// it has more than a few minutes left. Fleet and scheduled runs set it; "Test now" never does,
	// because a permission change only shows in a new token.
	ReuseToken bool
	// Tokens, when set, is asked for the run's token instead of the client asking Entra ID
	// itself: the fleet runner hands one in to reuse tokens and pace token requests. Nil
	// means every run fetches its own token. It is wiring, never data: a request written out
	// (a job's arguments, say) leaves it behind.
	Tokens TokenSource `json:"-"`
}

// Validate checks a request with the same rules the store applies to profiles.
func (r *Request) Validate() error {
	if _, err := CloudEndpoints(r.Cloud); err != nil {
		return fieldErr("cloud", FieldCloudUnknown, string(r.Cloud))
	}
	checks := []error{ValidateTenant(r.Tenant), ValidateClientID(r.ClientID), ValidateMailbox("mailbox", r.Mailbox),
		ValidateText("profile", r.ProfileName)}
	if r.From != "" {
		checks = append(checks, ValidateMailbox("from", r.From))
	}
	if r.To != "" {
		checks = append(checks, ValidateMailbox("to", r.To))
	}
	if r.SMTPAddr != "" {
		checks = append(checks, ValidateHostPort("smtp_host", r.SMTPAddr))
	}
	if r.Authority != "" {
		checks = append(checks, ValidateAuthority("authority", r.Authority))
	}
	if r.AuthModel != "" {
		_, err := ParseAuthModel(string(r.AuthModel))
		checks = append(checks, err)
	}
	if r.Credential.Certificate == nil {
		checks = append(checks, ValidateSecret(r.Credential.Secret))
	}
	return errors.Join(checks...)
}

// Endpoints are the cloud's endpoints with the request's overrides applied.
func (r *Request) Endpoints() Endpoints {
	ep, _ := CloudEndpoints(r.Cloud)
	if r.SMTPAddr != "" {
		ep.SMTPAddr = r.SMTPAddr
	}
	if r.Authority != "" {
		ep.Authority = r.Authority
	}
	return ep
}

// Sender is the header and envelope sender: From, or the authenticating mailbox.
func (r *Request) Sender() string {
	if r.From != "" {
		return r.From
	}
	return r.Mailbox
}
