package mailer

import (
	"net"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
)

// FieldError says which input is wrong and why, as a code and arguments that the text catalogue
// (web/i18n) puts into the admin's words. The store and the CLI share these rules so that a
// profile the console accepts is one the check accepts.
type FieldError struct {
	Field string `json:"field"`
	Message
}

// Error names the field and the code; people read the catalogue's words instead.
func (e *FieldError) Error() string {
	return strings.Join(append([]string{e.Field + ": " + e.Code}, e.Args...), " ")
}

// NewFieldError builds a FieldError; the client (mailer/exchange) uses it for input it finds
// wrong only when it tries to use it.
func NewFieldError(field, code string, args ...string) *FieldError {
	return &FieldError{Field: field, Message: Msg(code, args...)}
}

// fieldErr is NewFieldError, short for the many rules in this package.
func fieldErr(field, code string, args ...string) *FieldError {
	return NewFieldError(field, code, args...)
}

// The codes of FieldError, one per sentence (see FieldCodes).
const (
	FieldNoControl           = "field.no_control"
	FieldTenantEmpty         = "field.tenant_empty"
	FieldTenantTooLong       = "field.tenant_too_long"
	FieldTenantMultitenant   = "field.tenant_multitenant"
	FieldTenantInvalid       = "field.tenant_invalid"
	FieldClientIDEmpty       = "field.client_id_empty"
	FieldClientIDInvalid     = "field.client_id_invalid"
	FieldMailboxEmpty        = "field.mailbox_empty"
	FieldMailboxTooLong      = "field.mailbox_too_long"
	FieldMailboxInvalid      = "field.mailbox_invalid"
	FieldMailboxLocalTooLong = "field.mailbox_local_too_long"
	FieldMailboxDomainLong   = "field.mailbox_domain_too_long"
	FieldMailboxDomain       = "field.mailbox_domain_invalid"
	FieldSecretEmpty         = "field.secret_empty"
	FieldSecretTooLong       = "field.secret_too_long"
	FieldSecretControl       = "field.secret_control"
	FieldHostPortTooLong     = "field.hostport_too_long"
	FieldHostPortInvalid     = "field.hostport_invalid"
	FieldPortInvalid         = "field.port_invalid"
	FieldURLTooLong          = "field.url_too_long"
	FieldURLInvalid          = "field.url_invalid"
	FieldEndpointRefused     = "field.endpoint_not_allowed"
	FieldCloudUnknown        = "field.cloud_unknown"
	FieldCertNoPEM           = "field.certificate_no_pem"
	FieldCertUnreadable      = "field.certificate_unreadable"
	FieldKeyNoPEM            = "field.private_key_no_pem"
	FieldKeyUnreadable       = "field.private_key_unreadable"
	FieldKeyNotRSA           = "field.private_key_not_rsa"
	FieldKeyMismatch         = "field.private_key_mismatch"
	FieldAuthModelUnknown    = "field.auth_model_unknown"
	// FieldVerbatim carries a system's own words (its one argument) unchanged in every language.
	FieldVerbatim = "field.verbatim"
)

// FieldCodes lists every FieldError code, so a test can prove each has words in every language.
func FieldCodes() []string {
	return []string{FieldNoControl, FieldTenantEmpty, FieldTenantTooLong, FieldTenantMultitenant, FieldTenantInvalid,
		FieldClientIDEmpty, FieldClientIDInvalid, FieldMailboxEmpty, FieldMailboxTooLong, FieldMailboxInvalid,
		FieldMailboxLocalTooLong, FieldMailboxDomainLong, FieldMailboxDomain, FieldSecretEmpty, FieldSecretTooLong,
		FieldSecretControl, FieldHostPortTooLong, FieldHostPortInvalid, FieldPortInvalid, FieldURLTooLong, FieldURLInvalid, FieldEndpointRefused,
		FieldCloudUnknown, FieldCertNoPEM, FieldCertUnreadable, FieldKeyNoPEM, FieldKeyUnreadable, FieldKeyNotRSA, FieldKeyMismatch, FieldVerbatim, FieldAuthModelUnknown}
}

// Bounds on free-text fields: generous for real values, small enough that nothing typed into a
// form can grow the database or a page by much.
const (
	maxSecret   = 1024
	maxHostPort = 255 + len(":65535")
)

