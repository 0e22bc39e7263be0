package mailer

import (
	"fmt"
	"net"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
)

// FieldError says which input is wrong and why, in the admin's words. The store and the CLI
// share these rules so that a profile the console accepts is one the check accepts.
type FieldError struct {
	Field   string
	Message string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

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
		return &FieldError{"tenant", "enter the directory (tenant) ID or a verified domain such as contoso.onmicrosoft.com"}
	case hasControl(s):
		return &FieldError{"tenant", "must not contain line breaks or control characters"}
	case IsGUID(s), domainPattern.MatchString(s):
		return nil
	case strings.EqualFold(s, "common"), strings.EqualFold(s, "organizations"), strings.EqualFold(s, "consumers"):
		return &FieldError{"tenant", fmt.Sprintf("%q is not a tenant: app-only tokens need the directory (tenant) ID or a verified domain", s)}
	}
	return &FieldError{"tenant", fmt.Sprintf("%q is neither a directory (tenant) ID (a GUID) nor a domain name", s)}
}

// ValidateClientID accepts the application (client) ID, which is always a GUID.
func ValidateClientID(s string) error {
	switch {
	case s == "":
		return &FieldError{"client_id", "enter the application (client) ID from the app registration's overview page"}
	case !IsGUID(s):
		return &FieldError{"client_id", "the application (client) ID is a GUID like 00000000-0000-0000-0000-000000000000"}
	}
	return nil
}

// ValidateMailbox accepts a bare address such as billing@contoso.com; field names the input.
func ValidateMailbox(field, s string) error {
	if s == "" {
		return &FieldError{field, "enter an email address such as billing@contoso.com"}
	}
	if hasControl(s) {
		return &FieldError{field, "must not contain line breaks or control characters"}
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" || strings.ContainsAny(s, " <>\"") {
		return &FieldError{field, fmt.Sprintf("%q is not an email address such as billing@contoso.com", s)}
	}
	at := strings.LastIndexByte(s, '@')
	if !domainPattern.MatchString(s[at+1:]) {
		return &FieldError{field, fmt.Sprintf("the domain of %q is not a valid domain name", s)}
	}
	return nil
}

// ValidateSecret refuses an empty secret or one with line breaks; it never echoes the value.
func ValidateSecret(s string) error {
	switch {
	case s == "":
		return &FieldError{"secret", "enter the client secret's Value (shown once when the secret was created)"}
	case hasControl(s):
		return &FieldError{"secret", "must not contain line breaks or control characters (was a file with a trailing newline pasted?)"}
	}
	return nil
}

// SecretLooksLikeID warns about the classic mistake of pasting the secret's ID instead of its value.
func SecretLooksLikeID(s string) bool { return IsGUID(strings.TrimSpace(s)) }

// ValidateHostPort accepts an SMTP override such as smtp.office365.com:587.
func ValidateHostPort(field, s string) error {
	if hasControl(s) {
		return &FieldError{field, "must not contain line breaks or control characters"}
	}
	host, port, err := net.SplitHostPort(s)
	if err != nil || host == "" {
		return &FieldError{field, fmt.Sprintf("%q is not host:port such as smtp.office365.com:587", s)}
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return &FieldError{field, fmt.Sprintf("port %q is not a number from 1 to 65535", port)}
	}
	return nil
}

// ValidateAuthority accepts an https URL without a path, such as https://login.microsoftonline.com.
func ValidateAuthority(field, s string) error {
	if hasControl(s) {
		return &FieldError{field, "must not contain line breaks or control characters"}
	}
	rest, ok := strings.CutPrefix(s, "https://")
	if !ok || rest == "" || strings.ContainsAny(strings.TrimRight(rest, "/"), "/?#@ ") {
		return &FieldError{field, fmt.Sprintf("%q is not an https URL without a path, such as https://login.microsoftonline.com", s)}
	}
	return nil
}

// ValidateText refuses control characters in a one-line value that reaches a mail header.
func ValidateText(field, s string) error {
	if hasControl(s) {
		return &FieldError{field, "must not contain line breaks or control characters"}
	}
	return nil
}
