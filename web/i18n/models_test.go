package i18n_test

import (
	"strings"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

// Every ranked cause of a 535 5.7.3, for every model and either token, has words in English and
// German, and the German is not the English.
func TestCauses_WordsInEveryLanguage(t *testing.T) {
	for _, code := range []string{mailer.CodeAuthUnsuccessful, mailer.CodeAuthUnsuccessfulNoRoles} {
		for _, model := range mailer.AuthModels() {
			d := &mailer.Diagnosis{Code: code, Values: mailer.DiagnosisValues{AppID: "a", ObjectID: "o", Mailbox: "m@contoso.com", Model: model, NoRoles: code == mailer.CodeAuthUnsuccessfulNoRoles}}
			en, de := i18n.Localize(d, i18n.EN), i18n.Localize(d, i18n.DE)
			if len(en.Causes) == 0 || len(en.Causes) != len(de.Causes) {
				t.Fatalf("%s/%s: %d English causes, %d German", code, model, len(en.Causes), len(de.Causes))
			}
			for i := range en.Causes {
				e, g := en.Causes[i].Text, de.Causes[i].Text
				if e == "" || strings.HasPrefix(e, "cause.") || g == e || strings.Contains(e+g, "%!") {
					t.Errorf("%s/%s cause %d: %q / %q", code, model, i+1, e, g)
				}
			}
		}
	}
}

// The roles note reads as a note in both languages, with its arguments in place.
func TestClaimRolesNone_Words(t *testing.T) {
	checks, failure := mailer.InspectClaims(&mailer.Claims{Audience: "https://outlook.office365.com", TenantID: "t", AppID: "a"},
		mustGlobal(t), "t", "a", mustNow())
	if failure != "" {
		t.Fatalf("got failure %s for a token without roles, want none", failure)
	}
	for _, c := range checks {
		if c.Claim != "roles" {
			continue
		}
		en, de := i18n.ClaimDetail(i18n.EN, c), i18n.ClaimDetail(i18n.DE, c)
		if !c.Note || !strings.Contains(en, "no SMTP.SendAsApp role (roles are (none))") || !strings.Contains(de, "keine Rolle SMTP.SendAsApp") {
			t.Fatalf("got %+v: %q / %q", c, en, de)
		}
	}
}

func mustGlobal(t *testing.T) mailer.Endpoints {
	t.Helper()
	ep, err := mailer.CloudEndpoints(mailer.CloudGlobal)
	if err != nil {
		t.Fatal(err)
	}
	return ep
}

func mustNow() time.Time { return time.Unix(1700000000, 0) }
