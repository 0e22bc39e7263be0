package notify_test

import (
	"context"
	"strings"
	"testing"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/mailer/fleet"
	"github.com/smtpoauth/smtpoauth/mailer/notify"
)

// sends records each message and fails the recipients in fail with diagnosis code.
type sends struct {
	to        []string
	fail      map[string]bool
	temporary bool
}

func (s *sends) send(_ context.Context, req mailer.Request, subject, body string) *mailer.Result {
	s.to = append(s.to, req.To)
	if s.fail[req.To] {
		return &mailer.Result{Diagnosis: &mailer.Diagnosis{Code: "SERVER_BUSY", Temporary: s.temporary}}
	}
	return &mailer.Result{OK: true, Sent: true}
}

func emailWith(s *sends, recipients ...string) *notify.Email {
	return &notify.Email{
		Sender:     func(context.Context) (mailer.Request, error) { return mailer.Request{ProfileName: "Alert sender"}, nil },
		Send:       s.send,
		Recipients: recipients,
	}
}

// A retry sends only to the recipients who have no copy yet.
func TestEmail_RetryServesOnlyTheMissing(t *testing.T) {
	s := &sends{fail: map[string]bool{"b@contoso.com": true}, temporary: true}
	e := emailWith(s, "a@contoso.com", "b@contoso.com")
	err := e.Notify(context.Background(), alert)
	if err == nil || fleet.IsPermanent(err) || !strings.Contains(err.Error(), "SERVER_BUSY") {
		t.Fatalf("got %v, want a temporary failure naming the diagnosis", err)
	}
	s.fail = nil
	if err := e.Notify(context.Background(), alert); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(s.to, " "); got != "a@contoso.com b@contoso.com b@contoso.com" {
		t.Fatalf("got sends %q, want b retried alone", got)
	}
}

func TestEmail_ErrPermanent(t *testing.T) {
	s := &sends{fail: map[string]bool{"a@contoso.com": true}}
	if err := emailWith(s, "a@contoso.com").Notify(context.Background(), alert); !fleet.IsPermanent(err) {
		t.Fatalf("refused credential: got %v, want permanent", err)
	}
	if err := emailWith(s).Notify(context.Background(), alert); !fleet.IsPermanent(err) {
		t.Fatalf("no recipients: got %v, want permanent", err)
	}
}
