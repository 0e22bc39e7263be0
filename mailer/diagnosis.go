package mailer

import (
	"errors"
	"strings"
)

// Diagnosis is what happened, as something an admin can act on: a stable code and ordered
// remediation steps with the PowerShell filled in. The domain fills neither Title nor
// Explanation nor a step's Text: web/i18n's Localize puts them into a language from the code.
type Diagnosis struct {
	Code        string `json:"code"`
	Title       string `json:"title"`
	Explanation string `json:"explanation"`
	Steps       []Step `json:"remediation"`
	DocURL      string `json:"doc_url,omitempty"`
	// Quote is what the server or Entra said, verbatim, so the admin can search for it.
	Quote string `json:"quote,omitempty"`
	Stage Stage  `json:"stage"`
	// Temporary says that retrying unchanged can succeed; RetryAfterSeconds is the wait the
	// server asked for, zero when it named none.
	Temporary         bool `json:"temporary"`
	RetryAfterSeconds int  `json:"retry_after_seconds,omitempty"`
	// Values are what the steps were filled with, kept so the diagnosis can be shown in another language.
	Values DiagnosisValues `json:"values"`
	// Detail is the error text behind an input error, in words (filled by Localize).
	Detail string `json:"detail,omitempty"`
	// Input lists what was wrong with the input, as codes, for an input error.
	Input []*FieldError `json:"input,omitempty"`
	// Causes are the candidates a reply leaves open, most likely first (535 5.7.3 names no single
	// cause); empty when the reply names its cause. Localize puts their Msg into Text.
	Causes []Cause `json:"causes,omitempty"`
}

// DiagnosisValues are the profile's and token's values the remediation commands are filled with.
type DiagnosisValues struct {
	AppID, ObjectID, Mailbox, From, Tenant, Env string
	// Model is the connection's authorisation model; NoRoles says the token had no SMTP.SendAsApp.
	// Both rank the causes of a 535 5.7.3.
	Model   AuthModel
	NoRoles bool
}

// Step is one remediation step; Command, if set, is the exact command to run. Msg is the step's
// text as a code; Text holds it in words once web/i18n has localized the diagnosis.
type Step struct {
	Text    string  `json:"text"`
	Command string  `json:"command,omitempty"`
	Msg     Message `json:"-"`
}

// Facts are what Diagnose looks at: the error and everything known about the profile and token.
type Facts struct {
	Stage  Stage
	Err    error
	Claims *Claims
	Req    Request
	Ep     Endpoints
}

// Diagnose maps a failed check to the catalogue entry that explains it. It never returns nil.
func Diagnose(f Facts) *Diagnosis {
	v := newValues(f)
	var (
		fe *FieldError
		te *TokenError
		ce *ClaimsError
		re *ReplyError
		ne *NetError
	)
	var d *Diagnosis
	switch {
	case errors.As(f.Err, &fe):
		d = entryByCode(CodeInputInvalid).make(v)
		d.Input = fieldErrors(f.Err)
	case errors.As(f.Err, &te):
		d = diagnoseToken(te, v)
	case errors.As(f.Err, &ce):
		d = entryByCode(ce.Code).make(v)
	case errors.As(f.Err, &re):
		var e entry
		d, e = matchReply(re, v)
		d.Quote = re.Reply.String()
		switch e.temporary {
		case always:
			d.Temporary = true
		case never:
			d.Temporary = false
		default:
			d.Temporary = re.Temporary()
		}
	case errors.As(f.Err, &ne):
		d = diagnoseNet(ne, v)
	default:
		d = entryByCode(CodeInternal).make(v)
		d.Quote = f.Err.Error()
	}
	if d.Stage == "" {
		d.Stage = f.Stage
	}
	if errors.As(f.Err, &re) {
		d.Stage = re.Stage
	}
	if s := f.Req.Credential.Secret; s != "" {
		d.Quote = strings.ReplaceAll(d.Quote, s, "<redacted>")
	}
	return d
}

// fieldErrors collects the FieldErrors in err, which may join several.
func fieldErrors(err error) []*FieldError {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []*FieldError
		for _, e := range j.Unwrap() {
			out = append(out, fieldErrors(e)...)
		}
		return out
	}
	var fe *FieldError
	if errors.As(err, &fe) {
		return []*FieldError{fe}
	}
	return nil
}

