package i18n

import (
	"errors"
	"strings"

	"github.com/smtpoauth/smtpoauth/mailer"
)

// Msg puts a message of the domain or the store into words in a language.
func Msg(l Lang, m mailer.Message) string {
	args := make([]any, len(m.Args))
	for i, a := range m.Args {
		args[i] = a
	}
	return Tr(l, m.Code, args...)
}

// Fields puts each field's message into words, for a form that shows them beside the inputs.
func Fields(l Lang, fields map[string]mailer.Message) map[string]string {
	out := make(map[string]string, len(fields))
	for f, m := range fields {
		out[f] = Msg(l, m)
	}
	return out
}

// WordsIn is the catalogue of a language as the domain takes it, for the text it writes itself
// (the setup script's comments, the checklist, the PowerShell labels).
func WordsIn(l Lang) mailer.Words {
	return func(code string, args ...string) string { return Msg(l, mailer.Message{Code: code, Args: args}) }
}

// Error puts an error into words: each mailer.FieldError in it, joined or wrapped, reads as
// "field: message" (one per line); anything else says what it says.
func Error(l Lang, err error) string {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var lines []string
		for _, e := range j.Unwrap() {
			lines = append(lines, Error(l, e))
		}
		return strings.Join(lines, "\n")
	}
	var fe *mailer.FieldError
	if errors.As(err, &fe) {
		return strings.Replace(err.Error(), fe.Error(), fe.Field+": "+Msg(l, fe.Message), 1)
	}
	return err.Error()
}

// ClaimDetail is a claim check's verdict in words; a check saved before the catalogue has only
// its English detail, which is shown as it is.
func ClaimDetail(l Lang, c mailer.ClaimCheck) string {
	if c.Msg.Code == "" {
		return c.Detail
	}
	return Msg(l, c.Msg)
}

// ClaimChecks returns the checks with Detail in words of a language, for output that is not a page.
func ClaimChecks(l Lang, checks []mailer.ClaimCheck) []mailer.ClaimCheck {
	out := make([]mailer.ClaimCheck, len(checks))
	for i, c := range checks {
		c.Detail = ClaimDetail(l, c)
		out[i] = c
	}
	return out
}
