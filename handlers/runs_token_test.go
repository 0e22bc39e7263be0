package handlers_test

import (
	"context"
	"strings"
	"testing"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/store"
)

// The run page says in one line which token a run used: a fleet run that reused one says so,
// a "Test now" run says it fetched a new one, and a run that got no token says nothing.
func TestRunPage_SaysWhichTokenTheRunUsed(t *testing.T) {
	c := newConsole(t)
	ctx := context.Background()
	claims := &mailer.Claims{Audience: "https://outlook.office365.com"}
	for _, tc := range []struct {
		name string
		res  *mailer.Result
		want string
	}{
		{"reused", &mailer.Result{OK: true, Stage: mailer.StageDone, Claims: claims, TokenReused: true}, "reused from an earlier test"},
		{"fresh", &mailer.Result{OK: true, Stage: mailer.StageDone, Claims: claims}, "a new one, fetched for this test"},
		{"none", &mailer.Result{Stage: mailer.StageToken}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			run := &store.Run{ProfileName: "Contoso " + tc.name, StartedBy: "alice"}
			if err := c.DB.StartRun(ctx, run); err != nil {
				t.Fatal(err)
			}
			if err := c.DB.FinishRun(ctx, run.ID, tc.res); err != nil {
				t.Fatal(err)
			}
			_, body := c.get(t, "/runs/"+run.ID)
			got := strings.TrimSpace(testid(doc(t, body), "run-token").Text())
			if tc.want == "" && got != "" || !strings.Contains(got, tc.want) {
				t.Fatalf("got token line %q, want one containing %q", got, tc.want)
			}
		})
	}
}
