package exchange_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/mailer/mailertest"
)

func TestCheck_Scenarios(t *testing.T) {
	srv, scenarios := mustFake(t)
	for _, sc := range scenarios {
		t.Run(sc.Name, func(t *testing.T) {
			res, streamed := runScenario(t, srv, sc)
			if sc.WantCode == "" {
				if !res.OK {
					t.Fatalf("got failure %v (%s), want success\n%s", res.Err, res.Diagnosis.Code, mailer.RenderText(res.Events))
				}
			} else {
				if res.OK || res.Diagnosis == nil {
					t.Fatalf("got success, want %s\n%s", sc.WantCode, mailer.RenderText(res.Events))
				}
				if res.Diagnosis.Code != sc.WantCode {
					t.Fatalf("got diagnosis %s, want %s (err %v)\n%s", res.Diagnosis.Code, sc.WantCode, res.Err, mailer.RenderText(res.Events))
				}
			}
			if res.Stage != sc.WantStage {
				t.Errorf("got stage %s, want %s", res.Stage, sc.WantStage)
			}
			if len(streamed) != len(res.Events) {
				t.Errorf("streamed %d events, transcript has %d", len(streamed), len(res.Events))
			}
		})
	}
}

func TestCheck_SendsRealMessage(t *testing.T) {
	srv, scenarios := mustFake(t)
	res, _ := runScenario(t, srv, mustScenario(t, scenarios, "works"))
	if !res.OK || !res.Sent {
		t.Fatalf("got ok=%v sent=%v, want a sent message: %v", res.OK, res.Sent, res.Err)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("got %d messages at the server, want 1", len(msgs))
	}
	for _, h := range []string{"Date: ", "From: <billing@contoso.com>", "To: <it@contoso.com>", "Subject: ", "Message-ID: <", "MIME-Version: 1.0", "Profile:  Works: Contoso billing"} {
		if !strings.Contains(msgs[0].Data, h) {
			t.Errorf("message lacks %q:\n%s", h, msgs[0].Data)
		}
	}
	if got := res.Claims.ObjectID; got != "a1000000-0000-4000-8000-000000000001" {
		t.Errorf("got oid %q, want the Enterprise application's object ID", got)
	}
	for _, stage := range []mailer.Stage{mailer.StageToken, mailer.StageConnect, mailer.StageAuth, mailer.StageData} {
		if _, ok := res.Timings[stage]; !ok {
			t.Errorf("no timing for stage %s", stage)
		}
	}
	if _, err := json.Marshal(res); err != nil {
		t.Fatalf("result does not marshal: %v", err)
	}
}

func TestCheck_FaultsEndToEnd(t *testing.T) {
	cases := []struct {
		name      string
		faults    mailertest.Faults
		wantCode  string
		wantStage mailer.Stage
	}{
		{"NoSTARTTLS", mailertest.Faults{NoSTARTTLS: true}, mailer.CodeSTARTTLSMissing, mailer.StageSTARTTLS},
		{"WrongCertificate", mailertest.Faults{WrongCertificate: true}, mailer.CodeTLSVerify, mailer.StageTLS},
		{"TLS10Only", mailertest.Faults{TLS10Only: true}, mailer.CodeTLSVersion, mailer.StageTLS},
		{"StalledBanner", mailertest.Faults{StallBanner: true}, mailer.CodeSMTPTimeout, mailer.StageBanner},
		{"DroppedAtAuth", mailertest.Faults{DropAt: "AUTH"}, mailer.CodeSMTPClosed, mailer.StageAuth},
		{"DroppedAtEHLO", mailertest.Faults{DropAt: "EHLO"}, mailer.CodeSMTPClosed, mailer.StageEHLO},
		{"ThreadLimit", mailertest.Faults{ThreadLimit: true}, mailer.CodeThreadLimit, mailer.StageData},
		{"Token503", mailertest.Faults{TokenHTTPStatus: 503}, mailer.CodeTokenServerError, mailer.StageToken},
		{"TokenNotJSON", mailertest.Faults{TokenNotJSON: true}, mailer.CodeTokenNotJSON, mailer.StageToken},
		{"GraphAudience", mailertest.Faults{MutateClaims: func(c map[string]any) { c["aud"] = "https://graph.microsoft.com" }}, mailer.CodeClaimsWrongAudience, mailer.StageClaims},
		{"WrongTenantClaim", mailertest.Faults{MutateClaims: func(c map[string]any) { c["tid"] = mailertest.FabrikamTenantID }}, mailer.CodeClaimsWrongTenant, mailer.StageClaims},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv, scenarios := mustFake(t)
			srv.SetFaults(tc.faults)
			sc := mustScenario(t, scenarios, "works")
			req, _ := sc.Request(srv)
			checker := srv.Checker()
			// Short enough that the stalled banner fails fast, long enough for TLS under the race detector.
			checker.ReplyTimeout = time.Second
			res := checker.Run(t.Context(), req, nil)
			if res.OK {
				t.Fatalf("got success, want %s", tc.wantCode)
			}
			if res.Diagnosis.Code != tc.wantCode || res.Stage != tc.wantStage {
				t.Fatalf("got %s at %s, want %s at %s (err %v)\n%s", res.Diagnosis.Code, res.Stage, tc.wantCode, tc.wantStage, res.Err, mailer.RenderText(res.Events))
			}
		})
	}
}
