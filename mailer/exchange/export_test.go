package exchange

import (
	"context"

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
