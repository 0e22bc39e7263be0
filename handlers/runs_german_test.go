package handlers_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// A German reader sees the run in German: smtpoauth's notes in the transcript, the step names
// ("Schritt Anmeldung", never "Schritt auth"), the verdict's facts and the stage timings. What
// client and server said stays as it was said.
func TestRunPage_GermanNotesAndStepNames(t *testing.T) {
	c := newConsole(t)
	paths := map[string]string{"missing-role": c.runScenario(t, "missing-role"), "no-service-principal": c.runScenario(t, "no-service-principal")}
	c.post(t, "/lang", url.Values{"lang": {"de"}})
	english := regexp.MustCompile(`requesting an app-only token|token received|connecting to|connected to|TLS established|server certificate|claim \S+ ok`)
	for name, path := range paths {
		_, body := c.get(t, path)
		d := doc(t, body)
		notes := d.Find(`li.ev-info .text`).Text()
		if notes == "" {
			t.Fatalf("%s: no notes in the transcript", name)
		}
		if m := english.FindString(notes); m != "" {
			t.Errorf("%s: the German transcript has the English note %q", name, m)
		}
		if !strings.Contains(notes, "Token erhalten") {
			t.Errorf("%s: got notes %q, want „Token erhalten“", name, notes)
		}
		diag := testid(d, "diagnosis").Text()
		if m := regexp.MustCompile(`Schritt (auth|claims|token|tls_handshake|ehlo_tls)\b`).FindString(diag); m != "" {
			t.Errorf("%s: got %q, want the step's German name", name, m)
		}
		timings := d.Find(".timings").Text()
		if strings.Contains(timings, "claims") || strings.Contains(timings, "tls_handshake") {
			t.Errorf("%s: the timings name the stages in code: %q", name, timings)
		}
		if facts := testid(d, "verdict-facts").Text(); !strings.Contains(facts, "Ergebnis") || !strings.Contains(facts, "Dauer") {
			t.Errorf("%s: got verdict facts %q, want Ergebnis and Dauer", name, facts)
		}
		// The server's reply is quoted verbatim.
		if server := d.Find(`li.ev-server .text`).Text(); !strings.Contains(server, "250") {
			t.Errorf("%s: got server lines %q", name, server)
		}
	}
}
