package exchange_test

import (
	"context"
	"encoding/base64"
	"errors"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/mailer/mailertest"
	"github.com/smtpoauth/smtpoauth/web/i18n"
)

// The token must never cross a connection that is not TLS: with STARTTLS missing, the server
// must never see AUTH, and no bytes that contain the token.
func TestCheck_NoSTARTTLSNeverSendsToken(t *testing.T) {
	srv, scenarios := mustFake(t)
	srv.SetFaults(mailertest.Faults{NoSTARTTLS: true})
	res, _ := runScenario(t, srv, mustScenario(t, scenarios, "works"))
	if res.OK || res.Diagnosis.Code != mailer.CodeSTARTTLSMissing {
		t.Fatalf("got %v, want STARTTLS_MISSING", res.Diagnosis)
	}
	tokens := srv.IssuedTokens()
	if len(tokens) != 1 {
		t.Fatalf("got %d tokens issued, want 1", len(tokens))
	}
	for _, sess := range srv.Sessions() {
		for _, line := range sess.Lines {
			if strings.HasPrefix(strings.ToUpper(line), "AUTH") || strings.Contains(line, tokens[0][:40]) {
				t.Fatalf("the server received %q on a connection without TLS", line)
			}
		}
	}
}

// Verification cannot be skipped by accident: a checker that does not trust the fake's CA — the
// zero value, using the system roots — must refuse its certificate and send nothing secret.
func TestCheck_CertificateVerificationCannotBeSkipped(t *testing.T) {
	srv, scenarios := mustFake(t)
	sc := mustScenario(t, scenarios, "works")
	req, _ := sc.Request(srv)
	// First the token endpoint: with the system roots the fake's test CA is unknown, so no token.
	checker := srv.Checker()
	checker.RootCAs = nil
	res := checker.Run(context.Background(), req, nil)
	if res.OK {
		t.Fatal("the check passed against a server whose certificate the checker does not trust")
	}
	if res.Stage != mailer.StageToken || res.Diagnosis.Code != mailer.CodeTokenUnreachable {
		t.Fatalf("got %s at %s, want the token endpoint's certificate refused", res.Diagnosis.Code, res.Stage)
	}
	srv.SetFaults(mailertest.Faults{WrongCertificate: true})
	res, _ = runScenario(t, srv, sc)
	if res.OK || res.Diagnosis.Code != mailer.CodeTLSVerify {
		t.Fatalf("got %+v, want TLS_VERIFY_FAILED", res.Diagnosis)
	}
	for _, sess := range srv.Sessions() {
		for _, line := range sess.Lines {
			if strings.HasPrefix(strings.ToUpper(line), "AUTH") {
				t.Fatalf("AUTH was sent over an unverified connection")
			}
		}
	}
}

// A failing dialer stands in for the network: DNS, routing and connect timeouts cannot be
// produced on loopback without sending traffic elsewhere.
func TestCheck_NetworkFailuresAtConnect(t *testing.T) {
	cases := []struct {
		name string
		dial func(ctx context.Context, network, addr string) (net.Conn, error)
		want string
	}{
		{"DNS", func(ctx context.Context, network, addr string) (net.Conn, error) {
			return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: "smtp.example.invalid", IsNotFound: true}}
		}, mailer.CodeSMTPDNS},
		{"Unreachable", func(ctx context.Context, network, addr string) (net.Conn, error) {
			return nil, &net.OpError{Op: "dial", Net: network, Err: syscall.EHOSTUNREACH}
		}, mailer.CodeSMTPUnreachable},
		{"ConnectTimeout", func(ctx context.Context, network, addr string) (net.Conn, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		}, mailer.CodeSMTPTimeout},
	}
	srv, scenarios := mustFake(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := mustScenario(t, scenarios, "works").Request(srv)
			checker := srv.Checker()
			// Only the SMTP connection fails; the token endpoint is reached as usual.
			checker.Dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
				if addr == srv.SMTPAddr {
					return tc.dial(ctx, network, addr)
				}
				return (&net.Dialer{}).DialContext(ctx, network, addr)
			}
			checker.ConnectTimeout = time.Second
			res := checker.Run(context.Background(), req, nil)
			if res.OK || res.Diagnosis.Code != tc.want || res.Stage != mailer.StageConnect {
				t.Fatalf("got %s at %s, want %s at connect", res.Diagnosis.Code, res.Stage, tc.want)
			}
		})
	}
}

