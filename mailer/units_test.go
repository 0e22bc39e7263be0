package mailer_test

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/smtpoauth/smtpoauth/mailer"
	"github.com/smtpoauth/smtpoauth/mailer/exchange"
)

func TestXOAUTH2_ClientFormat(t *testing.T) {
	// Microsoft's documented example (FACTS.md §4).
	c := exchange.NewXOAUTH2Client("test@contoso.onmicrosoft.com", "EwBAAl3BAAUFFpUAo7J3Ve0bjLBWZWCclRC3EoAA")
	mech, ir, err := c.Start()
	if err != nil || mech != "XOAUTH2" {
		t.Fatalf("got %q, %v", mech, err)
	}
	want := "dXNlcj10ZXN0QGNvbnRvc28ub25taWNyb3NvZnQuY29tAWF1dGg9QmVhcmVyIEV3QkFBbDNCQUFVRkZwVUFvN0ozVmUwYmpMQldaV0NjbFJDM0VvQUEBAQ=="
	if got := base64.StdEncoding.EncodeToString(ir); got != want {
		t.Fatalf("got %s, want Microsoft's example %s", got, want)
	}
	if resp, err := c.Next([]byte(`{"status":"401"}`)); err != nil || len(resp) != 0 {
		t.Fatalf("error challenge: got %q, %v; want an empty response", resp, err)
	}
}

func TestXOAUTH2_ServerRoundTrip(t *testing.T) {
	var gotUser, gotToken string
	s := exchange.NewXOAUTH2Server(func(u, tok string) error { gotUser, gotToken = u, tok; return nil })
	challenge, done, err := s.Next(nil)
	if done || err != nil || len(challenge) != 0 {
		t.Fatalf("without initial response: got %q done=%v %v, want an empty challenge", challenge, done, err)
	}
	_, ir, _ := exchange.NewXOAUTH2Client("a@b.com", "tok.en.x").Start()
	if _, done, err := s.Next(ir); !done || err != nil || gotUser != "a@b.com" || gotToken != "tok.en.x" {
		t.Fatalf("got done=%v %v user=%q token=%q", done, err, gotUser, gotToken)
	}
	for _, bad := range []string{"user=a\x01auth=Bearer t\x01", "user=a\x01auth=Basic t\x01\x01", "auth=Bearer t\x01\x01"} {
		if _, _, err := exchange.ParseXOAUTH2([]byte(bad)); err == nil {
			t.Errorf("ParseXOAUTH2(%q) accepted a malformed response", bad)
		}
	}
}

func TestDecodeClaims(t *testing.T) {
	enc := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	tok := enc(`{"alg":"RS256"}`) + "." + enc(`{"aud":"https://outlook.office365.com","roles":["SMTP.SendAsApp"],"tid":"t","azp":"app","oid":"o","exp":1700000000,"ver":"2.0","azpacr":"2"}`) + ".sig"
	c, err := exchange.DecodeClaims(tok)
	if err != nil {
		t.Fatal(err)
	}
	if c.AppID != "app" || c.AuthMethod != "2" || !c.HasSMTPRole() || c.ExpiresAt.Unix() != 1700000000 {
		t.Fatalf("got %+v", c)
	}
	arr := enc(`{}`) + "." + enc(`{"aud":["https://outlook.office365.com","x"]}`) + ".s"
	if c, _ := exchange.DecodeClaims(arr); c.Audience != "https://outlook.office365.com" {
		t.Fatalf("array aud: got %q", c.Audience)
	}
	for _, bad := range []string{"opaque", "a.!!!.c", "a." + enc("not json") + ".c"} {
		if _, err := exchange.DecodeClaims(bad); err == nil {
			t.Errorf("DecodeClaims(%q) accepted a non-JWT", bad)
		}
	}
}

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
	if s := exchange.TokenSummary(strings.Repeat("x", 2431)); !strings.HasPrefix(s, "bearer token 2,431 bytes, sha256 ") {
		t.Fatalf("got %q", s)
	}
}
