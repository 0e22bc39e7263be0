package i18n

// deEvents are smtpoauth's transcript notes in German (see enEvents). Values from outside, such
// as addresses and the network's error texts, stay as they came.
var deEvents = map[string]string{
	"ev.token_request_secret": "App-Token wird angefordert bei %s (Scope %s, Client %s, geheimer Clientschlüssel)",
	"ev.token_request_cert":   "App-Token wird angefordert bei %s (Scope %s, Client %s, Zertifikat %s)",
	"ev.entra_refused":        "Entra ID hat abgelehnt (HTTP %s, %s): %s",
	"ev.trace":                "Trace-ID %s, Correlation-ID %s, Zeitstempel %s",
	"ev.no_token":             "Kein Token erhalten: %s",
	"ev.token_received":       "Token erhalten: Bearer-Token mit %s Bytes, SHA-256 %s",
	"ev.claim_ok":             "Claim %s: in Ordnung",
	"ev.claim_ok_detail":      "Claim %s: in Ordnung – %s",
	"ev.claim_problem":        "Claim %s: PROBLEM",
	"ev.claim_problem_detail": "Claim %s: PROBLEM – %s",
	"ev.connecting":           "Verbindung zu %s wird aufgebaut (Timeout %s)",
	"ev.connect_failed":       "Verbindungsaufbau fehlgeschlagen: %s",
	"ev.connected":            "Verbunden mit %s (lokal %s)",
	"ev.no_starttls":          "Der Server bietet kein STARTTLS an: Abbruch, bevor etwas Geheimes übertragen wird",
	"ev.tls_failed":           "TLS-Handshake fehlgeschlagen: %s",
	"ev.tls_ok":               "TLS aufgebaut: %s, %s",
	"ev.server_cert":          "Serverzertifikat: Antragsteller %s, Aussteller %s, Namen %s, gültig bis %s (geprüft für %s)",
	"ev.no_xoauth2":           "Der Server bietet AUTH %s an, aber nicht XOAUTH2",
	"ev.second_challenge":     "Zweite Challenge nach der leeren Antwort: Anmeldung wird abgebrochen",
	"ev.no_smtputf8":          "Eine Adresse ist nicht reines ASCII, und der Server bietet kein SMTPUTF8 an: Er wird sie wahrscheinlich ablehnen",
	"ev.quit_unsent":          "QUIT konnte nicht gesendet werden: %s",
	"ev.quit_timeout":         "Keine Antwort auf QUIT innerhalb von %s: Verbindung wird geschlossen",
	"ev.quit_closed":          "Keine Antwort auf QUIT: Der Server hat die Verbindung geschlossen",
	"ev.quit_err":             "Keine Antwort auf QUIT: %s",
	"ev.reply_timeout":        "Innerhalb der Wartezeit kam keine Antwort",
	"ev.closed":               "Der Server hat die Verbindung geschlossen",
	"ev.bad_reply":            "Keine gültige SMTP-Antwort: %s",
}
