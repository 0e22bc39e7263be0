package i18n_test

import (
	"strings"
	"testing"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

// Every diagnosis has its German: title, explanation and the same steps with the same commands.
func TestCatalogue_GermanComplete(t *testing.T) {
	en, de := i18n.Catalogue(i18n.EN), i18n.Catalogue(i18n.DE)
	for i := range en {
		e, d := en[i], de[i]
		if d.Title == "" || d.Title == e.Title && e.Code != mailer.CodeTokenNotJSON {
			t.Errorf("%s: German title %q", e.Code, d.Title)
		}
		if e.Explanation != "" && (d.Explanation == "" || d.Explanation == e.Explanation) {
			t.Errorf("%s: German explanation missing", e.Code)
		}
		if len(d.Steps) != len(e.Steps) {
			t.Fatalf("%s: %d German steps, %d English", e.Code, len(d.Steps), len(e.Steps))
		}
		for j := range e.Steps {
			if d.Steps[j].Text == e.Steps[j].Text {
				t.Errorf("%s step %d not translated: %q", e.Code, j+1, e.Steps[j].Text)
			}
			if d.Steps[j].Command != e.Steps[j].Command {
				t.Errorf("%s step %d: a command changed with the language", e.Code, j+1)
			}
		}
	}
}

func TestLocalize_KeepsQuoteCodeAndValues(t *testing.T) {
	d := mailer.Diagnose(mailer.Facts{Stage: mailer.StageAuth, Err: &mailer.ReplyError{Stage: mailer.StageAuth,
		Reply: mailer.Reply{Code: 535, Enhanced: "5.7.3", Lines: []string{"Authentication unsuccessful [X]"}}},
		Claims: &mailer.Claims{ObjectID: "a1000000-0000-4000-8000-000000000004", Roles: []string{mailer.SMTPRole}}, Req: mailer.Request{ClientID: "app-id", Mailbox: "billing@contoso.com"}})
	g := i18n.Localize(d, i18n.DE)
	if g.Code != d.Code || g.Quote != d.Quote || g.Title != "Exchange hat das Token abgelehnt (535 5.7.3)" {
		t.Fatalf("got %+v", g)
	}
	if g.Steps[1].Command != d.Steps[1].Command || d.Steps[1].Command == "" {
		t.Fatal("the filled-in command differs between languages")
	}
}

// A German reader learns what is wrong with the input in German; the English reading is the
// one the CLI always printed.
func TestLocalize_InputErrorInReadersLanguage(t *testing.T) {
	d := mailer.Diagnose(mailer.Facts{Stage: mailer.StageInput, Err: (&mailer.Request{Cloud: "global", Tenant: "common"}).Validate()})
	de, en := i18n.Localize(d, i18n.DE), i18n.Localize(d, i18n.EN)
	if want := `tenant: "common" ist kein Mandant`; !strings.HasPrefix(de.Explanation, want) || de.Detail != de.Explanation {
		t.Errorf("German: got %q, want it to start with %q", de.Explanation, want)
	}
	if want := `tenant: "common" is not a tenant: app-only tokens need`; !strings.HasPrefix(en.Explanation, want) {
		t.Errorf("English: got %q, want it to start with %q", en.Explanation, want)
	}
	if de.Title != "Die Verbindungsdaten sind unvollständig oder fehlerhaft" {
		t.Errorf("German title: got %q", de.Title)
	}
}

// A timeout names its step in the reader's language, for the stages named after what they
// measure and for the TLS stage's old name in runs saved before them.
func TestLocalize_TimeoutNamesTheStepInEveryStageName(t *testing.T) {
	for _, tc := range []struct {
		stage mailer.Stage
		lang  i18n.Lang
		want  string
	}{
		{mailer.StageEHLOTLS, i18n.EN, "At the EHLO after STARTTLS step: "},
		{mailer.StageEHLOTLS, i18n.DE, "Beim Schritt EHLO nach STARTTLS: "},
		{mailer.StageTLS, i18n.EN, "At the TLS step: "},
		{"tls", i18n.DE, "Beim Schritt TLS: "},
	} {
		d := i18n.Localize(&mailer.Diagnosis{Code: mailer.CodeSMTPTimeout, Stage: tc.stage}, tc.lang)
		if !strings.HasPrefix(d.Explanation, tc.want) {
			t.Errorf("%s in %s: got %q, want it to start %q", tc.stage, tc.lang, d.Explanation, tc.want)
		}
	}
}
