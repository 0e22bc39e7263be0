package store

import (
	"errors"
	"sort"
	"strings"

	"github.com/smtpoauth/smtpoauth/mailer"
)

// ErrNotFound is returned when a profile or run does not exist.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a change would break a uniqueness rule, such as a profile name.
var ErrConflict = errors.New("conflict")

// ValidationError lists every invalid field with a message code that the text catalogue
// (web/i18n) puts into the admin's words. Nothing was saved.
type ValidationError struct {
	Fields map[string]mailer.Message
}

// The codes of the store's own messages (see Codes); field rules shared with the check are
// mailer.FieldError codes.
const (
	CodeNameEmpty        = "store.name_empty"
	CodeNameTooLong      = "store.name_too_long"
	CodeNotesTooLong     = "store.notes_too_long"
	CodeCloudUnknown     = "store.cloud_unknown"
	CodeExpiryDate       = "store.expiry_date_invalid"
	CodeCredentialKind   = "store.credential_kind_invalid"
	CodeCertWithKey      = "store.certificate_with_key"
	CodeCertUnusableKey  = "store.certificate_unusable_key"
	CodeKeyMisplaced     = "store.private_key_misplaced"
	CodeProfileNameTaken = "store.profile_name_taken"
	CodeUsernameInvalid  = "store.username_invalid"
	CodeRoleInvalid      = "store.role_invalid"
	CodeUsernameTaken    = "store.username_taken"
	CodeLastAdmin        = "store.last_admin"
	CodePasswordTooShort = "store.password_too_short"
	CodePasswordCommon   = "store.password_common"
	CodePasswordHasName  = "store.password_has_username"
)

// Codes lists every message code the store emits, so a test can prove each has words in every language.
func Codes() []string {
	return []string{CodeNameEmpty, CodeNameTooLong, CodeNotesTooLong, CodeCloudUnknown, CodeExpiryDate, CodeCredentialKind,
		CodeCertWithKey, CodeCertUnusableKey, CodeKeyMisplaced, CodeProfileNameTaken, CodeUsernameInvalid, CodeRoleInvalid,
		CodeUsernameTaken, CodeLastAdmin, CodePasswordTooShort, CodePasswordCommon, CodePasswordHasName,
		CodeTokenNameInvalid, CodeTokenScopes, CodeTokenLifetime, CodeTokenNameTaken,
		CodeTagsTooMany, CodeTagTooLong, CodeTagInvalid, CodeRetestInvalid, CodeSecretMissing, CodeImportTooLarge, CodeImportTooManyRows, CodeImportEmpty,
		CodeImportColumnUnknown, CodeImportColumnMissing, CodeImportColumnTwice, CodeImportSecretColumn, CodeImportFieldCount,
		CodeImportQuote, CodeImportUnreadable, CodeImportDuplicate, CodeImportSecretFile,
		CodeAlertSecretShort, CodeAlertSecretMissing, CodeAlertRecipients, CodeAlertSenderMissing, CodeAlertSenderNoSecret}
}

// fields collects field messages; the first message of a field wins.
type fields struct{ m map[string]mailer.Message }

func newFields() *fields { return &fields{m: map[string]mailer.Message{}} }

func (f *fields) add(field string, m mailer.Message) {
	if _, seen := f.m[field]; !seen {
		f.m[field] = m
	}
}

func (f *fields) err() error {
	if len(f.m) == 0 {
		return nil
	}
	return &ValidationError{Fields: f.m}
}

// invalid is a ValidationError for one field.
func invalid(field, code string, args ...string) *ValidationError {
	return &ValidationError{Fields: map[string]mailer.Message{field: mailer.Msg(code, args...)}}
}

func (e *ValidationError) Error() string {
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + strings.Join(append([]string{e.Fields[k].Code}, e.Fields[k].Args...), " ")
	}
	return "invalid profile: " + strings.Join(parts, "; ")
}

// ConflictError says which unique value is taken, as a message code and arguments.
type ConflictError struct {
	Field string
	mailer.Message
}

func (e *ConflictError) Error() string {
	return strings.Join(append([]string{e.Field + ": " + e.Code}, e.Args...), " ")
}

// Unwrap makes errors.Is(err, ErrConflict) true.
func (e *ConflictError) Unwrap() error { return ErrConflict }
