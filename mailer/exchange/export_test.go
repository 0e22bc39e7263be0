package exchange

import (
	"context"
	"net/http"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
)

// DialForTest opens (and closes) one connection through the outbound policy, as a check would.
func (c *Checker) DialForTest(ctx context.Context, addr string) error {
	conn, err := c.dialContext(ctx, "tcp", addr)
	if conn != nil {
		conn.Close()
	}
	return err
}

// TokenErrorForTest is the error a check reports for a token endpoint's refusal with this
// status, headers and body: the real parser, without an HTTP round trip.
func TokenErrorForTest(status int, header http.Header, body []byte, now time.Time) error {
	return tokenErrorFromAnswer("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token", status, header, body, now)
}

// DialogueForTest runs only the SMTP dialogue of a check, with token as the issued token, and
// returns the result as Run would: scripted-server tests need no token endpoint.
func (c *Checker) DialogueForTest(ctx context.Context, req mailer.Request, token string) *mailer.Result {
	res := &mailer.Result{Started: c.now(), Timings: map[mailer.Stage]int64{}}
	tr := &transcript{start: res.Started, now: c.now, redact: []string{token}}
	run := &checkRun{Checker: c, req: req, ep: req.Endpoints(), tr: tr, res: res, token: token}
	err := run.dialogue(ctx)
	res.Finished = c.now()
	res.Events = tr.snapshot()
	res.OK = err == nil
	if err != nil {
		res.Err = err
		res.Error = tr.scrub(err.Error())
		res.Diagnosis = mailer.Diagnose(run.facts(err))
	} else {
		res.Stage = mailer.StageDone
	}
	return res
}