func diagnoseNet(ne *NetError, v values) *Diagnosis {
	code := map[string]string{
		"dns": CodeSMTPDNS, "refused": CodeSMTPRefused, "timeout": CodeSMTPTimeout, "closed": CodeSMTPClosed,
		"unreachable": CodeSMTPUnreachable, "no_starttls": CodeSTARTTLSMissing, "tls_verify": CodeTLSVerify,
		"tls_version": CodeTLSVersion, "tls_handshake": CodeTLSHandshake, "no_xoauth2": CodeXOAUTH2NotOffered,
		"protocol": CodeSMTPProtocol, "refused_by_policy": CodeTargetRefused,
	}[ne.Kind]
	if code == "" {
		code = CodeSMTPUnreachable
	}
	d := entryByCode(code).make(v)
	d.Stage = ne.Stage
	d.Temporary = ne.Temporary()
	d.Quote = ne.Err.Error()
	return d
}

// matchReply finds the entry for an SMTP reply by code, enhanced code and stage, and by key
// identifiers only where Exchange reuses a code (5.2.0 for several store exceptions), never by
// the whole text: host names, timestamps and IDs vary, and some tenants get localized text.
// A reply no entry knows is classified by its RFC 3463 enhanced code.
func matchReply(re *ReplyError, v values) (*Diagnosis, entry) {
	text := strings.ToLower(re.Reply.Text())
	for _, e := range entries() {
		if e.reply != nil && e.reply(re.Reply.Code, re.Reply.Enhanced, text, re.Stage) {
			if e.Code == CodeAuthUnsuccessful && v.NoRoles { // the token decides which model Exchange applied
				e = entryByCode(CodeAuthUnsuccessfulNoRoles)
			}
			return e.make(v), e
		}
	}
	e := entryByCode(classCode(re.Reply.Enhanced))
	return e.make(v), e
}

// values fill the remediation commands; unknown ones become a clear placeholder.
type values struct {
	AppID, ObjectID, Mailbox, From, Tenant, Env string
	Model                                       AuthModel
	NoRoles                                     bool
}

func newValues(f Facts) values {
	v := values{AppID: f.Req.ClientID, Mailbox: f.Req.Mailbox, From: f.Req.Sender(), Tenant: f.Req.Tenant, Env: f.Ep.ExchangeEnvironment,
		Model: f.Req.AuthModel}
	if v.Model == "" {
		v.Model = AuthModelUnsure
	}
	if f.Claims != nil {
		v.ObjectID = f.Claims.ObjectID
		v.NoRoles = !f.Claims.HasSMTPRole()
	}
	orPlaceholder := func(s *string, placeholder string) {
		if *s == "" {
			*s = placeholder
		}
	}
	orPlaceholder(&v.AppID, "<application (client) ID>")
	orPlaceholder(&v.ObjectID, diagnosisOIDPlaceholder)
	orPlaceholder(&v.Mailbox, "<mailbox>")
	orPlaceholder(&v.From, "<sender address>")
	orPlaceholder(&v.Tenant, "<tenant>")
	return v
}

// PSQuote quotes a value as a PowerShell single-quoted string. PowerShell treats the typographic
// single quotes as quotes too, so every one of them is doubled, not only the ASCII one.
func PSQuote(s string) string {
	var b strings.Builder
	b.WriteByte('\'')
	for _, r := range s {
		switch r {
		case '\'', '\u2018', '\u2019', '\u201a', '\u201b':
			b.WriteRune(r)
		}
		b.WriteRune(r)
	}
	b.WriteByte('\'')
	return b.String()
}

// diagnosisOIDPlaceholder stands in a diagnosis's commands for the Enterprise application's
// object ID until a token showed it.
const diagnosisOIDPlaceholder = "<object ID from Enterprise applications>"

// knowsObjectID says the values carry the real object ID, not a placeholder or nothing.
func (v values) knowsObjectID() bool {
	return v.ObjectID != "" && v.ObjectID != diagnosisOIDPlaceholder && v.ObjectID != objectIDPlaceholder
}

func (v values) export() DiagnosisValues {
	return DiagnosisValues(v)
}

func (dv DiagnosisValues) values() values {
	return values(dv)
}

func (v values) connect() string {
	cmd := "Connect-ExchangeOnline"
	if v.Env != "" {
		cmd += " -ExchangeEnvironmentName " + v.Env
	}
	return cmd + " -Organization " + PSQuote(v.Tenant)
}
