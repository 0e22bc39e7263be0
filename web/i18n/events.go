package i18n

import (
	"regexp"

	"github.com/smtpoauth/smtpoauth/mailer"
)

// eventPatterns recognise smtpoauth's own transcript notes, which the checker writes in English
// (the saved transcript and the evidence pack stay as they were written), so that a page can show
// them in the reader's language. Each captured group is an argument of the key's text; values
// from outside (addresses, error texts of the network) are shown as they came. Order matters:
// the first match wins.
var eventPatterns = []struct {
	re  *regexp.Regexp
	key string
}{
	{regexp.MustCompile(`^requesting an app-only token from (\S+) \(scope (\S+), client (\S+), client secret\)$`), "ev.token_request_secret"},
	{regexp.MustCompile(`^requesting an app-only token from (\S+) \(scope (\S+), client (\S+), certificate (\S+)\)$`), "ev.token_request_cert"},
	{regexp.MustCompile(`^Entra ID refused \(HTTP (\d+), ([^)]*)\): (.*)$`), "ev.entra_refused"},
	{regexp.MustCompile(`^trace ID (.*), correlation ID (.*), timestamp (.*)$`), "ev.trace"},
	{regexp.MustCompile(`^no token: (.*)$`), "ev.no_token"},
	{regexp.MustCompile(`^reusing the token an earlier test of this connection fetched \(expires (\S+)\): bearer token (\S+) bytes, sha256 (\S+)$`), "ev.token_reused"},
	{regexp.MustCompile(`^try (\d+) of (\d+) ended with a temporary failure \((.*)\); trying again in (\S+)$`), "ev.retry"},
	{regexp.MustCompile(`^token received: bearer token (\S+) bytes, sha256 (\S+)$`), "ev.token_received"},
	{regexp.MustCompile(`^claim (\S+) ok:\s*$`), "ev.claim_ok"},
	{regexp.MustCompile(`^claim (\S+) ok: (.+)$`), "ev.claim_ok_detail"},
	{regexp.MustCompile(`^claim (\S+) PROBLEM:\s*$`), "ev.claim_problem"},
	{regexp.MustCompile(`^claim (\S+) PROBLEM: (.+)$`), "ev.claim_problem_detail"},
	{regexp.MustCompile(`^connecting to (\S+) \(connect timeout (\S+)\)$`), "ev.connecting"},
	{regexp.MustCompile(`^connection failed: (.*)$`), "ev.connect_failed"},
	{regexp.MustCompile(`^connected to (\S+) from (\S+)$`), "ev.connected"},
	{regexp.MustCompile(`^the server does not offer STARTTLS: stopping before anything secret is sent$`), "ev.no_starttls"},
	{regexp.MustCompile(`^TLS handshake failed: (.*)$`), "ev.tls_failed"},
	{regexp.MustCompile(`^TLS established: ([^,]+), (\S+)$`), "ev.tls_ok"},
	{regexp.MustCompile(`^server certificate: subject (".*"), issuer (".*"), names (.*), valid until (\S+) \(verified for (.*)\)$`), "ev.server_cert"},
	{regexp.MustCompile(`^the server offers AUTH (".*"), not XOAUTH2$`), "ev.no_xoauth2"},
	{regexp.MustCompile(`^a second challenge after the empty response: cancelling the authentication$`), "ev.second_challenge"},
	{regexp.MustCompile(`^an address is not plain ASCII and the server does not offer SMTPUTF8: it will probably refuse it$`), "ev.no_smtputf8"},
	{regexp.MustCompile(`^QUIT could not be sent: (.*)$`), "ev.quit_unsent"},
	{regexp.MustCompile(`^no answer to QUIT within (\S+): closing the connection$`), "ev.quit_timeout"},
	{regexp.MustCompile(`^no answer to QUIT: the server closed the connection$`), "ev.quit_closed"},
	{regexp.MustCompile(`^no answer to QUIT: (.*)$`), "ev.quit_err"},
	{regexp.MustCompile(`^no answer within the reply timeout$`), "ev.reply_timeout"},
	{regexp.MustCompile(`^the server closed the connection$`), "ev.closed"},
	{regexp.MustCompile(`^not a valid SMTP reply: (.*)$`), "ev.bad_reply"},
}

// EventText is a transcript line as a reader of language l sees it: smtpoauth's notes in l, what
// client and server said exactly as it was said. A note no pattern knows is shown as written.
func EventText(l Lang, e mailer.Event) string {
	if e.Dir != mailer.Info || l == EN {
		return e.Text
	}
	for _, p := range eventPatterns {
		m := p.re.FindStringSubmatch(e.Text)
		if m == nil {
			continue
		}
		args := make([]any, len(m)-1)
		for i, a := range m[1:] {
			args[i] = a
		}
		return Tr(l, p.key, args...)
	}
	return e.Text
}
