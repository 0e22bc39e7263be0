package mailer_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

// Addresses longer than RFC 5321 allows are refused with the rule, in English and German.
func TestValidateMailbox_LengthLimits(t *testing.T) {
	for name, tc := range map[string]struct{ addr, want string }{
		"LocalPartOver64": {strings.Repeat("a", 65) + "@contoso.com", "64"},
		"PathOver254":     {strings.Repeat("a", 60) + "@" + strings.Repeat("b", 63) + "." + strings.Repeat("c", 63) + "." + strings.Repeat("d", 63) + ".com", "254"},
		"Huge":            {strings.Repeat("x", 10<<20) + "@contoso.com", "254"},
	} {
		t.Run(name, func(t *testing.T) {
			var fe *mailer.FieldError
			if err := mailer.ValidateMailbox("mailbox", tc.addr); !errors.As(err, &fe) || !strings.Contains(i18n.Msg(i18n.EN, fe.Message), tc.want) || !strings.Contains(i18n.Msg(i18n.DE, fe.Message), tc.want) {
				t.Fatalf("got %v, want a message naming %s", err, tc.want)
			}
			if msg := i18n.Msg(i18n.EN, fe.Message); len(msg) > 200 {
				t.Fatalf("the message is %d bytes long: it echoes the input", len(msg))
			}
		})
	}
	if err := mailer.ValidateMailbox("mailbox", strings.Repeat("a", 64)+"@contoso.com"); err != nil {
		t.Fatalf("a 64-character local part: %v", err)
	}
	for field, check := range map[string]func(string) error{
		"secret":    mailer.ValidateSecret,
		"tenant":    mailer.ValidateTenant,
		"smtp_host": func(s string) error { return mailer.ValidateHostPort("smtp_host", s+":587") },
		"authority": func(s string) error { return mailer.ValidateAuthority("authority", "https://"+s) },
	} {
		var fe *mailer.FieldError
		if err := check(strings.Repeat("a", 4096)); !errors.As(err, &fe) || !strings.Contains(i18n.Msg(i18n.EN, fe.Message), "at most") {
			t.Errorf("%s of 4096 characters: got %v, want a length error", field, err)
		}
	}
}
