package mailer_test

import (
	"strings"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
)

func TestInspectClaims_ExchangeAppIDAudience(t *testing.T) {
	ep, _ := mailer.CloudEndpoints(mailer.CloudGlobal)
	c := &mailer.Claims{Audience: "00000002-0000-0ff1-ce00-000000000000", Roles: []string{"SMTP.SendAsApp"}, TenantID: "7c0c36f5-af83-4c24-8844-9962e0163719", AppID: "11111111-aaaa-4bbb-8ccc-000000000001", ExpiresAt: time.Now().Add(time.Hour)}
	if _, failure := mailer.InspectClaims(c, ep, "7c0c36f5-af83-4c24-8844-9962e0163719", "11111111-aaaa-4bbb-8ccc-000000000001", time.Now()); failure != "" {
		t.Fatalf("the Exchange resource app ID as audience was refused: %s", failure)
	}
}

func TestDiagnose_MatchesCodesNotWholeStrings(t *testing.T) {
	cases := map[string]string{
		// Older and newer suffixes, and no suffix.
		"535 5.7.3 Authentication unsuccessful [SN2PR00CA0018.namprd00.prod.outlook.com]":                                   mailer.CodeAuthUnsuccessful,
		"535 5.7.3 Authentication unsuccessful [AM0PR06CA0126.eurprd06.prod.outlook.com 2024-02-14T14:50:26.590Z 08DC2D37]": mailer.CodeAuthUnsuccessful,
		// A localized rendering keeps the codes and the switch's name.
		"535 5.7.139 Falha na autenticação, SmtpClientAuthentication está desabilitado para o Tenant.":                       mailer.CodeAuthDisabledTenant,
		"535 5.7.139 Authentifizierung fehlgeschlagen, SmtpClientAuthentication ist für das Postfach (Mailbox) deaktiviert.": mailer.CodeAuthDisabledMailbox,
		"554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied; Failed to process message": mailer.CodeSendAsDenied,
		"550 5.2.252 Sender throttled due to continuous send as denied errors.":                                              mailer.CodeSenderThrottled,
		"599 9.9.9 nothing known": mailer.CodeUnknownReply,
	}
	for line, want := range cases {
		code := 0
		for _, c := range line[:3] {
			code = code*10 + int(c-'0')
		}
		enh, text, _ := strings.Cut(line[4:], " ")
		if !strings.Contains(enh, ".") {
			enh, text = "", line[4:]
		}
		err := &mailer.ReplyError{Stage: mailer.StageAuth, Reply: mailer.Reply{Code: code, Enhanced: enh, Lines: []string{text}}}
		if got := mailer.Diagnose(mailer.Facts{Stage: mailer.StageAuth, Err: err}); got.Code != want {
			t.Errorf("%q: got %s, want %s", line, got.Code, want)
		}
	}
}

func TestPSQuote_HostileValues(t *testing.T) {
	cases := map[string]string{
		"billing@contoso.com":         "'billing@contoso.com'",
		"o'brien@contoso.com":         "'o''brien@contoso.com'",
		"x’; Remove-Mailbox -Id y":    "'x’’; Remove-Mailbox -Id y'",
		"$(Invoke-Evil) `n $env:PATH": "'$(Invoke-Evil) `n $env:PATH'",
	}
	for in, want := range cases {
		if got := mailer.PSQuote(in); got != want {
			t.Errorf("PSQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestValidate(t *testing.T) {
	good := map[string]func() error{
		"tenant GUID":   func() error { return mailer.ValidateTenant("7c0c36f5-af83-4c24-8844-9962e0163719") },
		"tenant domain": func() error { return mailer.ValidateTenant("contoso.onmicrosoft.com") },
		"mailbox":       func() error { return mailer.ValidateMailbox("mailbox", "billing@contoso.com") },
		"host:port":     func() error { return mailer.ValidateHostPort("smtp_host", "smtp.office365.com:587") },
		"authority":     func() error { return mailer.ValidateAuthority("authority", "https://login.microsoftonline.us") },
	}
	for name, f := range good {
		if err := f(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	bad := map[string]error{
		"tenant with path":    mailer.ValidateTenant("contoso.com/x"),
		"tenant common":       mailer.ValidateTenant("common"),
		"client id":           mailer.ValidateClientID("12345"),
		"mailbox with name":   mailer.ValidateMailbox("mailbox", "Billing <billing@contoso.com>"),
		"mailbox with CRLF":   mailer.ValidateMailbox("mailbox", "billing@contoso.com\r\nDATA"),
		"mailbox NUL":         mailer.ValidateMailbox("mailbox", "billing@contoso.com\x00"),
		"secret empty":        mailer.ValidateSecret(""),
		"port out of range":   mailer.ValidateHostPort("smtp_host", "smtp.office365.com:70000"),
		"authority http":      mailer.ValidateAuthority("authority", "http://login.microsoftonline.com"),
		"authority with path": mailer.ValidateAuthority("authority", "https://login.microsoftonline.com/tenant"),
	}
	for name, err := range bad {
		if err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if !mailer.SecretLooksLikeID("4f1c2d3e-8a9b-4c5d-9e6f-7a8b9c0d1e2f") || mailer.SecretLooksLikeID("Abc8Q~xyz") {
		t.Error("SecretLooksLikeID misjudges")
	}
}

func TestTranscript_RenderText(t *testing.T) {
	got := mailer.RenderText([]mailer.Event{{OffsetMS: 12, Dir: mailer.Client, Text: "EHLO [127.0.0.1]"}, {OffsetMS: 13, Dir: mailer.Server, Text: "250 ok"}, {OffsetMS: 0, Dir: mailer.Info, Text: "note"}})
	want := "    +12ms C: EHLO [127.0.0.1]\n    +13ms S: 250 ok\n     +0ms *  note\n"
	if got != want {
		t.Fatalf("got\n%q\nwant\n%q", got, want)
	}
}

// Runs saved before the handshake stage was renamed still show on the TLS step.
func TestStage_SavedTLSStageStaysOnTheTLSStep(t *testing.T) {
	for _, s := range []mailer.Stage{"tls", mailer.StageSTARTTLS, mailer.StageTLS, mailer.StageEHLOTLS} {
		if got := s.Phase(); got != "tls" {
			t.Errorf("%s is shown as step %s, want tls", s, got)
		}
	}
}
