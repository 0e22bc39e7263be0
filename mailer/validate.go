package mailer

import (
	"fmt"
	"net"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
)

// FieldError says which input is wrong and why, in the admin's words, in English and German.
// The store and the CLI share these rules so that a profile the console accepts is one the
// check accepts.
type FieldError struct {
	Field     string
	Message   string
	MessageDE string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

// In returns the message in a language ("de" or anything else for English).
func (e *FieldError) In(lang string) string {
	if lang == "de" && e.MessageDE != "" {
		return e.MessageDE
	}
	return e.Message
}

// fieldErr builds a FieldError in both languages.
func fieldErr(field, en, de string) *FieldError {
	return &FieldError{Field: field, Message: en, MessageDE: de}
}

// Bounds on free-text fields: generous for real values, small enough that nothing typed into a
// form can grow the database or a page by much.
const (
	maxSecret   = 1024
	maxHostPort = 255 + len(":65535")
)

const (
	noControlEN = "must not contain line breaks or control characters"
	noControlDE = "darf keine Zeilenumbrüche oder Steuerzeichen enthalten"
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
		return fieldErr("tenant", "enter the directory (tenant) ID or a verified domain such as contoso.onmicrosoft.com",
			"Verzeichnis-ID (Mandanten-ID) oder eine verifizierte Domäne wie contoso.onmicrosoft.com eingeben")
	case hasControl(s):
		return fieldErr("tenant", noControlEN, noControlDE)
	case len(s) > 253:
		return fieldErr("tenant", "a domain name may have at most 253 characters", "ein Domänenname darf höchstens 253 Zeichen haben")
	case IsGUID(s), domainPattern.MatchString(s):
		return nil
	case strings.EqualFold(s, "common"), strings.EqualFold(s, "organizations"), strings.EqualFold(s, "consumers"):
		return fieldErr("tenant", fmt.Sprintf("%q is not a tenant: app-only tokens need the directory (tenant) ID or a verified domain", s),
			fmt.Sprintf("%q ist kein Mandant: App-Token brauchen die Verzeichnis-ID (Mandanten-ID) oder eine verifizierte Domäne", s))
	}
	return fieldErr("tenant", fmt.Sprintf("%q is neither a directory (tenant) ID (a GUID) nor a domain name", s),
		fmt.Sprintf("%q ist weder eine Verzeichnis-ID (GUID) noch ein Domänenname", s))
}

// ValidateClientID accepts the application (client) ID, which is always a GUID.
func ValidateClientID(s string) error {
	switch {
	case s == "":
		return fieldErr("client_id", "enter the application (client) ID from the app registration's overview page",
			"Anwendungs-ID (Client-ID) von der Übersichtsseite der App-Registrierung eingeben")
	case !IsGUID(s):
		return fieldErr("client_id", "the application (client) ID is a GUID like 00000000-0000-0000-0000-000000000000",
			"die Anwendungs-ID (Client-ID) ist eine GUID wie 00000000-0000-0000-0000-000000000000")
	}
	return nil
}

// ValidateMailbox accepts a bare address such as billing@contoso.com; field names the input.
func ValidateMailbox(field, s string) error {
	if s == "" {
		return fieldErr(field, "enter an email address such as billing@contoso.com", "E-Mail-Adresse wie billing@contoso.com eingeben")
	}
	if hasControl(s) {
		return fieldErr(field, noControlEN, noControlDE)
	}
	if len(s) > 1024 { // far too long to be an address: say so without echoing it
		return fieldErr(field, "an email address may have at most 254 characters", "eine E-Mail-Adresse darf höchstens 254 Zeichen haben")
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" || strings.ContainsAny(s, " <>\"") {
		return fieldErr(field, fmt.Sprintf("%q is not an email address such as billing@contoso.com", s),
			fmt.Sprintf("%q ist keine E-Mail-Adresse wie billing@contoso.com", s))
	}
	at := strings.LastIndexByte(s, '@')
	// RFC 5321 section 4.5.3.1: a local part of at most 64 octets, a domain of at most 255, and
	// a path of at most 256 including the angle brackets.
	switch {
	case at > 64:
		return fieldErr(field, "the part before the @ may have at most 64 characters", "der Teil vor dem @ darf höchstens 64 Zeichen haben")
	case len(s)-at-1 > 255:
		return fieldErr(field, "the domain after the @ may have at most 255 characters", "die Domäne nach dem @ darf höchstens 255 Zeichen haben")
	case len(s) > 254:
		return fieldErr(field, "an email address may have at most 254 characters", "eine E-Mail-Adresse darf höchstens 254 Zeichen haben")
	}
	if !domainPattern.MatchString(s[at+1:]) {
		return fieldErr(field, fmt.Sprintf("the domain of %q is not a valid domain name", s), fmt.Sprintf("die Domäne von %q ist kein gültiger Domänenname", s))
	}
	return nil
}

