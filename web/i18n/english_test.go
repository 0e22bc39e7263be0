package i18n_test

import (
	"strings"
	"testing"

	"github.com/smtpoauth/smtpoauth/web/i18n"
)

// An English reader sees the portal's English names only: the German names in brackets belong
// to the German pages (issue 13: the English checklist showed "App-Registrierungen").
func TestEnglish_NoGermanPortalNames(t *testing.T) {
	german := []string{"App-Registrierungen", "Unternehmensanwendung", "Geheimnisse", "Berechtigungen", "Übersicht", "Objekt-ID"}
	for key, text := range i18n.Texts()[i18n.EN] {
		for _, g := range german {
			if strings.Contains(text, g) {
				t.Errorf("English %q says %q: got German in %q", key, g, text)
			}
		}
		if strings.ContainsAny(text, "äöüÄÖÜß") {
			t.Errorf("English %q has German letters: %q", key, text)
		}
	}
}
