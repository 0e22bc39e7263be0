package i18n

// enEvents are smtpoauth's transcript notes in English, exactly as the checker writes them, so
// that EventText's patterns and these texts can be checked against each other.
var enEvents = map[string]string{
	"ev.token_request_secret": "requesting an app-only token from %s (scope %s, client %s, client secret)",
	"ev.token_request_cert":   "requesting an app-only token from %s (scope %s, client %s, certificate %s)",
	"ev.entra_refused":        "Entra ID refused (HTTP %s, %s): %s",
	"ev.trace":                "trace ID %s, correlation ID %s, timestamp %s",
	"ev.no_token":             "no token: %s",
	"ev.token_received":       "token received: bearer token %s bytes, sha256 %s",
	"ev.claim_ok":             "claim %s ok:",
	"ev.claim_ok_detail":      "claim %s ok: %s",
	"ev.claim_problem":        "claim %s PROBLEM:",
	"ev.claim_problem_detail": "claim %s PROBLEM: %s",
	"ev.connecting":           "connecting to %s (connect timeout %s)",
	"ev.connect_failed":       "connection failed: %s",
	"ev.connected":            "connected to %s from %s",
	"ev.no_starttls":          "the server does not offer STARTTLS: stopping before anything secret is sent",
	"ev.tls_failed":           "TLS handshake failed: %s",
	"ev.tls_ok":               "TLS established: %s, %s",
	"ev.server_cert":          "server certificate: subject %s, issuer %s, names %s, valid until %s (verified for %s)",
	"ev.no_xoauth2":           "the server offers AUTH %s, not XOAUTH2",
	"ev.second_challenge":     "a second challenge after the empty response: cancelling the authentication",
	"ev.no_smtputf8":          "an address is not plain ASCII and the server does not offer SMTPUTF8: it will probably refuse it",
	"ev.quit_unsent":          "QUIT could not be sent: %s",
	"ev.quit_timeout":         "no answer to QUIT within %s: closing the connection",
	"ev.quit_closed":          "no answer to QUIT: the server closed the connection",
	"ev.quit_err":             "no answer to QUIT: %s",
	"ev.reply_timeout":        "no answer within the reply timeout",
	"ev.closed":               "the server closed the connection",
	"ev.bad_reply":            "not a valid SMTP reply: %s",
}