var (
	guidPattern   = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	domainPattern = regexp.MustCompile(`^(?i)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)
)

// IsGUID reports whether s has the 8-4-4-4-12 hex shape of Entra IDs.
func IsGUID(s string) bool { return guidPattern.MatchString(s) }

// hasControl reports CR, LF, NUL or other control characters, which would let a value
// inject SMTP commands or headers.
func hasControl(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0
}

// ValidateTenant accepts a directory (tenant) ID or a verified domain such as contoso.onmicrosoft.com.
func ValidateTenant(s string) error {
	switch {
	case s == "":
		return fieldErr("tenant", FieldTenantEmpty)
	case hasControl(s):
		return fieldErr("tenant", FieldNoControl)
	case len(s) > 253:
		return fieldErr("tenant", FieldTenantTooLong)
	case IsGUID(s), domainPattern.MatchString(s):
		return nil
	case strings.EqualFold(s, "common"), strings.EqualFold(s, "organizations"), strings.EqualFold(s, "consumers"):
		return fieldErr("tenant", FieldTenantMultitenant, s)
	}
	return fieldErr("tenant", FieldTenantInvalid, s)
}

// ValidateClientID accepts the application (client) ID, which is always a GUID.
func ValidateClientID(s string) error {
	switch {
	case s == "":
		return fieldErr("client_id", FieldClientIDEmpty)
	case !IsGUID(s):
		return fieldErr("client_id", FieldClientIDInvalid)
	}
	return nil
}

// ValidateMailbox accepts a bare address such as billing@contoso.com; field names the input.
func ValidateMailbox(field, s string) error {
	if s == "" {
		return fieldErr(field, FieldMailboxEmpty)
	}
	if hasControl(s) {
		return fieldErr(field, FieldNoControl)
	}
	if len(s) > 1024 { // far too long to be an address: say so without echoing it
		return fieldErr(field, FieldMailboxTooLong)
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" || strings.ContainsAny(s, " <>\"") {
		return fieldErr(field, FieldMailboxInvalid, s)
	}
	at := strings.LastIndexByte(s, '@')
	// RFC 5321 section 4.5.3.1: a local part of at most 64 octets, a domain of at most 255, and
	// a path of at most 256 including the angle brackets.
	switch {
	case at > 64:
		return fieldErr(field, FieldMailboxLocalTooLong)
	case len(s)-at-1 > 255:
		return fieldErr(field, FieldMailboxDomainLong)
	case len(s) > 254:
		return fieldErr(field, FieldMailboxTooLong)
	}
	if !domainPattern.MatchString(s[at+1:]) {
		return fieldErr(field, FieldMailboxDomain, s)
	}
	return nil
}

// ValidateSecret refuses an empty secret or one with line breaks; it never echoes the value.
func ValidateSecret(s string) error {
	switch {
	case s == "":
		return fieldErr("secret", FieldSecretEmpty)
	case len(s) > maxSecret:
		return fieldErr("secret", FieldSecretTooLong, strconv.Itoa(maxSecret))
	case hasControl(s):
		return fieldErr("secret", FieldSecretControl)
	}
	return nil
}

// SecretLooksLikeID warns about the classic mistake of pasting the secret's ID instead of its value.
func SecretLooksLikeID(s string) bool { return IsGUID(strings.TrimSpace(s)) }

// ValidateHostPort accepts an SMTP override such as smtp.office365.com:587.
func ValidateHostPort(field, s string) error {
	if hasControl(s) {
		return fieldErr(field, FieldNoControl)
	}
	if len(s) > maxHostPort {
		return fieldErr(field, FieldHostPortTooLong, strconv.Itoa(maxHostPort))
	}
	host, port, err := net.SplitHostPort(s)
	if err != nil || host == "" {
		return fieldErr(field, FieldHostPortInvalid, s)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return fieldErr(field, FieldPortInvalid, port)
	}
	return nil
}

// ValidateAuthority accepts an https URL without a path, such as https://login.microsoftonline.com.
func ValidateAuthority(field, s string) error {
	if hasControl(s) {
		return fieldErr(field, FieldNoControl)
	}
	if len(s) > maxHostPort+len("https://") {
		return fieldErr(field, FieldURLTooLong, strconv.Itoa(maxHostPort+len("https://")))
	}
	rest, ok := strings.CutPrefix(s, "https://")
	if !ok || rest == "" || strings.ContainsAny(strings.TrimRight(rest, "/"), "/?#@ ") {
		return fieldErr(field, FieldURLInvalid, s)
	}
	return nil
}

// ValidateText refuses control characters in a one-line value that reaches a mail header.
func ValidateText(field, s string) error {
	if hasControl(s) {
		return fieldErr(field, FieldNoControl)
	}
	return nil
}