// ValidateSecret refuses an empty secret or one with line breaks; it never echoes the value.
func ValidateSecret(s string) error {
	switch {
	case s == "":
		return fieldErr("secret", "enter the client secret's Value (shown once when the secret was created)",
			"den Wert des geheimen Clientschlüssels eingeben (wird nur einmal beim Erstellen angezeigt)")
	case len(s) > maxSecret:
		return fieldErr("secret", fmt.Sprintf("a client secret has at most %d characters: was something else pasted?", maxSecret),
			fmt.Sprintf("ein geheimer Clientschlüssel hat höchstens %d Zeichen: wurde etwas anderes eingefügt?", maxSecret))
	case hasControl(s):
		return fieldErr("secret", "must not contain line breaks or control characters (was a file with a trailing newline pasted?)",
			"darf keine Zeilenumbrüche oder Steuerzeichen enthalten (wurde eine Datei mit Zeilenende eingefügt?)")
	}
	return nil
}

// SecretLooksLikeID warns about the classic mistake of pasting the secret's ID instead of its value.
func SecretLooksLikeID(s string) bool { return IsGUID(strings.TrimSpace(s)) }

// ValidateHostPort accepts an SMTP override such as smtp.office365.com:587.
func ValidateHostPort(field, s string) error {
	if hasControl(s) {
		return fieldErr(field, noControlEN, noControlDE)
	}
	if len(s) > maxHostPort {
		return fieldErr(field, fmt.Sprintf("host:port may have at most %d characters", maxHostPort), fmt.Sprintf("Host:Port darf höchstens %d Zeichen haben", maxHostPort))
	}
	host, port, err := net.SplitHostPort(s)
	if err != nil || host == "" {
		return fieldErr(field, fmt.Sprintf("%q is not host:port such as smtp.office365.com:587", s), fmt.Sprintf("%q ist nicht Host:Port wie smtp.office365.com:587", s))
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return fieldErr(field, fmt.Sprintf("port %q is not a number from 1 to 65535", port), fmt.Sprintf("Port %q ist keine Zahl von 1 bis 65535", port))
	}
	return nil
}

// ValidateAuthority accepts an https URL without a path, such as https://login.microsoftonline.com.
func ValidateAuthority(field, s string) error {
	if hasControl(s) {
		return fieldErr(field, noControlEN, noControlDE)
	}
	if len(s) > maxHostPort+len("https://") {
		return fieldErr(field, fmt.Sprintf("the URL may have at most %d characters", maxHostPort+len("https://")),
			fmt.Sprintf("die URL darf höchstens %d Zeichen haben", maxHostPort+len("https://")))
	}
	rest, ok := strings.CutPrefix(s, "https://")
	if !ok || rest == "" || strings.ContainsAny(strings.TrimRight(rest, "/"), "/?#@ ") {
		return fieldErr(field, fmt.Sprintf("%q is not an https URL without a path, such as https://login.microsoftonline.com", s),
			fmt.Sprintf("%q ist keine https-URL ohne Pfad wie https://login.microsoftonline.com", s))
	}
	return nil
}

// ValidateText refuses control characters in a one-line value that reaches a mail header.
func ValidateText(field, s string) error {
	if hasControl(s) {
		return fieldErr(field, noControlEN, noControlDE)
	}
	return nil
}