// A server that stops answering at any step is a timeout at that step, not a hang.
func TestCheck_TimeoutAtEachStage(t *testing.T) {
	stages := map[string]mailer.Stage{"BANNER": mailer.StageBanner, "EHLO": mailer.StageEHLO, "STARTTLS": mailer.StageSTARTTLS,
		"AUTH": mailer.StageAuth, "MAIL": mailer.StageMail, "RCPT": mailer.StageRcpt, "DATA": mailer.StageData, "QUIT": mailer.StageQuit}
	for cmd, stage := range stages {
		t.Run(cmd, func(t *testing.T) {
			t.Parallel()
			srv, scenarios := mustFake(t)
			release := make(chan struct{})
			t.Cleanup(func() { close(release) })
			srv.SetFaults(mailertest.Faults{Hold: func(c string) {
				if c == cmd {
					<-release
				}
			}})
			req, _ := mustScenario(t, scenarios, "works").Request(srv)
			checker := srv.Checker()
			checker.ReplyTimeout = time.Second
			res := checker.Run(context.Background(), req, nil)
			if res.OK || res.Diagnosis.Code != mailer.CodeSMTPTimeout || res.Stage != stage {
				t.Fatalf("got %v at %s, want SMTP_TIMEOUT at %s", res.Diagnosis, res.Stage, stage)
			}
			if e := i18n.Localize(res.Diagnosis, i18n.EN).Explanation; !strings.Contains(e, "step") {
				t.Errorf("explanation does not name the step: %q", e)
			}
		})
	}
}

func TestCheck_OverallDeadlineAndCancel(t *testing.T) {
	srv, scenarios := mustFake(t)
	srv.SetFaults(mailertest.Faults{StallBanner: true})
	req, _ := mustScenario(t, scenarios, "works").Request(srv)
	checker := srv.Checker()
	checker.Deadline = 300 * time.Millisecond
	start := time.Now()
	res := checker.Run(context.Background(), req, nil)
	if res.OK || time.Since(start) > 5*time.Second {
		t.Fatalf("the overall deadline did not stop the check (took %s)", time.Since(start))
	}
	var ne *mailer.NetError
	if !errors.As(res.Err, &ne) || ne.Kind != "timeout" {
		t.Fatalf("got %v, want a timeout", res.Err)
	}
}

func TestCheck_EventsStreamBeforeTheEnd(t *testing.T) {
	srv, scenarios := mustFake(t)
	release := make(chan struct{})
	srv.SetFaults(mailertest.Faults{Hold: func(c string) {
		if c == "EHLO" {
			<-release
		}
	}})
	req, _ := mustScenario(t, scenarios, "works").Request(srv)
	got := make(chan mailer.Event, 100)
	done := make(chan *mailer.Result)
	go func() { done <- srv.Checker().Run(context.Background(), req, func(e mailer.Event) { got <- e }) }()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case e := <-got:
			if e.Dir == mailer.Server && strings.HasPrefix(e.Text, "220 ") {
				close(release) // the banner arrived while the check was still waiting on EHLO
				if res := <-done; !res.OK {
					t.Fatalf("check failed: %v", res.Err)
				}
				return
			}
		case <-done:
			t.Fatal("the check ended before the banner event was delivered")
		case <-deadline:
			t.Fatal("no banner event while the server held its EHLO reply")
		}
	}
}

// An error challenge after the token is answered with an empty response (through go-sasl's
// Next), and the server's next reply is what the check reports; the token is never sent twice.
func TestCheck_ErrorChallengeAnsweredEmptyThenFinalReplyReported(t *testing.T) {
	srv, scenarios := mustFake(t)
	challenge := base64.StdEncoding.EncodeToString([]byte(`{"status":"401","schemes":"bearer","scope":"https://outlook.office.com/.default"}`))
	srv.SetFaults(mailertest.Faults{Replies: map[string]string{"AUTH": "334 " + challenge}})
	res, _ := runScenario(t, srv, mustScenario(t, scenarios, "works"))
	if res.OK || res.Stage != mailer.StageAuth {
		t.Fatalf("got OK=%v at %s, want a failure at auth\n%s", res.OK, res.Stage, mailer.RenderText(res.Events))
	}
	transcript := mailer.RenderText(res.Events)
	if !strings.Contains(transcript, "C: (empty response to the error challenge)") {
		t.Fatalf("no empty response to the error challenge in\n%s", transcript)
	}
	if res.Reply == nil && res.Diagnosis.Quote == "" {
		t.Fatalf("the final reply is not reported\n%s", transcript)
	}
	if n := strings.Count(transcript, "<redacted: user="); n != 1 {
		t.Fatalf("token sent %d times, want once\n%s", n, transcript)
	}
}
