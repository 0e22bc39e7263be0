package i18n

import "github.com/smtpoauth/smtpoauth/mailer"

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
