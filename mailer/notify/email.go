package notify

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/mailer/fleet"
)

// MaxRecipients bounds an alert's recipients: each is one message through the sender connection.
const MaxRecipients = 10

// Email sends alerts through one stored connection, the alert sender, with the same client as
// a check (token, STARTTLS, XOAUTH2). Build one per alert: it remembers which recipients have
// their copy, so that a retry does not send anyone a second one.
type Email struct {
	// Sender returns the sender connection's request, credential included (the store opens it).
	Sender func(ctx context.Context) (mailer.Request, error)
	// Send delivers subject and body to req.To (exchange.Checker.Send, wired by cmd).
	Send       func(ctx context.Context, req mailer.Request, subject, body string) *mailer.Result
	Recipients []string
	// Words renders the alert in the console's language.
	Words mailer.Words
	// ConsoleURL, when set, is linked to the run that caused the alert.
	ConsoleURL string

	done map[string]bool
}

// Channel names the channel in the history.
func (e *Email) Channel() string { return "email" }

// Notify sends a to every recipient not yet served. A diagnosis that retrying cannot cure (a
// refused credential, a missing permission) is permanent; its code is in the error.
func (e *Email) Notify(ctx context.Context, a fleet.Alert) error {
	if len(e.Recipients) == 0 {
		return fleet.Permanent(errors.New("e-mail: no recipients configured"))
	}
	if len(e.Recipients) > MaxRecipients {
		return fleet.Permanent(fmt.Errorf("e-mail: more than %d recipients", MaxRecipients))
	}
	req, err := e.Sender(ctx)
	if err != nil {
		return fleet.Permanent(fmt.Errorf("e-mail: the sender connection cannot be used: %w", err))
	}
	if e.done == nil {
		e.done = map[string]bool{}
	}
	subject, body := e.render(a)
	var errs []error
	permanent := true
	for _, to := range e.Recipients {
		if e.done[to] {
			continue
		}
		req.To = to
		res := e.Send(ctx, req, subject, body)
		if res.OK && res.Sent {
			e.done[to] = true
			continue
		}
		code, temporary := "UNKNOWN", true
		if res.Diagnosis != nil {
			code, temporary = res.Diagnosis.Code, res.Diagnosis.Temporary
		}
		permanent = permanent && !temporary
		errs = append(errs, fmt.Errorf("e-mail to %s through %s failed: %s", to, req.ProfileName, code))
	}
	if len(errs) == 0 {
		return nil
	}
	if permanent {
		return fleet.Permanent(errors.Join(errs...))
	}
	return errors.Join(errs...)
}

// render is the subject and body in the console's language.
func (e *Email) render(a fleet.Alert) (subject, body string) {
	words := e.Words
	if words == nil {
		words = func(code string, args ...string) string { return code + " " + strings.Join(args, " ") }
	}
	text := alertText(words, a)
	lines := []string{text, ""}
	if a.Connection != "" {
		lines = append(lines, words("alerts.mail_connection", a.Connection))
	}
	if a.Diagnosis != "" {
		lines = append(lines, words("alerts.mail_diagnosis", a.Diagnosis))
	}
	if a.RunID != "" && e.ConsoleURL != "" {
		lines = append(lines, words("alerts.mail_run", strings.TrimRight(e.ConsoleURL, "/")+"/runs/"+a.RunID))
	}
	lines = append(lines, "", words("alerts.mail_footer"))
	return "smtpoauth: " + text, strings.Join(lines, "\n")
}
